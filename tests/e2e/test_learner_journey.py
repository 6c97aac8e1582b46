"""A new learner signs up on a centre's site, enrols, completes a lesson and sees progress, in
Korean, in a real Chromium against a live server; axe-core checks each page."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from lms.accounts.models import Membership, Role, User
from lms.learning.models import Enrolment, LessonProgress
from tests.factories import make_centre, make_course, wagtail_base_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site_url(live_server):
    port = urlsplit(live_server.url).port
    wagtail_base_ensure()
    centre = make_centre("dongtan", port=port, default=True)
    make_centre("gimpo", port=port)
    make_course(centre, "data-analysis", lessons=3)
    return f"http://dongtan.localhost:{port}"


def test_new_learner_signs_up_enrols_and_completes_a_lesson(page, axe, artifacts, site_url):
    page.goto(site_url + "/")
    assert page.locator("html").get_attribute("lang") == "ko"
    assert page.get_by_role("heading", name="과정 목록").is_visible()
    axe.check(page, "home")
    page.screenshot(path=artifacts / "01-home.png", full_page=True)

    page.get_by_role("link", name="회원가입").click()
    page.fill("input[name=username]", "newlearner")
    page.fill("input[name=email]", "newlearner@example.org")
    page.fill("input[name=password1]", "a-long-passphrase-2026")
    page.fill("input[name=password2]", "a-long-passphrase-2026")
    page.fill("input[name=name]", "김새봄")
    page.get_by_label("[필수]", exact=False).check()  # the consent to run the courses
    axe.check(page, "signup")
    page.screenshot(path=artifacts / "02-signup.png", full_page=True)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/learning/")
    assert page.get_by_role("heading", name="내 학습").is_visible()
    axe.check(page, "dashboard-empty")

    user = User.objects.get(username="newlearner")
    assert Membership.objects.filter(user=user, centre__slug="dongtan", role=Role.LEARNER).exists()

    page.goto(site_url + "/")
    page.get_by_role("link", name="data-analysis 과정").click()
    page.get_by_role("button", name="수강 신청").click()
    page.wait_for_load_state()
    assert page.get_by_text("레슨 3개 중 0개 완료").is_visible()
    axe.check(page, "course")
    page.screenshot(path=artifacts / "03-course.png", full_page=True)

    page.get_by_role("link", name="첫 레슨 시작하기").click()
    assert page.get_by_role("heading", name="레슨 1", exact=True).is_visible()
    assert page.get_by_text("판다스로").is_visible()
    axe.check(page, "lesson")
    page.screenshot(path=artifacts / "04-lesson.png", full_page=True)
    page.get_by_role("button", name="완료하고 다음으로").click()
    page.wait_for_url("**/lesson-2/")

    page.get_by_role("link", name="내 학습").click()
    assert page.get_by_text("레슨 3개 중 1개 완료 (33%)").is_visible()
    assert page.get_by_role("link", name="레슨 2").is_visible()
    axe.check(page, "dashboard")
    page.screenshot(path=artifacts / "05-dashboard.png", full_page=True)

    enrolment = Enrolment.objects.get(user=user)
    assert list(
        LessonProgress.objects.filter(enrolment=enrolment, status="completed").values_list(
            "lesson__slug", flat=True
        )
    ) == ["lesson-1"]


def test_english_switch_keeps_the_page(page, axe, site_url):
    page.goto(site_url + "/courses/data-analysis/")
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/courses/data-analysis/")
    assert page.locator("html").get_attribute("lang") == "en"
    # A visitor who is not signed in is offered a log-in that comes back here, not a button.
    login = page.get_by_role("link", name="Log in to enrol")
    assert login.is_visible()
    assert login.get_attribute("href").endswith("?next=/en/courses/data-analysis/")
    axe.check(page, "course-en")
