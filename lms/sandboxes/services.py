"""Open a notebook exercise in a learner's JupyterLab, and collect it back for grading.

A launch is advanced one step at a time by whoever polls it (the launch page): sign in to the hub
(first time only), start the server, copy the exercise in, then open it or submit it. Each step
is claimed with a conditional UPDATE, so two polls never copy or submit twice.
"""

from __future__ import annotations

import copy
import logging
import posixpath
import re
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import nbformat
from nbformat import NotebookNode

from assessments import services as assessment_services
from assessments.grader import learner_version, notebook_bytes, read_notebook
from assessments.models import Assessment
from courses.models import LessonPage
from courses.selectors import canonical_page_id
from lms.accounts.oidc import hub_username
from lms.learning.models import Enrolment
from lms.metrics import SANDBOX_LAUNCH_DURATION

from .hub import HubClient, HubError, HubUnavailable, NotFound, SpawnFailed, hub_configured
from .models import SandboxLaunch

State = SandboxLaunch.State
logger = logging.getLogger(__name__)

HUB_DOWN = gettext_lazy(
    "JupyterLab is not available right now. Your work is safe: download the exercise and "
    "upload your notebook below, or try again in a few minutes."
)


def exercise_folder(*, assessment: Assessment, lesson: LessonPage) -> tuple[str, str]:
    """The exercise's folder in the learner's home and the notebook's path in it.

    ``exercises/<course>/<exercise>/``, named from the course page's slug and the notebook's file
    name, so every lesson and translation placing it opens the same folder.
    """
    course = LessonPage.objects.get(pk=canonical_page_id(lesson)).get_parent()
    stem = assessment.notebook_source.name.rsplit("/", 1)[-1].removesuffix(".ipynb")
    stem = re.sub(r"_[A-Za-z0-9]{7}$", "", stem)  # the suffix storage adds to a taken name
    name = slugify(stem) or f"exercise-{assessment.pk}"
    folder = posixpath.join("exercises", slugify(course.slug) or f"course-{course.pk}", name)
    return folder, posixpath.join(folder, f"{name}.ipynb")


def launch_create(
    *,
    user,
    assessment: Assessment,
    lesson: LessonPage,
    intent: str = SandboxLaunch.Intent.OPEN,
    language: str = "",
) -> SandboxLaunch:
    """Record a click on "Open exercise" or "Submit my notebook" (the hub is asked on advance).

    ``language`` is the page's (else the learner's profile language): JupyterLab starts in it
    and the exercise's way back to Dasi is written in it.

    Refuses a hub-less installation, an assessment that is not this lesson's notebook exercise,
    and a learner not enrolled in the course.
    """
    if not hub_configured():
        raise ValidationError(_("This centre has no JupyterLab; download the exercise instead."))
    if assessment.kind != Assessment.Kind.NOTEBOOK or not assessment_services.assessment_in_lesson(
        assessment=assessment, lesson=lesson
    ):
        raise ValidationError(_("This lesson has no such exercise."))
    course_id = LessonPage.objects.get(pk=canonical_page_id(lesson)).get_parent().pk
    if not Enrolment.objects.filter(user=user, course_id=course_id).exists():
        raise PermissionDenied(_("Enrol in this course to do its exercises."))
    folder, notebook_path = exercise_folder(assessment=assessment, lesson=lesson)
    launch = SandboxLaunch(
        user=user,
        assessment=assessment,
        lesson=lesson,
        intent=intent,
        state=State.STARTING,
        hub_username=hub_username(user),
        language=language if language in dict(settings.LANGUAGES) else user.preferred_language,
        folder=folder,
        notebook_path=notebook_path,
    )
    launch.full_clean()
    launch.save()
    return launch


def _fail(launch: SandboxLaunch, message: str) -> SandboxLaunch:
    SandboxLaunch.objects.filter(pk=launch.pk).update(state=State.FAILED, error=message)
    launch.refresh_from_db()
    return launch


def _claim(launch: SandboxLaunch, *, from_state: str, to_state: str, **fields) -> bool:
    """Move the launch on if nobody else has; True for the caller that won."""
    won = SandboxLaunch.objects.filter(pk=launch.pk, state=from_state).update(
        state=to_state, **fields
    )
    launch.refresh_from_db()
    return bool(won)


