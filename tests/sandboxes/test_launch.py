"""Launching exercises without a reachable hub: refusals, failures that keep the download path,
who may see a launch, and the hub set-up command."""

from __future__ import annotations

import stat
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

import pytest
from oauth2_provider.models import get_application_model

from assessments.models import Assessment
from lms.learning.services import enrolment_create
from lms.sandboxes.localhub import free_port
from lms.sandboxes.models import SandboxLaunch
from lms.sandboxes.services import exercise_folder
from tests.conftest import A_HOST
from tests.factories import lessons_of

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
SOURCE = (
    ROOT / "notebooks_templates" / "python-data-basics" / "python-data-basics.ipynb"
).read_bytes()


@pytest.fixture
def exercise(centre_a, course_a):
    assessment = Assessment.objects.create(
        centre=centre_a, title="파이썬 기초 실습", kind=Assessment.Kind.NOTEBOOK
    )
    assessment.notebook_source.save("python-data-basics.ipynb", ContentFile(SOURCE))
    lesson = lessons_of(course_a)[0]
    lesson.body = [
        *lesson.body.raw_data,
        {"type": "notebook", "value": {"assessment": assessment.pk, "introduction": ""}},
    ]
    lesson.save_revision().publish()
    return assessment, lessons_of(course_a)[0]


@pytest.fixture
def enrolled(learner_a, course_a, centre_a):
    return enrolment_create(user=learner_a, course=course_a, centre=centre_a)


@pytest.fixture
def dead_hub(settings):
    """A hub address where nothing listens: the hub is down."""
    settings.DASI_HUB_URL = f"http://127.0.0.1:{free_port()}"
    settings.DASI_HUB_API_URL = ""
    settings.DASI_HUB_API_TOKEN = "token"  # noqa: S105
    settings.DASI_HUB_TIMEOUT = 1
    return settings.DASI_HUB_URL


def _start(client, exercise, intent="open"):
    assessment, lesson = exercise
    return client.post(
        reverse("sandboxes:start", args=[assessment.pk, lesson.pk]),
        {"intent": intent},
        HTTP_HOST=A_HOST,
    )


def test_without_a_hub_the_page_offers_only_download_and_upload(
    client, learner_a, exercise, enrolled, settings
):
    settings.DASI_HUB_URL = ""
    client.force_login(learner_a)
    assessment, lesson = exercise
    page = client.get(
        reverse("assessments:exercise", args=[assessment.pk, lesson.pk]), HTTP_HOST=A_HOST
    )
    assert b"data-open-exercise" not in page.content
    response = _start(client, exercise)
    assert response.status_code == 400
    assert "JupyterLab" in response.content.decode()
    assert not SandboxLaunch.objects.exists()


def test_hub_down_says_so_and_keeps_the_download_path(
    client, learner_a, exercise, enrolled, dead_hub
):
    client.force_login(learner_a)
    assessment, lesson = exercise
    page = client.get(
        reverse("assessments:exercise", args=[assessment.pk, lesson.pk]), HTTP_HOST=A_HOST
    )
    assert b"data-open-exercise" in page.content and b"data-submit-notebook" in page.content
    response = _start(client, exercise)
    assert response.status_code == 302
    launch = SandboxLaunch.objects.get()
    page = client.get(response["Location"], HTTP_HOST=A_HOST)
    assert page.status_code == 200
    launch.refresh_from_db()
    assert launch.state == SandboxLaunch.State.FAILED
    text = page.content.decode()
    assert "JupyterLab" in text and launch.error in text
    assert reverse("assessments:exercise_download", args=[assessment.pk, lesson.pk]) in text
    status = client.get(reverse("sandboxes:status", args=[launch.pk]), HTTP_HOST=A_HOST).json()
    assert status["state"] == "failed" and status["error"] and not status["next"]
    # Dasi's own pages keep working.
    assert client.get(reverse("learning:dashboard"), HTTP_HOST=A_HOST).status_code == 200


