"""Risk rules on constructed histories: each learner is measured against their own pace."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import translation

import pytest

from lms.counselling import risk

TODAY = date(2026, 11, 25)


def ago(*days: int) -> list[date]:
    return [TODAY - timedelta(days=d) for d in days]


def attempt(days: int, passed: bool, *skills: str) -> risk.AttemptOutcome:
    when = datetime(2026, 11, 25, 12) - timedelta(days=days)
    return risk.AttemptOutcome(when=when, passed=passed, skills=frozenset(skills))


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_regular_learner_who_paused_is_flagged_with_their_own_rhythm():
    # Active every day for three weeks, then nothing for ten days.
    days = ago(*range(10, 31))
    result = risk.assess(risk.History(active_days=days), today=TODAY)
    assert result.usual_gap_days == 1
    assert result.days_since_active == 10
    assert [f.code for f in result.flags] == ["inactive"]
    assert result.reasons == [
        "No activity for 10 days (usual gap between active days: 1; flagged after 7)."
    ]
    assert result.level == risk.Level.WATCH


def test_slow_but_steady_learner_is_not_flagged_for_the_same_silence():
    # Once a week for two months; last seen ten days ago — within their own rhythm.
    days = ago(10, 17, 24, 31, 38, 45, 52, 59)
    result = risk.assess(risk.History(active_days=days), today=TODAY)
    assert result.usual_gap_days == 7
    assert result.flags == []
    assert result.level == risk.Level.NONE


def test_slow_learner_is_flagged_once_well_past_their_rhythm():
    days = ago(30, 37, 44, 51, 58)
    result = risk.assess(risk.History(active_days=days), today=TODAY)
    assert [f.code for f in result.flags] == ["inactive"]
    assert "30 days" in result.reasons[0] and "active days: 7;" in result.reasons[0]


def test_rhythm_is_the_median_gap_so_one_long_break_does_not_excuse_the_next():
    assert risk.usual_gap(ago(0, 1, 2, 3, 40)) == 1
    assert risk.usual_gap(ago(0, 1)) is None  # too little history


def test_threshold_has_a_floor_and_a_ceiling():
    assert risk.inactivity_threshold(1) == risk.INACTIVITY_FLOOR_DAYS
    assert risk.inactivity_threshold(10) == 20
    assert risk.inactivity_threshold(60) == risk.INACTIVITY_CEILING_DAYS
    assert risk.inactivity_threshold(None) == risk.NO_RHYTHM_DAYS


def test_learner_with_little_history_uses_the_default_limit():
    result = risk.assess(risk.History(active_days=ago(20)), today=TODAY)
    assert [f.code for f in result.flags] == ["inactive"]
    assert "too little history" in result.reasons[0]
    assert risk.assess(risk.History(active_days=ago(5)), today=TODAY).flags == []


def test_never_active_learner_has_no_inactivity_flag():
    assert risk.assess(risk.History(), today=TODAY).flags == []


def test_repeated_failures_on_one_skill_are_flagged_with_the_skill():
    history = risk.History(
        active_days=ago(0, 1, 2, 3),
        attempts=[attempt(3, False, "7"), attempt(2, False, "7"), attempt(1, False, "7", "8")],
    )
    result = risk.assess(history, today=TODAY, skill_labels={"7": "SQL", "8": "Python"})
    assert [f.code for f in result.flags] == ["failures"]
    assert result.reasons == [
        "3 failed attempts in a row on assessments of “SQL”, with no pass since."
    ]


def test_failures_followed_by_a_pass_are_not_flagged():
    history = risk.History(
        attempts=[
            attempt(4, False, "7"),
            attempt(3, False, "7"),
            attempt(2, False, "7"),
            attempt(1, True, "7"),
        ]
    )
    assert risk.assess(history, today=TODAY).flags == []


def test_failures_spread_over_different_skills_are_not_flagged():
    history = risk.History(
        attempts=[attempt(3, False, "1"), attempt(2, False, "2"), attempt(1, False, "3")]
    )
    assert risk.assess(history, today=TODAY).flags == []


def test_behind_plan_at_their_own_recent_pace():
    # 4 lessons in the last 28 days = 1 a week; 10 left; target in 4 weeks.
    history = risk.History(
        active_days=ago(0, 3, 7, 10, 14, 20, 27),
        lessons_remaining=10,
        completed_recently=4,
        first_active=TODAY - timedelta(days=60),
        target_date=TODAY + timedelta(days=28),
    )
    result = risk.assess(history, today=TODAY)
    assert [f.code for f in result.flags] == ["behind_plan"]
    assert result.projected_finish == TODAY + timedelta(days=70)
    assert "2026-12-23" in result.reasons[0] and "42 days after" in result.reasons[0]


def test_on_track_with_the_plan_is_not_flagged():
    history = risk.History(
        active_days=ago(0, 2, 4, 6),
        lessons_remaining=4,
        completed_recently=8,
        first_active=TODAY - timedelta(days=40),
        target_date=TODAY + timedelta(days=30),
    )
    result = risk.assess(history, today=TODAY)
    assert result.flags == []
    assert result.projected_finish == TODAY + timedelta(days=14)


def test_nothing_completed_yet_with_lessons_left_is_behind_plan():
    history = risk.History(
        active_days=ago(1, 2, 3),
        lessons_remaining=3,
        completed_recently=0,
        target_date=TODAY + timedelta(days=10),
    )
    result = risk.assess(history, today=TODAY)
    assert [f.code for f in result.flags] == ["behind_plan"]
    assert "No lesson completed yet" in result.reasons[0]


def test_a_quiet_month_falls_back_to_their_whole_history_pace():
    # 6 lessons in 90 days, none in the last 28: 1 every 15 days; 4 left = 60 days.
    history = risk.History(
        active_days=ago(2, 40, 60, 89),
        lessons_remaining=4,
        completed_recently=0,
        completed_total=6,
        first_active=TODAY - timedelta(days=89),
    )
    history.target_date = TODAY + timedelta(days=90)
    assert risk.assess(history, today=TODAY).flags == []
    history.target_date = TODAY + timedelta(days=30)
    assert [f.code for f in risk.assess(history, today=TODAY).flags] == ["behind_plan"]


def test_no_plan_means_no_plan_flag_and_a_new_learner_pace_uses_their_own_days():
    assert risk.assess(risk.History(lessons_remaining=5), today=TODAY).flags == []
    # Joined 7 days ago and did 7 lessons: 1 a day, 7 left, target in 10 days: on track.
    history = risk.History(
        active_days=ago(0, 1, 2, 3, 4, 5, 6),
        lessons_remaining=7,
        completed_recently=7,
        first_active=TODAY - timedelta(days=6),
        target_date=TODAY + timedelta(days=10),
    )
    assert risk.assess(history, today=TODAY).flags == []


def test_several_flags_make_high_risk_and_sort_first():
    quiet = risk.assess(risk.History(active_days=ago(*range(10, 31))), today=TODAY)
    both = risk.assess(
        risk.History(
            active_days=ago(*range(10, 31)),
            attempts=[attempt(12, False, "1"), attempt(11, False, "1"), attempt(10, False, "1")],
        ),
        today=TODAY,
    )
    assert both.level == risk.Level.HIGH
    assert both.score > quiet.score


def test_reasons_are_written_in_the_language_active_when_read():
    result = risk.assess(risk.History(active_days=ago(*range(10, 31))), today=TODAY)
    with translation.override("ko"):
        assert "10일" in result.reasons[0]
    with translation.override("en"):
        assert "10 days" in result.reasons[0]
    # What a stored flag keeps reads back the same.
    stored = [risk.Flag.from_json(f.as_json()) for f in result.flags]
    with translation.override("ko"):
        assert [f.reason for f in stored] == result.reasons


# --- Deadlines of course runs --------------------------------------------------------------


def test_deadline_flag_from_overdue_and_late_work():
    assert risk.deadline_flag(overdue=0, missed=0) is None
    assert risk.deadline_flag(overdue=0, missed=1) is None  # one late piece is not a pattern
    one = risk.deadline_flag(overdue=1, missed=0)
    assert (one.code, one.weight) == ("deadlines", 1.0)
    assert "1 due date passed" in one.reason
    late = risk.deadline_flag(overdue=0, missed=2)
    assert late.weight == 0.5 and "2 pieces of work" in late.reason
    assert risk.deadline_flag(overdue=9, missed=9).weight == 3.0


def test_assess_adds_the_deadline_flag():
    result = risk.assess(risk.History(deadlines_overdue=2), today=date(2027, 3, 1))
    assert [flag.code for flag in result.flags] == ["deadlines"]
    assert result.level == risk.Level.WATCH
    assert risk.assess(risk.History(), today=date(2027, 3, 1)).flags == []