def launch_advance(
    *,
    launch: SandboxLaunch,
    client: HubClient | None = None,
    return_url: str = "",
    lesson_url: str = "",
) -> SandboxLaunch:
    """Take the launch one step further, as far as the hub allows right now; safe to repeat.

    Ends READY (the notebook is in the learner's folder), SUBMITTED (collected and queued for
    grading) or FAILED with a plain reason. A hub that does not answer, a server that does not
    start within DASI_HUB_SPAWN_TIMEOUT seconds or whose start failed all end FAILED, and the
    learner keeps the download/upload path. Nothing on the learner's server is ever overwritten.
    """
    if launch.finished:
        return launch
    client = client or HubClient()
    deadline = launch.created_at + timedelta(seconds=settings.DASI_HUB_SPAWN_TIMEOUT)
    try:
        if launch.state in (State.LOGIN, State.STARTING):
            server = client.server_state(launch.hub_username)
            if not server.exists:
                if launch.state != State.LOGIN:
                    _claim(launch, from_state=launch.state, to_state=State.LOGIN)
                if timezone.now() > deadline + timedelta(minutes=10):
                    return _fail(launch, _("Signing in to JupyterLab took too long."))
                return launch
            if launch.state == State.LOGIN:
                _claim(launch, from_state=State.LOGIN, to_state=State.STARTING)
            if not server.ready:
                if server.pending is None:
                    if launch.started_at is not None:
                        return _fail(launch, _("Your JupyterLab could not start."))
                    client.server_start(launch.hub_username, language=launch.language)
                    SandboxLaunch.objects.filter(pk=launch.pk).update(started_at=timezone.now())
                    launch.refresh_from_db()
                elif launch.started_at is None:
                    SandboxLaunch.objects.filter(pk=launch.pk).update(started_at=timezone.now())
                    launch.refresh_from_db()
                if timezone.now() > deadline:
                    return _fail(launch, _("Your JupyterLab took too long to start."))
                return launch
            if not _claim(
                launch,
                from_state=State.STARTING,
                to_state=State.PROVISIONING,
                provisioning_at=timezone.now(),
            ):
                return launch
        elif launch.state == State.PROVISIONING:
            if timezone.now() > deadline:
                return _fail(launch, _("Copying the exercise took too long."))
            return launch  # another request is doing this step
        if launch.intent == SandboxLaunch.Intent.SUBMIT:
            return _collect(launch, client)
        with translation.override(launch.language or None):
            written = exercise_provision(
                launch=launch, client=client, return_url=return_url, lesson_url=lesson_url
            )
        SandboxLaunch.objects.filter(pk=launch.pk).update(
            state=State.READY, provisioned=written, ready_at=timezone.now()
        )
        launch.refresh_from_db()
        # Once per launch: only the request that won the PROVISIONING claim gets here.
        SANDBOX_LAUNCH_DURATION.observe((launch.ready_at - launch.created_at).total_seconds())
        return launch
    except HubUnavailable:
        return _fail(launch, str(HUB_DOWN))
    except SpawnFailed:
        return _fail(launch, _("Your JupyterLab could not start."))
    except HubError as exc:
        return _fail(launch, _("JupyterLab refused the request: %(reason)s") % {"reason": exc})
    except Exception:  # a launch never ends in an error page; the log keeps the details
        logger.exception("notebook launch %s failed", launch.pk)
        return _fail(launch, str(HUB_DOWN))


def exercise_provision(
    *, launch: SandboxLaunch, client: HubClient, return_url: str = "", lesson_url: str = ""
) -> list:
    """Copy the learner version and data files into the exercise folder, only where absent.

    A file the learner already has, edited or not, is left exactly as it is; so is a folder.
    The notebook is written as the learner's JupyterLab would save it (``lab_notebook``), with
    the way back to the lesson and the exercise page on top. Returns the paths written this time
    (empty when everything was there).
    """
    assessment = launch.assessment
    user = launch.hub_username
    files = {launch.notebook_path: b""}
    for path, content in assessment.data_files().items():
        files[posixpath.join(launch.folder, path)] = content
    if return_url:
        readme = _readme(launch, return_url=return_url, lesson_url=lesson_url)
        files[posixpath.join(launch.folder, "README.md")] = readme.encode()
    written: list[str] = []
    known_folders: set[str] = set()
    for path in files:
        parts = posixpath.dirname(path).split("/")
        for depth in range(1, len(parts) + 1):
            folder = "/".join(parts[:depth])
            if folder in known_folders:
                continue
            if not client.file_exists(user, folder):
                client.folder_create(user, folder)
            known_folders.add(folder)
    for path, content in files.items():
        if client.file_exists(user, path):
            continue
        if path == launch.notebook_path:
            learner = learner_version(read_notebook(assessment.notebook_bytes()))
            kernel = learner.metadata.get("kernelspec", {}).get("name", "")
            content = lab_notebook(
                notebook=learner,
                kernelspec=client.kernelspec(user, kernel),
                header=_return_cell(launch, return_url=return_url, lesson_url=lesson_url),
            )
        client.file_put(user, path, content)
        written.append(path)
    return written


RETURN_CELL_ID = "dasi-return"


