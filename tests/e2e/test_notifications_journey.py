"""A counsellor writes to a learner; the learner sees the bell, reads the notification, answers
in the thread and changes a setting; an instructor posts an announcement. In Chromium, with
axe-core on every page."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from lms.accounts.models import Role
from lms.counselling.services import caseload_assign
from lms.learning.services import enrolment_create
from lms.notifications.models import Message, NotificationPreference
from lms.notifications.services import message_send
from tests.factories import PASSWORD, make_centre, make_course, member, wagtail_base_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()


def test_messages_notifications_and_announcements(
    page, axe, artifacts, live_server, settings, tmp_path
):
    settings.DASI_SKILLS_ARTIFACT = tmp_path / "taxonomy.h5"
    settings.DASI_SKILLS_CACHE = tmp_path / "cache"
    port = urlsplit(live_server.url).port
    wagtail_base_ensure()
    centre = make_centre("dongtan", port=port, default=True)
    course = make_course(centre, "data-analysis", lessons=2, translate=False)
    learner = member(centre, Role.LEARNER, username="jiyoung", name="김지영")
    counsellor = member(centre, Role.COUNSELLOR, username="counsellor", name="박상담")
    instructor = member(centre, Role.INSTRUCTOR, username="teacher", name="이강사")
    admin = member(centre, Role.CENTRE_ADMIN, username="admin", mfa=False)
    enrolment_create(user=learner, course=course, centre=centre)
    caseload_assign(centre=centre, counsellor=counsellor, learners=[learner], assigned_by=admin)
    message_send(centre=centre, sender=counsellor, to=learner, body="다음 주 화요일에 만날까요?")
    base = f"http://dongtan.localhost:{port}"

    _sign_in(page, base, "jiyoung")
    page.goto(base + "/learning/")
    bell = page.locator("a.notification-bell")
    assert "1" in bell.inner_text()
    bell.click()
    page.wait_for_url("**/notifications/")
    axe.check(page, "notifications-list")
    page.screenshot(path=artifacts / "60-notifications-list.png", full_page=True)
    page.get_by_role("link", name="박상담 님의 새 메시지").click()
    page.wait_for_url("**/notifications/messages/*/")
    assert page.get_by_text("다음 주 화요일에 만날까요?").is_visible()
    page.get_by_label("메시지").fill("네, 좋아요.")
    page.get_by_role("button", name="보내기").click()
    page.wait_for_url("**/notifications/messages/*/")
    assert Message.objects.filter(author=learner, body="네, 좋아요.").exists()
    axe.check(page, "notifications-thread")
    page.screenshot(path=artifacts / "61-notifications-thread.png", full_page=True)
    assert "1" not in page.locator("a.notification-bell").inner_text()

    page.goto(base + "/notifications/messages/")
    axe.check(page, "notifications-threads")
    page.goto(base + "/notifications/preferences/")
    page.get_by_role("group", name="수강 중인 과정 업데이트").get_by_label("받지 않음").check()
    page.get_by_role("button", name="저장").click()
    page.wait_for_url("**/notifications/preferences/")
    assert NotificationPreference.objects.get(user=learner, kind="course_update").channel == "off"
    axe.check(page, "notifications-preferences")
    page.screenshot(path=artifacts / "62-notifications-preferences.png", full_page=True)

    _sign_in(page, base, "teacher")
    page.goto(base + f"/notifications/courses/{course.pk}/announcements/")
    page.get_by_label("제목").fill("다음 주 휴강")
    page.get_by_label("공지", exact=True).fill("다음 주 수업은 쉽니다.")
    page.get_by_role("button", name="올리기").click()
    page.wait_for_url("**/announcements/")
    axe.check(page, "notifications-announcements")
    page.screenshot(path=artifacts / "63-notifications-announcements.png", full_page=True)
    assert instructor.display_name in page.content()

    _sign_in(page, base, "jiyoung")
    page.goto(base + "/en/notifications/")
    assert page.get_by_role("link", name="data-analysis 과정: 다음 주 휴강").is_visible()
    axe.check(page, "notifications-list-en")
