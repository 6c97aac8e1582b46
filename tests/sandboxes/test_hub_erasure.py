"""Erasing a learner deletes their user on the real hub, home directory included; Dasi's
token cannot delete anyone outside the hub's learners group."""

from __future__ import annotations

import contextlib
import os
import pwd
from pathlib import Path

from django.utils import timezone

import pytest
import requests

from lms.accounts.models import Role
from lms.accounts.oidc import hub_username
from lms.privacy.models import ErasureRequest
from lms.privacy.services import erasure_run
from lms.sandboxes.hub import HubClient, HubError
from tests.factories import member

from .conftest import dasi_login, follow

pytestmark = [pytest.mark.hub]


def _hub_user(hub, name: str) -> int:
    return requests.get(
        f"{hub.url}/hub/api/users/{name}",
        headers={"Authorization": f"token {hub.admin_token}"},
        timeout=10,
    ).status_code


def _home(hub, name: str) -> Path:
    if os.geteuid() == 0:
        return Path(pwd.getpwnam(name).pw_dir)
    return hub.state_dir / "homes" / name


def test_erasure_deletes_the_hub_user_and_their_home(hub, world):
    learner = world["learner"]
    session = requests.Session()
    dasi_login(session, world["base"], learner.username)
    assert follow(session, f"{hub.url}/hub/home").status_code == 200
    name = hub_username(learner)
    assert _hub_user(hub, name) == 200
    home = _home(hub, name)
    home.mkdir(parents=True, exist_ok=True)
    (home / "my-work.ipynb").write_text("{}")

    request = ErasureRequest.objects.create(
        user=learner, requested_by=learner, due_at=timezone.now()
    )
    request = erasure_run(request=request)

    assert request.hub_result == "deleted"
    assert _hub_user(hub, name) == 404
    assert not home.exists()
    if os.geteuid() == 0:
        with pytest.raises(KeyError):
            pwd.getpwnam(name)


def test_dasis_token_cannot_delete_a_staff_hub_user(hub, world):
    counsellor = member(world["centre"], Role.COUNSELLOR, username="counsellor", name="상담사")
    staff = requests.Session()
    dasi_login(staff, world["base"], "counsellor")
    assert follow(staff, f"{hub.url}/hub/home").status_code == 200
    name = hub_username(counsellor)
    with contextlib.suppress(HubError):  # refused outright is as good as not found
        HubClient().user_delete(name)
    assert _hub_user(hub, name) == 200
