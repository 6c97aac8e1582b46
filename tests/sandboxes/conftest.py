"""A real JupyterHub with configurable-http-proxy beside the live Dasi, for the sandbox tests."""

from __future__ import annotations

import os
import pwd
import re
import secrets
import subprocess
import time
from pathlib import Path

from django.core.files.base import ContentFile

import pytest
import requests

from assessments.models import Assessment, CourseAssessment
from lms.accounts.models import Role
from lms.learning.services import enrolment_create
from lms.sandboxes.localhub import CONFIG, LocalHub, missing_parts
from lms.sandboxes.services import hub_client_register
from tests.factories import (
    PASSWORD,
    lessons_of,
    make_centre,
    make_course,
    member,
    wagtail_base_ensure,
)

TEST_CONFIG = Path(__file__).with_name("hub_test_config.py")
ROOT = Path(__file__).resolve().parents[2]
SOURCE = (
    ROOT / "notebooks_templates" / "python-data-basics" / "python-data-basics.ipynb"
).read_bytes()


@pytest.fixture(scope="session")
def hub_process(live_server, tmp_path_factory):
    """One hub for the session, talking to the live server (Dasi) on loopback."""
    missing = missing_parts()
    if missing:
        pytest.skip(missing)
    admin_token = secrets.token_hex(32)
    hub = LocalHub(
        dasi_url=live_server.url,
        state_dir=tmp_path_factory.mktemp("jupyterhub"),
        config=TEST_CONFIG,
        extra_env={"DASI_HUB_BASE_CONFIG": str(CONFIG), "DASI_TEST_ADMIN_TOKEN": admin_token},
    )
    hub.admin_token = admin_token
    hub.start()
    yield hub
    hub.stop()


@pytest.fixture
def hub(hub_process, settings, transactional_db):
    """The hub, with Dasi configured for it and its OAuth client registered; cleaned after."""
    settings.DASI_HUB_URL = hub_process.url
    settings.DASI_HUB_API_URL = ""
    settings.DASI_HUB_API_TOKEN = hub_process.api_token
    hub_client_register(hub_url=hub_process.url, client_secret=hub_process.client_secret)
    (hub_process.state_dir / "refuse-spawn").unlink(missing_ok=True)
    yield hub_process
    _forget_everyone(hub_process)


@pytest.fixture
def world(hub, live_server):
    """A centre with a course whose first lesson has a notebook exercise; two enrolled learners."""
    wagtail_base_ensure()
    centre = make_centre("dongtan", default=True)
    course = make_course(centre, "data-analysis", lessons=2)
    assessment = Assessment.objects.create(
        centre=centre, title="파이썬 기초 실습", kind=Assessment.Kind.NOTEBOOK, max_attempts=3
    )
    assessment.notebook_source.save("python-data-basics.ipynb", ContentFile(SOURCE))
    lesson = lessons_of(course)[0]
    lesson.body = [
        *lesson.body.raw_data,
        {"type": "notebook", "value": {"assessment": assessment.pk, "introduction": ""}},
    ]
    lesson.save_revision().publish()
    CourseAssessment.objects.create(course=course, assessment=assessment, weight=1)
    learner = member(centre, Role.LEARNER, username="jiyoung", name="김지영")
    other = member(centre, Role.LEARNER, username="minho", name="이민호")
    for person in (learner, other):
        enrolment_create(user=person, course=course, centre=centre)
    return {
        "base": live_server.url,
        "centre": centre,
        "course": course,
        "assessment": assessment,
        "lesson": lessons_of(course)[0],
        "learner": learner,
        "other": other,
    }


def _forget_everyone(hub: LocalHub) -> None:
    """Delete the hub's users, stop their servers, remove their system accounts and homes."""
    headers = {"Authorization": f"token {hub.admin_token}"}
    users = requests.get(f"{hub.url}/hub/api/users", headers=headers, timeout=10).json()
    for user in users:
        name = user["name"]
        requests.delete(f"{hub.url}/hub/api/users/{name}/server", headers=headers, timeout=30)
        for _ in range(50):
            model = requests.get(f"{hub.url}/hub/api/users/{name}", headers=headers, timeout=10)
            if not model.json().get("servers"):
                break
            time.sleep(0.2)
        requests.delete(f"{hub.url}/hub/api/users/{name}", headers=headers, timeout=10)
        system_user_remove(name)


def system_user_remove(name: str) -> None:
    if os.geteuid() != 0:
        return
    try:
        pwd.getpwnam(name)
    except KeyError:
        return
    subprocess.run(["pkill", "-KILL", "-u", name], check=False)  # noqa: S603, S607
    subprocess.run(["userdel", "--remove", name], check=False, capture_output=True)  # noqa: S603, S607


def dasi_login(session: requests.Session, base: str, username: str) -> None:
    """Sign in to Dasi through its login form, as a browser would."""
    page = session.get(f"{base}/accounts/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{base}/accounts/login/",
        data={"csrfmiddlewaretoken": token, "login": username, "password": PASSWORD},
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=10,
    )
    assert "/learning/" in response.url, "the Dasi login did not go through"


def csrf_post(session: requests.Session, page_url: str, action: str, data: dict):
    """Post a form of a Dasi page (CSRF token taken from the page), without following."""
    page = session.get(page_url, timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return session.post(
        action,
        data={"csrfmiddlewaretoken": token, **data},
        headers={"Referer": page_url},
        allow_redirects=False,
        timeout=30,
    )


def follow(session: requests.Session, url: str, timeout: float = 120) -> requests.Response:
    """Follow redirects and the launch page's progress (it polls like its script does)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = session.get(url, allow_redirects=False, timeout=30)
        if response.is_redirect:
            url = requests.compat.urljoin(url, response.headers["Location"])
            continue
        if "/sandboxes/launches/" in url and "data-launch-status" in response.text:
            time.sleep(0.3)
            continue
        return response
    raise AssertionError(f"still waiting at {url}")