def lab_notebook(*, notebook: NotebookNode, kernelspec: dict, header: str = "") -> bytes:
    """The notebook as the learner's JupyterLab would save it, so it opens without "unsaved".

    When its kernel connects, JupyterLab writes the kernel's ``kernelspec`` (name, display name,
    language) and ``language_info`` into the notebook's metadata; any difference from the file
    marks a notebook nobody touched as modified. Both are taken from the server's kernelspec
    (``kernelspec``, one entry of the kernelspecs API), whose metadata holds the kernel's
    language_info (deploy/jupyterhub/kernel_language_info.py). ``header`` becomes a first,
    read-only markdown cell; grading ignores it (no grade_id). ``notebook`` is not changed.
    """
    nb = copy.deepcopy(notebook)
    spec = kernelspec.get("spec") or {}
    if kernelspec.get("name"):
        nb.metadata["kernelspec"] = {
            "name": kernelspec["name"],
            "display_name": spec.get("display_name") or kernelspec["name"],
            "language": spec.get("language", ""),
        }
        language_info = ((spec.get("metadata") or {}).get("dasi") or {}).get("language_info")
        if language_info:
            nb.metadata["language_info"] = language_info
    if header and not any(cell.get("id") == RETURN_CELL_ID for cell in nb.cells):
        cell = nbformat.v4.new_markdown_cell(
            header, id=RETURN_CELL_ID, metadata={"editable": False, "dasi": {"return": True}}
        )
        nb.cells.insert(0, cell)
    nbformat.validate(nb)
    return notebook_bytes(nb)


def _markdown_text(text: str) -> str:
    return re.sub(r"([\\`*_\[\]()<>#!|])", r"\\\1", text)


def _return_cell(launch: SandboxLaunch, *, return_url: str, lesson_url: str) -> str:
    """The notebook's first cell: links to the lesson and to the exercise page in Dasi.

    Dasi and the hub are on different origins; JupyterLab opens such links in a new tab, so
    the lab stays open beside the lesson.
    """
    links = []
    if lesson_url:
        links.append(
            f"[{_('Back to the lesson')}: {_markdown_text(launch.lesson.title)}]({lesson_url})"
        )
    if return_url:
        links.append(f"[{_('Submit my notebook')}]({return_url})")
    if not links:
        return ""
    return (
        "**Dasi** · "
        + " · ".join(links)
        + "\n\n"
        + _("Work in this notebook and save it, then submit it from the exercise page in Dasi.")
    )


def _readme(launch: SandboxLaunch, *, return_url: str, lesson_url: str = "") -> str:
    lines = [
        f"# {launch.assessment.title}",
        "",
        _("Work in the notebook, save it, then submit it from Dasi:"),
        "",
        f"[{_('Submit my notebook')}]({return_url})",
    ]
    if lesson_url:
        title = _markdown_text(launch.lesson.title)
        lines += ["", f"[{_('Back to the lesson')}: {title}]({lesson_url})"]
    return "\n".join(lines) + "\n"


def _collect(launch: SandboxLaunch, client: HubClient) -> SandboxLaunch:
    """Fetch the saved notebook through the hub and store it as a submission (queued grading)."""
    try:
        data = client.file_get(launch.hub_username, launch.notebook_path)
    except NotFound:
        return _fail(
            launch,
            _("Your notebook %(path)s is not in JupyterLab. Open the exercise first.")
            % {"path": launch.notebook_path},
        )
    try:
        attempt = assessment_services.submission_create(
            user=launch.user, assessment=launch.assessment, lesson=launch.lesson, data=data
        )
    except (ValidationError, PermissionDenied) as exc:
        message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        return _fail(launch, message)
    SandboxLaunch.objects.filter(pk=launch.pk).update(
        state=State.SUBMITTED, attempt=attempt, ready_at=timezone.now()
    )
    launch.refresh_from_db()
    return launch


def hub_login_url(*, launch: SandboxLaunch, origin: str) -> str:
    """Where the browser signs in to the hub once (through Dasi) and comes back to the launch."""
    back = "/hub/dasi-return?" + urlencode({"launch": str(launch.pk), "origin": origin})
    return f"{HubClient().url}/hub/login?" + urlencode({"next": back})


def hub_client_register(*, hub_url: str, client_secret: str, client_id: str = ""):
    """Create or update Dasi's OAuth client for the hub (confidential, code flow, no consent
    screen since Dasi runs the hub). The secret is stored hashed."""
    from oauth2_provider.models import get_application_model

    Application = get_application_model()
    client_id = client_id or settings.DASI_HUB_CLIENT_ID
    app = Application.objects.filter(client_id=client_id).first() or Application(
        client_id=client_id
    )
    app.name = "JupyterHub"
    app.client_type = Application.CLIENT_CONFIDENTIAL
    app.authorization_grant_type = Application.GRANT_AUTHORIZATION_CODE
    app.redirect_uris = f"{hub_url.rstrip('/')}/hub/oauth_callback"
    app.post_logout_redirect_uris = ""
    app.skip_authorization = True
    app.algorithm = Application.RS256_ALGORITHM
    app.client_secret = client_secret
    app.hash_client_secret = True
    app.full_clean(exclude=["user"])
    app.save()
    return app
