"""In Chromium: a centre admin opens the retention periods in the Wagtail admin, sees what
the nightly task would delete, is told in Korean what a period may be, and saves."""

from __future__ import annotations

from urllib.parse import urlsplit

import pyotp
import pytest

from lms.accounts.models import Role
from lms.privacy.models import AuditEvent, CentrePrivacyPolicy
from tests.factories import PASSWORD, make_centre, member, wagtail_base_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_centre_admin_sets_the_retention_periods(page, axe, live_server, artifacts):
    port = urlsplit(live_server.url).port
    wagtail_base_ensure()
    dongtan = make_centre("dongtan", port=port, default=True)
    member(make_centre("gimpo", port=port), Role.CENTRE_ADMIN, username="gimpo-admin")
    admin = member(dongtan, Role.CENTRE_ADMIN, username="centre-admin")
    base = f"http://dongtan.localhost:{port}"

    page.goto(base + "/admin/privacy/retention/")
    page.wait_for_url("**/accounts/login/**")
    page.fill("input[name=login]", "centre-admin")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/accounts/2fa/authenticate/**")
    page.fill("input[name=code]", pyotp.TOTP(admin.totp_secret).now())
    page.press("input[name=code]", "Enter")
    page.wait_for_url("**/admin/privacy/retention/")
    assert page.locator('tr[data-centre="dongtan"]').count() == 1
    assert page.locator('tr[data-centre="gimpo"]').count() == 0
    page.screenshot(path=artifacts / "40-retention-index.png", full_page=True)
    axe.check(page, "retention-index")

    page.get_by_role("link", name="수정").click()
    page.wait_for_url("**/admin/privacy/retention/dongtan/")
    assert page.locator('dd[data-category="submissions"]').inner_text() == "0"
    page.fill("input[name=access_log_days]", "30")
    page.get_by_role("button", name="저장").click()
    page.locator("ul.errorlist").first.wait_for()
    assert "365일에서 3650일 사이의 일수를 입력하세요" in page.content()
    page.screenshot(path=artifacts / "41-retention-refused.png", full_page=True)
    axe.check(page, "retention-refused")

    page.fill("input[name=access_log_days]", "730")
    page.fill("input[name=submission_days]", "365")
    page.get_by_role("button", name="저장").click()
    page.wait_for_url("**/admin/privacy/retention/dongtan/")
    page.get_by_text("보관 기간을 저장했습니다.").wait_for()
    page.screenshot(path=artifacts / "42-retention-saved.png", full_page=True)
    policy = CentrePrivacyPolicy.objects.get(centre__slug="dongtan")
    assert (policy.access_log_days, policy.submission_days) == (730, 365)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EDIT, actor=admin).exists()
