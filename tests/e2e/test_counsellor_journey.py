"""A counsellor logs in, opens the at-risk list, opens a learner and writes a note, in Korean
in Chromium; axe-core checks each cockpit page and screenshots are kept."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from django.core.management import call_command
from django.utils import timezone

import pytest

from lms.accounts.models import Role
from lms.counselling.models import Note
from lms.counselling.services import caseload_assign, note_create, plan_create
from lms.skills.models import Role as SkillRole
from tests.factories import (
    PASSWORD,
    SkillFactory,
    make_centre,
    make_course,
    make_quiz,
    member,
    wagtail_base_ensure,
)
from tests.factories.counselling import graded_attempt, history

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_counsellor_finds_a_learner_at_risk_and_writes_a_note(
    page, axe, artifacts, live_server, settings, tmp_path
):
    settings.DASI_SKILLS_ARTIFACT = tmp_path / "taxonomy.h5"
    settings.DASI_SKILLS_CACHE = tmp_path / "cache"
    port = urlsplit(live_server.url).port
    wagtail_base_ensure()
    centre = make_centre("dongtan", port=port, default=True)
    course = make_course(centre, "data-analysis", lessons=6, translate=False)
    quiz = make_quiz(
        centre, course, skill=SkillFactory(label_ko="데이터 정제", label_en="Cleansing")
    )
    admin = member(centre, Role.CENTRE_ADMIN, username="admin")
    counsellor = member(centre, Role.COUNSELLOR, username="sangdam", name="박상담")
    paused = member(centre, Role.LEARNER, username="paused", name="정멈춤")
    steady = member(centre, Role.LEARNER, username="steady", name="한꾸준")
    retry = member(centre, Role.LEARNER, username="retry", name="오재시")
    history(learner=paused, centre=centre, course=course, active_days_ago=[30, 28, 26, 24, 22, 20])
    history(learner=steady, centre=centre, course=course, active_days_ago=[45, 38, 31, 24, 17, 10])
    history(learner=retry, centre=centre, course=course, active_days_ago=[5, 4, 3, 2])
    for number, days in enumerate((4, 3, 2), start=1):
        graded_attempt(
            learner=retry, assessment=quiz, course=course, days=days, percent=25, number=number
        )
    caseload_assign(
        centre=centre, counsellor=counsellor, learners=[paused, steady, retry], assigned_by=admin
    )
    call_command("build_taxonomy", "--small", verbosity=0)
    plan_create(
        centre=centre,
        learner=paused,
        goal_role=SkillRole.objects.get(slug="data-analyst"),
        author=counsellor,
        target_date=timezone.localdate() + timedelta(days=30),
        next_meeting=timezone.localdate() + timedelta(days=7),
        agreed="한 달 안에 데이터 분석 과정 수료.",
    )
    note_create(
        centre=centre,
        learner=paused,
        author=counsellor,
        text="야간 근무를 시작해서 학습 시간이 줄었다고 함.",
    )
    base = f"http://dongtan.localhost:{port}"

    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", "sangdam")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/learning/")

    page.get_by_role("link", name="상담", exact=True).click()
    page.wait_for_url("**/counselling/")
    assert page.get_by_role("heading", name="담당 학습자").is_visible()
    axe.check(page, "counselling-caseload")
    page.screenshot(path=artifacts / "20-counselling-caseload.png", full_page=True)

    page.get_by_role("link", name="위험 학습자").click()
    page.wait_for_url("**/counselling/at-risk/")
    assert page.get_by_text("20일 동안 활동이 없습니다").is_visible()
    assert page.get_by_text("“데이터 정제” 역량 평가에서 연속 3번").is_visible()
    assert page.get_by_role("link", name="한꾸준").count() == 0  # on their own rhythm
    axe.check(page, "counselling-at-risk")
    page.screenshot(path=artifacts / "21-counselling-at-risk.png", full_page=True)

    page.get_by_role("link", name="정멈춤").click()
    page.wait_for_url("**/counselling/learners/*/")
    assert page.get_by_role("heading", name="경고가 표시된 이유").is_visible()
    assert (
        page.get_by_role("definition")
        .filter(has_text="한 달 안에 데이터 분석 과정 수료.")
        .is_visible()
    )
    assert page.get_by_role("img", name="정멈춤 님의 역량과 데이터 분석가 요구 수준").is_visible()
    axe.check(page, "counselling-learner")
    page.screenshot(path=artifacts / "22-counselling-learner.png", full_page=True)

    page.get_by_label("메모 내용").fill("전화 상담: 주말 오전에 학습하기로 함.")
    page.get_by_role("button", name="메모 저장").click()
    page.wait_for_url("**/counselling/learners/*/#notes")
    assert page.get_by_text("메모를 저장했습니다.").is_visible()
    assert page.get_by_text("전화 상담: 주말 오전에 학습하기로 함.").is_visible()
    assert Note.objects.filter(learner=paused, author=counsellor).count() == 2
    page.screenshot(path=artifacts / "23-counselling-note-saved.png", full_page=True)

    page.get_by_role("link", name="학습 집단").click()
    page.get_by_label("과정", exact=True).select_option(label="data-analysis 과정")
    page.get_by_label("학습자", exact=True).select_option("all")
    page.get_by_role("button", name="보기").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="역량 히트맵").is_visible()
    axe.check(page, "counselling-cohorts")
    page.screenshot(path=artifacts / "24-counselling-cohorts.png", full_page=True)

    page.goto(base + "/en/counselling/at-risk/")
    assert page.get_by_text("No activity for 20 days").is_visible()
    page.screenshot(path=artifacts / "25-counselling-at-risk-en.png", full_page=True)
