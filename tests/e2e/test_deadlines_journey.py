"""A learner in a course run in Chromium: "My learning" and the calendar show what is due,
a late quiz under each late policy (a penalty shown beside the original score; refused
after a hard cut-off and under "refuse", with the reason); axe-core checks every page."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from django.utils import timezone

import pytest

from assessments.models import Attempt, DueDate
from lms.accounts.models import Role
from lms.learning.models import Cohort
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


def test_learner_meets_each_late_policy(page, axe, artifacts, live_server):
    port = urlsplit(live_server.url).port
    wagtail_base_ensure()
    centre = make_centre("dongtan", port=port, default=True)
    course = make_course(centre, "data-analysis", lessons=2)
    quiz = make_quiz(centre, course)
    today = timezone.localdate()
    run = Cohort.objects.create(
        centre=centre,
        course=course,
        title="2027 봄 야간반",
        starts_on=today - timedelta(days=20),
        ends_on=today + timedelta(days=40),
    )
    due = DueDate.objects.create(
        cohort=run,
        assessment=quiz,
        due_at=timezone.now() - timedelta(days=1, hours=2),
        policy=DueDate.Policy.PENALTY,
        penalty_percent=10,
        penalty_cap=50,
    )
    learner = member(centre, Role.LEARNER, username="late", name="김지각")
    enrolment_create(user=learner, course=course, centre=centre)
    base = f"http://dongtan.localhost:{port}"

    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", "late")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/learning/")
    assert page.get_by_role("heading", name="해야 할 일").is_visible()
    assert page.locator("[data-deadline][data-state=overdue]").count() == 1
    axe.check(page, "dashboard-deadlines")
    page.screenshot(path=artifacts / "40-dashboard-deadlines.png", full_page=True)

    page.get_by_role("link", name="캘린더 보기").click()
    page.wait_for_url("**/assessments/calendar/")
    assert page.get_by_role("heading", name="마감일", exact=True).is_visible()
    page.get_by_role("button", name="캘린더 주소 만들기").click()
    assert ".ics" in page.locator("#feed-url").input_value()
    axe.check(page, "calendar")
    page.screenshot(path=artifacts / "41-calendar.png", full_page=True)

    # Penalty: two started days late, 10 % a day.
    page.goto(base + "/courses/data-analysis/lesson-1/")
    page.get_by_role("link", name="퀴즈 열기").click()
    page.get_by_role("button", name="퀴즈 시작").click()
    page.wait_for_url("**/assessments/attempts/*/")
    page.get_by_label("pd.read_csv").check()
    page.get_by_role("button", name="답안 제출").click()
    page.wait_for_load_state()
    late_line = page.locator("[data-late-penalty]")
    assert "20%" in late_line.inner_text()
    attempt = Attempt.objects.get()
    assert (attempt.late_penalty, attempt.score_before_penalty) == (20, 2)
    axe.check(page, "late-result")
    page.screenshot(path=artifacts / "42-late-penalty.png", full_page=True)

    # Hard cut-off passed, then "refuse": the quiz will not start, and says why.
    for policy, cutoff in (
        (DueDate.Policy.CUTOFF, timezone.now() - timedelta(hours=1)),
        (DueDate.Policy.REFUSE, None),
    ):
        DueDate.objects.filter(pk=due.pk).update(policy=policy, cutoff_at=cutoff)
        page.goto(base + "/courses/data-analysis/lesson-1/")
        page.get_by_role("link", name="퀴즈 열기").click()
        page.get_by_role("button", name="다시 풀기").click()  # a second attempt
        page.wait_for_load_state()
        assert page.get_by_text("더 이상 제출을 받지 않습니다").is_visible()
        axe.check(page, f"late-refused-{policy}")
        page.screenshot(path=artifacts / f"43-late-refused-{policy}.png", full_page=True)
    assert Attempt.objects.count() == 1
