"""In Chromium: a centre admin signs in with the password and an authenticator app's code,
works in the Wagtail admin, and every page seen passes the Content Security Policy; an
injected inline script is refused, and the browser helper notices."""

from __future__ import annotations

from urllib.parse import urlsplit

import pyotp
import pytest

from lms.accounts.models import Role
from tests.factories import (
    PASSWORD,
    lessons_of,
    make_centre,
    make_course,
    make_quiz,
    member,
    wagtail_base_ensure,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_injected_inline_script_is_refused_and_reported(page, live_server):
    port = urlsplit(live_server.url).port
    wagtail_base_ensure()
    make_centre("dongtan", port=port, default=True)
    page.goto(f"http://dongtan.localhost:{port}/")
    ran = page.evaluate(
        """() => new Promise((resolve) => {
          window.__injected = false;
          document.addEventListener("securitypolicyviolation", () => resolve(window.__injected));
          const s = document.createElement("script");
          s.textContent = "window.__injected = true";
          document.body.appendChild(s);
        })"""
    )
    assert ran is False
    page.wait_for_timeout(200)  # the binding's report arrives after the event
    assert any("script-src" in v for v in page.csp_violations), page.csp_violations
    page.csp_violations.clear()  # provoked on purpose; the fixture fails on any other


def test_a_centre_admin_signs_in_with_a_code_and_edits_a_lesson(page, live_server, artifacts):
    port = urlsplit(live_server.url).port
    wagtail_base_ensure()
    centre = make_centre("dongtan", port=port, default=True)
    course = make_course(centre, "data-analysis", lessons=2)
    make_quiz(centre, course)
    admin = member(centre, Role.CENTRE_ADMIN, username="centre-admin")
    base = f"http://dongtan.localhost:{port}"

    page.goto(base + "/admin/")
    page.wait_for_url("**/accounts/login/?next=/admin/")
    page.fill("input[name=login]", "centre-admin")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.fill("input[name=code]", pyotp.TOTP(admin.totp_secret).now())
    page.press("input[name=code]", "Enter")  # the page's other button cancels the sign-in
    page.wait_for_load_state("networkidle")
    page.screenshot(path=artifacts / "csp-admin-after-code.png", full_page=True)
    assert urlsplit(page.url).path == "/admin/", page.url

    lesson = lessons_of(course)[0]
    page.goto(f"{base}/admin/pages/{lesson.pk}/edit/")
    page.wait_for_load_state("networkidle")
    assert page.locator("form#page-edit-form").is_visible()
    page.screenshot(path=artifacts / "csp-admin-edit.png", full_page=True)
    page.goto(f"{base}/admin/pages/{course.pk}/")
    page.wait_for_load_state("networkidle")
    page.goto(base + lesson.url)
    page.wait_for_load_state("networkidle")
