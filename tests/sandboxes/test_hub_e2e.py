"""End to end on loopback: Dasi (live server) + a real JupyterHub + configurable-http-proxy.

A learner opens an exercise (OIDC sign-in through Dasi, server spawned, notebook provisioned),
edits and saves it in JupyterLab, submits it from Dasi, and the gradebook shows the score. And
the walls: another learner's server and files, staff servers, a spawn that fails.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from django.urls import reverse

import pytest
import requests
from prometheus_client import REGISTRY

from assessments.models import Attempt
from lms.accounts.models import Role
from lms.accounts.oidc import hub_username
from lms.sandboxes.models import SandboxLaunch
from tests.factories import member

from .conftest import csrf_post, dasi_login, follow

pytestmark = [pytest.mark.hub, pytest.mark.sandbox, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
RUNUSER = "/usr/sbin/runuser"
SOURCE = (
    ROOT / "notebooks_templates" / "python-data-basics" / "python-data-basics.ipynb"
).read_bytes()


def _exercise_url(world) -> str:
    path = reverse("assessments:exercise", args=[world["assessment"].pk, world["lesson"].pk])
    return world["base"] + path


def _launch(session, world, intent="open") -> requests.Response:
    start = reverse("sandboxes:start", args=[world["assessment"].pk, world["lesson"].pk])
    response = csrf_post(session, _exercise_url(world), world["base"] + start, {"intent": intent})
    assert response.status_code == 302, response.text[:500]
    return follow(session, requests.compat.urljoin(world["base"], response.headers["Location"]))


def _contents(session, hub, user, path, **params):
    url = f"{hub.url}/user/{user}/api/contents/{path}"
    return session.get(url, params={"content": 1, **params}, timeout=10)


def _sources(notebook: dict) -> list[str]:
    return ["".join(c["source"]) for c in notebook["cells"]]


def _solve(notebook: dict) -> dict:
    """What a learner does in JupyterLab: write the solutions into the answer cells."""
    solutions = {
        cell["metadata"]["nbgrader"]["grade_id"]: cell["source"]
        for cell in json.loads(SOURCE)["cells"]
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution")
    }
    for cell in notebook["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in solutions:
            cell["source"] = solutions[grade_id]
    return notebook


def test_open_edit_submit_and_the_gradebook_shows_the_score(hub, world, client):
    learner = world["learner"]
    name = hub_username(learner)
    browser = requests.Session()
    dasi_login(browser, world["base"], "jiyoung")

    launches = "dasi_sandbox_launch_duration_seconds_count"
    launched_before = REGISTRY.get_sample_value(launches) or 0
    lab = _launch(browser, world)  # first time: hub sign-in through Dasi, spawn, provision
    launch = SandboxLaunch.objects.get(user=learner)
    # The live server runs in this process: its launch duration is on this registry, once.
    assert REGISTRY.get_sample_value(launches) == launched_before + 1
    assert lab.status_code == 200
    assert f"/user/{name}/lab/tree/exercises/" in lab.url, (launch.state, launch.error)
    assert launch.state == SandboxLaunch.State.READY
    assert launch.notebook_path in launch.provisioned

    notebook = _contents(browser, hub, name, launch.notebook_path)
    assert notebook.status_code == 200, notebook.text
    model = notebook.json()["content"]
    assert "YOUR CODE HERE" in json.dumps(model)  # the learner version, solutions stripped
    text = json.dumps(model)
    assert "BEGIN HIDDEN TESTS" not in text and "BEGIN SOLUTION" not in text

    # The learner edits the notebook in JupyterLab and saves it (contents API, as the lab does).
    solved = _solve(model)
    xsrf = next(
        (
            c.value
            for c in browser.cookies
            if c.name == "_xsrf" and c.path.startswith(f"/user/{name}")
        ),
        None,
    ) or next(c.value for c in browser.cookies if c.name == "_xsrf")
    saved = browser.put(
        f"{hub.url}/user/{name}/api/contents/{launch.notebook_path}",
        json={"type": "notebook", "format": "json", "content": solved},
        headers={"X-XSRFToken": xsrf or ""},
        timeout=10,
    )
    assert saved.status_code == 200, saved.text

    # Opening it again with the server running copies nothing over the learner's edit.
    again = _launch(browser, world)
    assert again.status_code == 200
    second = SandboxLaunch.objects.filter(user=learner).order_by("-created_at").first()
    assert second.provisioned == []
    kept = _contents(browser, hub, name, launch.notebook_path).json()["content"]
    assert _sources(kept) == _sources(solved)

    # "Submit my notebook": Dasi fetches it through the hub, stores it, grades it.
    result = _launch(browser, world, intent="submit")
    assert result.status_code == 200 and result.url == _exercise_url(world)
    attempt = Attempt.objects.get(user=learner, assessment=world["assessment"])
    stored = json.loads(attempt.submission.read())
    assert _sources(stored) == _sources(solved)
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED
    grading = attempt.gradings.first()
    assert attempt.score == attempt.max_score > 0, (
        grading.error,
        [c.get("feedback") for c in grading.cells],
    )
    instructor = member(world["centre"], Role.INSTRUCTOR, username="teacher", name="강사")
    client.force_login(instructor)
    export = client.get(reverse("assessments_gradebook_csv", args=[world["course"].pk]))
    assert export.status_code == 200
    rows = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()
    row = next(line for line in rows if "김지영" in line)
    assert "100" in row, rows


def test_a_learner_cannot_reach_another_learners_server_or_files(hub, world):
    first = requests.Session()
    dasi_login(first, world["base"], "jiyoung")
    assert _launch(first, world).status_code == 200
    owner = hub_username(world["learner"])
    path = SandboxLaunch.objects.get(user=world["learner"]).notebook_path

    intruder = requests.Session()
    dasi_login(intruder, world["base"], "minho")
    assert _launch(intruder, world).status_code == 200
    intruder_name = hub_username(world["other"])

    # Through the hub: the other learner's server refuses them.
    response = _contents(intruder, hub, owner, path)
    assert response.status_code == 403, (response.status_code, response.url)
    assert "YOUR CODE HERE" not in response.text
    lab = intruder.get(f"{hub.url}/user/{owner}/lab", timeout=10)
    assert lab.status_code == 403, (lab.status_code, lab.url)
    # Someone else's launch page does not exist for them.
    launch = SandboxLaunch.objects.get(user=world["learner"])
    page = intruder.get(world["base"] + reverse("sandboxes:launch", args=[launch.pk]), timeout=10)
    assert page.status_code == 404

    if os.geteuid() == 0:
        # On the machine: their code runs as another system user, without access to the first
        # learner's home, Dasi's private files, or any service on loopback but the hub.
        def as_intruder(code: str) -> subprocess.CompletedProcess:
            python = Path(os.environ.get("DASI_SINGLEUSER_ENV", "/opt/dasi/singleuser"))
            command = [RUNUSER, "-u", intruder_name, "--", str(python / "bin" / "python")]
            return subprocess.run(  # noqa: S603 — our own test command
                [*command, "-c", code],
                capture_output=True,
                text=True,
                timeout=30,
            )

        home = f"/home/{owner}/{path}"
        assert as_intruder(f"open({home!r}).read()").returncode != 0
        for private in (ROOT / "var", ROOT / "var" / "oidc-rsa.pem"):
            if private.exists():
                assert (
                    as_intruder(
                        f"import os; os.listdir({str(private)!r}) if os.path.isdir({str(private)!r}) else open({str(private)!r}).read()"
                    ).returncode
                    != 0
                )
        blocked = as_intruder(
            "import socket; s = socket.create_connection(('127.0.0.1', 5432), timeout=3)"
        )
        assert blocked.returncode != 0 and (
            "refused" in blocked.stderr.lower() or "unreachable" in blocked.stderr.lower()
        )


def test_dasi_token_cannot_act_on_staff_servers(hub, world):
    counsellor = member(world["centre"], Role.COUNSELLOR, username="counsellor", name="상담사")
    staff = requests.Session()
    dasi_login(staff, world["base"], "counsellor")
    # Staff sign in to the hub through Dasi too (e.g. to look at an exercise)...
    home = follow(staff, f"{hub.url}/hub/home")
    assert home.status_code == 200
    name = hub_username(counsellor)
    headers = {"Authorization": f"token {hub.api_token}"}
    # ...but Dasi's service token neither sees nor starts their server, nor mints their tokens.
    assert requests.get(
        f"{hub.url}/hub/api/users/{name}", headers=headers, timeout=10
    ).status_code in (403, 404)
    start = requests.post(
        f"{hub.url}/hub/api/users/{name}/server", headers=headers, json={}, timeout=10
    )
    assert start.status_code in (403, 404)
    token = requests.post(
        f"{hub.url}/hub/api/users/{name}/tokens", headers=headers, json={}, timeout=10
    )
    assert token.status_code in (403, 404)
    admin = requests.get(
        f"{hub.url}/hub/api/users/{name}",
        headers={"Authorization": f"token {hub.admin_token}"},
        timeout=10,
    ).json()
    assert "staff" in admin["groups"] and "learners" not in admin["groups"]


def test_a_server_that_cannot_start_ends_in_a_plain_message(hub, world):
    (hub.state_dir / "refuse-spawn").write_text(hub_username(world["learner"]))
    browser = requests.Session()
    dasi_login(browser, world["base"], "jiyoung")
    page = _launch(browser, world)
    assert page.status_code == 200
    assert "JupyterLab" in page.text and "data-launch-status" not in page.text
    launch = SandboxLaunch.objects.get(user=world["learner"])
    assert launch.state == SandboxLaunch.State.FAILED
    assert launch.error == "JupyterLab을 시작하지 못했습니다."  # the server, not the hub
    download = reverse(
        "assessments:exercise_download", args=[world["assessment"].pk, world["lesson"].pk]
    )
    assert download in page.text  # the download/upload path is offered
    assert Attempt.objects.count() == 0


def test_jupyterlab_speaks_the_learners_language_and_the_notebook_opens_unchanged(hub, world):
    from django.utils import translation

    world["other"].preferred_language = "en"
    world["other"].save(update_fields=["preferred_language"])
    python = Path(os.environ.get("DASI_SINGLEUSER_ENV", "/opt/dasi/singleuser")) / "bin" / "python"
    kernel_info = subprocess.run(  # noqa: S603 — what the learners' kernel reports
        [str(python), "-c", "import json; from ipykernel.ipkernel import IPythonKernel as K; "
         "print(json.dumps(K.language_info))"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    for username, user, language, locale in (
        ("jiyoung", world["learner"], "ko", "ko_KR"),
        ("minho", world["other"], "en", "en"),
    ):
        browser = requests.Session()
        dasi_login(browser, world["base"], username)
        with translation.override(language):  # the learner's page language: /en/... for English
            lab = _launch(browser, world)
        assert lab.status_code == 200 and "/lab/tree/exercises/" in lab.url
        name = hub_username(user)
        plugin = "@jupyterlab/translation-extension:plugin"
        setting = browser.get(f"{hub.url}/user/{name}/lab/api/settings/{plugin}", timeout=10)
        # What the lab applies: the learner's own setting (none yet) over the defaults, which
        # carry the server's labconfig override.
        body = setting.json()
        default = body["schema"]["properties"]["locale"]["default"]
        assert body["settings"].get("locale", default) == locale, (default, body["settings"])
        pack = browser.get(f"{hub.url}/user/{name}/lab/api/translations/{locale}", timeout=10)
        if locale == "ko_KR":  # the language pack is installed and answers in Korean
            assert pack.json()["message"] == "", pack.text[:300]
            assert pack.json()["data"]["jupyterlab"]["Settings"] == ["설정"]

        # The notebook as the server serves it already holds what JupyterLab would write on
        # open (kernelspec and the kernel's language_info): nothing marks it modified.
        launch = SandboxLaunch.objects.filter(user=user).latest("created_at")
        notebook = _contents(browser, hub, name, launch.notebook_path).json()["content"]
        specs = browser.get(f"{hub.url}/user/{name}/api/kernelspecs", timeout=10).json()
        spec = specs["kernelspecs"][notebook["metadata"]["kernelspec"]["name"]]
        assert notebook["metadata"]["kernelspec"] == {
            "name": spec["name"],
            "display_name": spec["spec"]["display_name"],
            "language": spec["spec"]["language"],
        }
        assert notebook["metadata"]["language_info"] == json.loads(kernel_info.stdout)
        # The way back to Dasi, in the learner's language, on top.
        first = notebook["cells"][0]
        assert first["cell_type"] == "markdown" and first["metadata"]["editable"] is False
        back = "레슨으로 돌아가기" if language == "ko" else "Back to the lesson"
        assert back in first["source"] and world["base"] in first["source"]
        assert world["lesson"].url.rstrip("/") in first["source"]
