"""A learner arrives, answers the consent page, withdraws a consent on the privacy page and
downloads their data archive, in Korean and English in Chromium; axe-core checks each page."""

from __future__ import annotations

import json
import zipfile
from urllib.parse import urlsplit

import pytest

from lms.accounts.models import Role
from lms.learning.services import enrolment_create
from lms.privacy.models import ConsentRecord, DataExport, Purpose
from lms.privacy.selectors import consent_withdrawn
from tests.factories import PASSWORD, make_centre, make_course, member, wagtail_base_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_learner_consents_withdraws_and_downloads_their_data(
    page, axe, artifacts, live_server, settings, tmp_path
):
    settings.DASI_CONSENT_REQUIRED = True
    settings.DASI_SKILLS_ARTIFACT = tmp_path / "taxonomy.h5"
    settings.DASI_SKILLS_CACHE = tmp_path / "cache"
    port = urlsplit(live_server.url).port
    wagtail_base_ensure()
    centre = make_centre("dongtan", port=port, default=True)
    course = make_course(centre, "data-analysis", lessons=2, translate=False)
    learner = member(centre, Role.LEARNER, username="jiyoung", name="김지영")
    enrolment_create(user=learner, course=course, centre=centre)
    base = f"http://dongtan.localhost:{port}"

    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", "jiyoung")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/privacy/consent/**")
    assert page.get_by_role("heading", name="계속하기 전에").is_visible()
    axe.check(page, "privacy-consent")
    page.screenshot(path=artifacts / "40-privacy-consent.png", full_page=True)
    page.get_by_label("[필수]", exact=False).check()
    page.get_by_label("[선택] 추천을 위한", exact=False).check()
    page.get_by_role("button", name="저장하고 계속").click()
    page.wait_for_url("**/learning/")
    assert ConsentRecord.objects.filter(user=learner, granted=True).count() == 2

    page.goto(base + "/privacy/")
    assert page.get_by_role("heading", name="개인정보와 내 데이터").is_visible()
    page.get_by_label("[선택] 추천을 위한", exact=False).uncheck()
    page.get_by_role("button", name="선택 저장").click()
    page.wait_for_url("**/privacy/")
    assert page.get_by_text("동의 선택을 저장했습니다.").is_visible()
    assert consent_withdrawn(user=learner, purpose=Purpose.RECOMMENDATIONS)
    row = page.locator("tr[data-purpose=recommendations]")
    assert "동의하지 않음" in row.inner_text()

    page.get_by_role("button", name="내려받을 파일 준비").click()
    page.wait_for_url("**/privacy/")
    assert DataExport.objects.get(user=learner).status == DataExport.Status.READY
    axe.check(page, "privacy-account")
    page.screenshot(path=artifacts / "41-privacy-account.png", full_page=True)
    with page.expect_download() as download_info:
        page.get_by_test_id("export-download").click()
    archive = tmp_path / "my-data.zip"
    download_info.value.save_as(archive)
    data = json.loads(zipfile.ZipFile(archive).read("my-data.json"))
    assert data["account"]["username"] == "jiyoung"
    assert data["enrolments"][0]["course_id"] == course.pk
    assert {c["purpose"] for c in data["consents"]} == {p.value for p in Purpose}

    page.goto(base + "/en/privacy/")
    assert page.get_by_role("heading", name="Privacy and your data").is_visible()
    assert page.get_by_text("downloaded").first.is_visible()
    axe.check(page, "privacy-account-en")
    page.screenshot(path=artifacts / "42-privacy-account-en.png", full_page=True)
