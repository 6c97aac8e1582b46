"""Return addresses (`next=`, the hub's `origin=`) lead only to Dasi's own pages."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from urllib.parse import urlencode

from django.test import RequestFactory
from django.urls import reverse

import pytest

from lms.accounts.redirects import safe_return_path
from lms.learning.services import enrolment_create
from lms.privacy.texts import CURRENT_VERSION
from tests.conftest import A_HOST, B_HOST
from tests.factories import PASSWORD, lessons_of

HOSTILE = [
    "/\\evil.example",
    "\\\\evil.example",
    "%2F%2Fevil.example",
    "/%5Cevil.example",
    "/%2Fevil.example",
    "javascript:alert(1)",
    "https://evil.example/",
    "//evil.example",
    "/\t/evil.example",
    "http://dongtan.localhost/learning/",  # absolute, even to this host: paths only
]
LOCAL = "/courses/data-analysis/lesson-2/?tab=notes#top"


@pytest.mark.parametrize("target", HOSTILE)
def test_the_helper_refuses_anything_but_a_local_path(target):
    request = RequestFactory().get("/", HTTP_HOST=A_HOST)
    assert safe_return_path(request, target, fallback="/fallback/") == "/fallback/"


@pytest.mark.parametrize("target", [LOCAL, "/", "/en/learning/", "/courses/%ED%95%9C/"])
def test_the_helper_keeps_a_local_path(target):
    request = RequestFactory().get("/", HTTP_HOST=A_HOST)
    assert safe_return_path(request, target, fallback="/fallback/") == target


def test_joining_a_centre_returns_only_to_a_local_path(client, learner_a, centre_b):
    client.force_login(learner_a)
    for target in HOSTILE:
        response = client.post(reverse("join_centre"), {"next": target}, HTTP_HOST=B_HOST)
        assert (response.status_code, response["Location"]) == (302, "/"), target
    response = client.post(reverse("join_centre"), {"next": LOCAL}, HTTP_HOST=B_HOST)
    assert response["Location"] == LOCAL


def test_completing_a_lesson_returns_only_to_a_local_path(client, learner_a, course_a, centre_a):
    enrolment_create(user=learner_a, course=course_a, centre=centre_a)
    client.force_login(learner_a)
    lesson = lessons_of(course_a)[0]
    url = reverse("learning:lesson_complete", args=[lesson.pk])
    for target in HOSTILE:
        response = client.post(url, {"next": target}, HTTP_HOST=A_HOST)
        assert (response.status_code, response["Location"]) == (302, lesson.url), target
    assert client.post(url, {"next": LOCAL}, HTTP_HOST=A_HOST)["Location"] == LOCAL


def test_signing_in_returns_only_to_a_local_path(client, learner_a):
    dashboard = reverse("learning:dashboard")
    for target in HOSTILE:
        response = client.post(
            reverse("account_login"),
            {"login": learner_a.username, "password": PASSWORD, "next": target},
            HTTP_HOST=A_HOST,
        )
        assert (response.status_code, response["Location"]) == (302, dashboard), target
        client.logout()
    response = client.post(
        reverse("account_login"),
        {"login": learner_a.username, "password": PASSWORD, "next": LOCAL},
        HTTP_HOST=A_HOST,
    )
    assert response["Location"] == LOCAL


def test_switching_language_returns_only_to_a_local_path(client, centre_a):
    for target in HOSTILE:
        response = client.post(
            reverse("set_language"), {"language": "en", "next": target}, HTTP_HOST=A_HOST
        )
        assert response.status_code == 302, target
        assert response["Location"] in ("/", "/en/"), target
    response = client.post(
        reverse("set_language"), {"language": "ko", "next": "/learning/"}, HTTP_HOST=A_HOST
    )
    assert response["Location"] == "/learning/"


def test_the_consent_page_returns_only_to_a_local_path(client, learner_a, settings):
    settings.DASI_CONSENT_REQUIRED = True
    client.force_login(learner_a)
    form = {"text_version": CURRENT_VERSION, "consent_course": "on"}
    for target in HOSTILE:
        query = urlencode({"next": target})
        response = client.post(f"/privacy/consent/?{query}", form, HTTP_HOST=A_HOST)
        assert (response.status_code, response["Location"]) == (302, "/"), target
    response = client.post(
        f"/privacy/consent/?{urlencode({'next': LOCAL})}", form, HTTP_HOST=A_HOST
    )
    assert response["Location"] == LOCAL


def test_the_admin_sign_in_address_returns_only_to_a_local_path(client, admin_a):
    admin_home = reverse("wagtailadmin_home")
    client.force_login(admin_a)
    for target in HOSTILE:
        response = client.get(reverse("admin_login"), {"next": target}, HTTP_HOST=A_HOST)
        assert (response.status_code, response["Location"]) == (302, admin_home), target
    response = client.get(reverse("admin_login"), {"next": LOCAL}, HTTP_HOST=A_HOST)
    assert response["Location"] == LOCAL


def _dasi_return():
    path = Path(__file__).resolve().parents[2] / "deploy" / "jupyterhub" / "dasi_return.py"
    spec = importlib.util.spec_from_file_location("dasi_return", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


LAUNCH = "0b6f7a52-9d1c-4a43-9a55-2f0c3e8e4d11"
DASI = "http://dongtan.localhost:8000"
ORIGINS = "http://dongtan.localhost:8000/,http://gimpo.localhost:8000"


@pytest.mark.parametrize(
    "origin",
    [
        *HOSTILE,
        "https://evil.example",
        "http://gimpo.localhost:8000.evil.example",
        "http://gimpo.localhost:8000@evil.example",
        "http://user@gimpo.localhost:8000",
        "http://gimpo.localhost:8000/\\evil.example",
        "http://gimpo.localhost:8000/path",
        "http://gimpo.localhost:8000?x=//evil.example",
        "",
    ],
)
def test_the_hub_sends_an_unknown_origin_home(origin):
    target = _dasi_return().return_url(launch=LAUNCH, origin=origin, dasi_url=DASI, origins=ORIGINS)
    assert target == f"{DASI}/sandboxes/launches/{LAUNCH}/"


def test_the_hub_returns_to_the_centre_the_learner_came_from():
    module = _dasi_return()
    for origin in ("http://gimpo.localhost:8000/", "http://GIMPO.localhost:8000"):
        target = module.return_url(launch=LAUNCH, origin=origin, dasi_url=DASI, origins=ORIGINS)
        assert target == f"http://gimpo.localhost:8000/sandboxes/launches/{LAUNCH}/"


@pytest.mark.parametrize("launch", ["", "../../evil", "x" * 10, "a" * 37, "/\\evil.example"])
def test_the_hub_refuses_a_launch_that_is_no_uuid(launch):
    assert _dasi_return().return_url(launch=launch, origin=DASI, dasi_url=DASI) is None
