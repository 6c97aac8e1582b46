"""A learner takes a quiz in Korean in Chromium, sees the result and feedback; axe-core
checks the quiz pages."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from assessments.models import Attempt
from lms.accounts.models import Role
from lms.learning.services import enrolment_create
from tests.factories import (
    PASSWORD,
    make_centre,
    make_course,
    make_quiz,
    member,
    wagtail_base_ensure,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_learner_takes_a_quiz(page, axe, artifacts, live_server):
    port = urlsplit(live_server.url).port
    wagtail_base_ensure()
    centre = make_centre("dongtan", port=port, default=True)
    course = make_course(centre, "data-analysis", lessons=2)
    make_quiz(centre, course)
    learner = member(centre, Role.LEARNER, username="quizzer", name="박퀴즈")
    enrolment_create(user=learner, course=course, centre=centre)
    base = f"http://dongtan.localhost:{port}"

    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", "quizzer")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/learning/")

    page.goto(base + "/courses/data-analysis/lesson-1/")
    page.get_by_role("link", name="퀴즈 열기").click()
    assert page.get_by_role("heading", name="판다스 확인 퀴즈").is_visible()
    axe.check(page, "quiz-cover")
    page.get_by_role("button", name="퀴즈 시작").click()
    page.wait_for_url("**/assessments/attempts/*/")
    axe.check(page, "quiz-attempt")

    page.get_by_label("pd.read_csv").check()
    page.get_by_label("dropna").check()  # half of the multiple-choice answer
    page.get_by_text("저장했습니다").wait_for()  # saved as the learner goes
    attempt = Attempt.objects.get()
    assert len(attempt.answers) >= 1
    page.get_by_label("참", exact=True).check()
    page.get_by_label("답 (숫자)").fill("0.3")
    page.get_by_label("답", exact=True).fill("판다스")
    page.screenshot(path=artifacts / "10-quiz-attempt.png", full_page=True)
    page.get_by_role("button", name="답안 제출").click()
    page.wait_for_load_state()

    assert page.get_by_text("점수: 6 / 7 (86%)").is_visible()
    assert page.get_by_text("맞습니다.").first.is_visible()  # feedback of the chosen choice
    axe.check(page, "quiz-result")
    page.screenshot(path=artifacts / "11-quiz-result.png", full_page=True)
    attempt.refresh_from_db()
    assert attempt.status == "graded" and attempt.score == 6
