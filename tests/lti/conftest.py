"""Dasi served live with a real LTI 1.3 platform (lti1p3platform) beside it."""

from __future__ import annotations

import os
import re
from html import unescape
from urllib.parse import urlsplit

import pytest
import requests

from hub_sites.services import centre_create
from lms.lti.services import registration_create
from tests.factories import lessons_of, make_course, make_quiz, wagtail_base_ensure

from .platform import LaunchSpec, Platform

# Loopback ports of the test platforms (DASI_TEST_LTI_PORT moves both, for parallel runs).
PLATFORM_PORT = int(os.environ.get("DASI_TEST_LTI_PORT", "18301"))
OTHER_PLATFORM_PORT = PLATFORM_PORT + 1


def centre_on(host: str, port: int, slug: str, *, default: bool = False):
    return centre_create(
        slug=slug,
        hostname=host,
        port=port,
        is_default_site=default,
        name_ko=f"{slug} 센터",
        name_en=f"{slug.title()} Centre",
        certificate_issuer_name=f"{slug.title()} Centre",
    )


@pytest.fixture
def lti(live_server, transactional_db):
    """Centre A on localhost, centre B on 127.0.0.1 (both the live server), a course with a
    quiz in each, and a platform registered with centre A."""
    wagtail_base_ensure()
    port = urlsplit(live_server.url).port
    a = centre_on("localhost", port, "dongtan", default=True)
    b = centre_on("127.0.0.1", port, "gimpo")
    course = make_course(a, "data-analysis", lessons=2)
    quiz = make_quiz(a, course, max_attempts=3)
    other_course = make_course(b, "gimpo-course", lessons=1, translate=False)
    other_quiz = make_quiz(b, other_course, title="gimpo quiz")
    platform = Platform(PLATFORM_PORT, f"http://localhost:{port}").start()
    registration = registration_create(centre=a, **platform.values())
    yield {
        "a": a,
        "b": b,
        "base": f"http://localhost:{port}",
        "base_b": f"http://127.0.0.1:{port}",
        "course": course,
        "lesson": lessons_of(course)[0],
        "quiz": quiz,
        "other_course": other_course,
        "other_quiz": other_quiz,
        "platform": platform,
        "registration": registration,
    }
    platform.stop()


FORM_INPUT = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)">')
FORM_ACTION = re.compile(r'<form[^>]*action="([^"]*)"')


def post_form(session: requests.Session, page: str, **kwargs) -> requests.Response:
    """Submit the auto-posting form of a page as a browser's script would."""
    action = unescape(FORM_ACTION.search(page).group(1))
    data = {name: unescape(value) for name, value in FORM_INPUT.findall(page)}
    return session.post(action, data=data, **kwargs)


def launch(platform: Platform, spec: LaunchSpec, session=None, *, login_url=None):
    """A browser's LTI launch: the platform's login initiation to Dasi, Dasi's redirect to the
    platform's authentication endpoint, the signed launch posted back to Dasi. Returns
    (session, Dasi's answer to the launch, the id_token and state it posted)."""
    session = session or requests.Session()
    answer = session.get(login_url or platform.login_url(spec), allow_redirects=False)
    if answer.status_code != 302:
        return session, answer, None
    page = session.get(answer.headers["Location"])
    assert page.status_code == 200, page.text
    data = {name: unescape(value) for name, value in FORM_INPUT.findall(page.text)}
    answer = post_form(session, page.text, allow_redirects=False)
    return session, answer, data