def test_submit_with_the_hub_down_stores_nothing(client, learner_a, exercise, enrolled, dead_hub):
    from assessments.models import Attempt

    client.force_login(learner_a)
    response = _start(client, exercise, intent="submit")
    client.get(response["Location"], HTTP_HOST=A_HOST)
    assert SandboxLaunch.objects.get().state == SandboxLaunch.State.FAILED
    assert not Attempt.objects.exists()


def test_refusals(client, learner_a, learner_b, exercise, course_a, dead_hub):
    client.force_login(learner_a)
    assert _start(client, exercise).status_code == 403  # not enrolled
    assessment, lesson = exercise
    assert _start(client, exercise, intent="delete").status_code == 400
    other_lesson = lessons_of(course_a)[1]
    wrong = client.post(
        reverse("sandboxes:start", args=[assessment.pk, other_lesson.pk]),
        {"intent": "open"},
        HTTP_HOST=A_HOST,
    )
    assert wrong.status_code == 400
    assert not SandboxLaunch.objects.exists()
    client.logout()
    assert _start(client, exercise).status_code == 302  # to the login page
    assert not SandboxLaunch.objects.exists()


def test_a_launch_is_visible_only_to_its_learner(
    client, learner_a, learner_b, exercise, enrolled, dead_hub
):
    client.force_login(learner_a)
    _start(client, exercise)
    launch = SandboxLaunch.objects.get()
    client.force_login(learner_b)
    assert (
        client.get(reverse("sandboxes:launch", args=[launch.pk]), HTTP_HOST=A_HOST).status_code
        == 404
    )
    assert (
        client.get(reverse("sandboxes:status", args=[launch.pk]), HTTP_HOST=A_HOST).status_code
        == 404
    )


def test_exercise_folder_is_named_after_the_course_and_notebook(exercise):
    assessment, lesson = exercise
    folder, notebook = exercise_folder(assessment=assessment, lesson=lesson)
    assert folder.startswith("exercises/data-analysis/")
    assert notebook.startswith(folder + "/") and notebook.endswith(".ipynb")


def test_hub_setup_writes_private_secrets_once_and_registers_the_client(tmp_path, centre_a):
    env_file = tmp_path / "hub" / "hub.env"
    args = ["--hub-url", "http://127.0.0.1:8001", "--dasi-url", "http://dongtan.localhost:8000"]
    call_command("hub_setup", *args, "--env-file", str(env_file))
    first = env_file.read_text()
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    assert "DASI_HUB_API_TOKEN=" in first and "DASI_HUB_CLIENT_SECRET=" in first
    assert "http://dongtan.localhost" in first  # the centres' origins
    call_command("hub_setup", *args, "--env-file", str(env_file))
    assert env_file.read_text() == first  # secrets are kept
    app = get_application_model().objects.get(client_id="jupyterhub")
    assert app.redirect_uris == "http://127.0.0.1:8001/hub/oauth_callback"
    assert app.skip_authorization and app.client_type == "confidential"
    with pytest.raises(CommandError, match="--hub-url"):
        call_command(
            "hub_setup",
            "--hub-url",
            "127.0.0.1:8001",
            "--dasi-url",
            "http://x",
            "--env-file",
            str(env_file),
        )


def test_hub_setup_from_settings_registers_the_client(settings, db):
    settings.DASI_HUB_URL = "https://lab.example.org"
    settings.DASI_HUB_CLIENT_SECRET = "from-the-secret-store"  # noqa: S105
    call_command("hub_setup")
    app = get_application_model().objects.get(client_id="jupyterhub")
    assert app.redirect_uris == "https://lab.example.org/hub/oauth_callback"
    settings.DASI_HUB_CLIENT_SECRET = ""
    with pytest.raises(CommandError, match="DASI_HUB_CLIENT_SECRET"):
        call_command("hub_setup")
