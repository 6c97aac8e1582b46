"""A launched learner opens a notebook sandbox like any other learner; centre admins keep
their platforms' registrations in the Wagtail admin, for their own centre only."""

from __future__ import annotations

import re
from pathlib import Path

from django.core.files.base import ContentFile
from django.test import Client

import requests

from assessments.models import Assessment
from courses.services import page_publish
from lms.accounts.models import Role
from lms.lti.models import Identity, Registration
from lms.sandboxes.models import SandboxLaunch
from tests.factories import lessons_of, member

from .conftest import launch
from .platform import LEARNER, LaunchSpec

ROOT_NOTEBOOK = (
    Path(__file__).resolve().parents[2]
    / "notebooks_templates"
    / "python-data-basics"
    / "python-data-basics.ipynb"
).read_bytes()


def test_launched_learner_opens_a_notebook_sandbox(lti, settings):
    settings.DASI_HUB_URL = "http://127.0.0.1:18399"  # the hub's address; nothing listens
    settings.DASI_HUB_API_TOKEN = "token"
    notebook = Assessment.objects.create(
        centre=lti["a"], title="파이썬 기초 실습", kind=Assessment.Kind.NOTEBOOK, max_attempts=3
    )
    notebook.notebook_source.save("python-data-basics.ipynb", ContentFile(ROOT_NOTEBOOK))
    lesson = lessons_of(lti["course"])[1]
    lesson.body = [
        *lesson.body.raw_data,
        {"type": "notebook", "value": {"assessment": notebook.pk, "introduction": ""}},
    ]
    page_publish(lesson)
    key = f"assessment:{notebook.pk}:{lesson.pk}"
    session, answer, _ = launch(
        lti["platform"], LaunchSpec(sub="nb-1", roles=[LEARNER], custom={"dasi_item": key})
    )
    assert answer.status_code == 302, answer.text
    assert answer.headers["Location"] == f"/assessments/{notebook.pk}/exercise/{lesson.pk}/"
    page = session.get(lti["base"] + answer.headers["Location"], timeout=30)
    assert page.status_code == 200 and "data-open-exercise" in page.text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    opened = session.post(
        lti["base"] + re.search(r'action="(/sandboxes/[^"]+)"', page.text).group(1),
        data={"csrfmiddlewaretoken": token, "intent": "open"},
        headers={"Referer": page.url},
        allow_redirects=False,
        timeout=30,
    )
    assert opened.status_code == 302, opened.text
    user = Identity.objects.get(sub="nb-1").user
    assert SandboxLaunch.objects.filter(user=user, assessment=notebook, lesson=lesson).exists()


def test_centre_admin_registers_a_platform_for_their_centre_only(lti):
    admin = member(lti["a"], Role.CENTRE_ADMIN, username="a-admin")
    client = Client()
    client.force_login(admin)
    host = {"HTTP_HOST": f"localhost:{lti['base'].rsplit(':', 1)[1]}"}
    listing = client.get("/admin/lti/", **host)
    assert listing.status_code == 200
    assert "/lti/register/?ticket=" in listing.content.decode()
    assert lti["registration"].client_id in listing.content.decode()
    values = {
        "name": "Moodle",
        "issuer": "https://moodle.example.org",
        "client_id": "abc",
        "deployment_ids": "1\n2",
        "auth_login_url": "https://moodle.example.org/mod/lti/auth.php",
        "auth_token_url": "https://moodle.example.org/mod/lti/token.php",
        "key_set_url": "https://moodle.example.org/mod/lti/certs.php",
        "active": "on",
    }
    refused = client.post("/admin/lti/add/", {**values, "centre": lti["b"].pk}, **host)
    assert refused.status_code == 200  # the form again: centre B is not a choice
    assert not Registration.objects.filter(client_id="abc").exists()
    saved = client.post("/admin/lti/add/", {**values, "centre": lti["a"].pk}, **host)
    assert saved.status_code == 302
    registration = Registration.objects.get(client_id="abc")
    assert registration.centre == lti["a"] and registration.deployment_ids == ["1", "2"]

    other_admin = member(lti["b"], Role.CENTRE_ADMIN, username="b-admin")
    other = Client()
    other.force_login(other_admin)
    assert other.get(f"/admin/lti/{registration.pk}/", **host).status_code == 404
    assert "abc" not in other.get("/admin/lti/", **host).content.decode()


def test_tool_key_is_encrypted_at_rest(lti):
    from lms.lti.models import ToolKey  # noqa: PLC0415

    requests.get(lti["base"] + "/lti/jwks/", timeout=30)
    key = ToolKey.objects.get(centre=lti["a"])
    assert b"PRIVATE KEY" not in bytes(key.private_key_encrypted)
