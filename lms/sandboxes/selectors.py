"""Reads of notebook launches for the launch page."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import SandboxLaunch

State = SandboxLaunch.State


def launch_stages(launch: SandboxLaunch) -> list[dict]:
    """The launch's steps as the learner sees them, each ``done``, ``current`` or ``todo``.

    Taken from the launch's recorded state, never guessed from time: requested → (first time
    only: signing in to JupyterLab) → starting the server → copying the exercise → opening
    JupyterLab (the browser loads the lab once the exercise is in place). ``seconds`` is the time
    the current step has taken so far; a failed launch has no current step.
    """
    now = timezone.now()
    steps = [("requested", _("Request received"), launch.created_at)]
    if launch.state == State.LOGIN:
        steps.append(("login", _("Signing in to JupyterLab"), launch.created_at))
    steps += [
        ("starting", _("Starting your JupyterLab server"), launch.started_at or launch.created_at),
        ("provisioning", _("Copying the exercise into your folder"), launch.provisioning_at),
        ("opening", _("Opening JupyterLab"), launch.ready_at),
    ]
    current = {
        State.LOGIN: "login",
        State.STARTING: "starting",
        State.PROVISIONING: "provisioning",
        State.READY: "opening",
    }.get(launch.state)
    stages, reached = [], current is not None
    for key, label, since in steps:
        if key == current:
            status, reached = "current", False
        elif key == "requested" or (reached and current):
            status = "done"
        else:
            status = "todo"
        seconds = round((now - since).total_seconds()) if status == "current" and since else None
        stages.append({"key": key, "label": label, "status": status, "seconds": seconds})
    return stages
