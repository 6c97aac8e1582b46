"""Course runs and due dates: the late policies where work is accepted, extensions, what a
learner sees is due, and the bad input each refuses without changing anything."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from unittest import mock

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone, translation

import pytest

from assessments import lateness
from assessments.deadlines import (
    calendar_feed_create,
    calendar_feed_revoke,
    calendar_feed_user,
    deadline_counts,
    deadlines_of,
    extension_grant,
    late_rule_for,
)
from assessments.grader import GradeResult
from assessments.grader.grade import CellResult
from assessments.models import (
    Assessment,
    Attempt,
    CourseAssessment,
    DueDate,
    Extension,
    GradingResult,
)
from assessments.services import (
    LateRefused,
    SubmissionGradeAction,
    attempt_start,
    attempt_submit,
    submission_create,
)
from lms.learning.models import Cohort
from lms.learning.services import cohort_pick, enrolment_cohort_set, enrolment_create
from tests.factories import lessons_of, make_course, make_quiz

pytestmark = pytest.mark.django_db

SOURCE = (
    Path(__file__).resolve().parents[2]
    / "notebooks_templates"
    / "python-data-basics"
    / "python-data-basics.ipynb"
).read_bytes()
DAY = timedelta(days=1)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def ago(**kw):
    return timezone.now() - timedelta(**kw)


def later(**kw):
    return timezone.now() + timedelta(**kw)


# --- The pure rules ------------------------------------------------------------------------


def test_days_late_counts_started_days():
    due = timezone.now()
    assert lateness.days_late(due, due) == 0
    assert lateness.days_late(due, due + timedelta(seconds=1)) == 1
    assert lateness.days_late(due, due + DAY) == 1
    assert lateness.days_late(due, due + DAY + timedelta(minutes=1)) == 2


def test_penalty_per_day_is_capped_and_flat_is_once():
    due = timezone.now()
    per_day = lateness.LateRule(due, percent=Decimal(10), cap=Decimal(25))
    assert lateness.judge(per_day, due - DAY) == lateness.Verdict(True, False, due_at=due)
    assert lateness.judge(per_day, due + DAY).penalty == 10
    assert lateness.judge(per_day, due + 2 * DAY).penalty == 20
    assert lateness.judge(per_day, due + 9 * DAY).penalty == 25
    flat = lateness.LateRule(due, penalty_kind=lateness.PenaltyKind.FLAT, percent=Decimal(15))
    assert lateness.judge(flat, due + 9 * DAY).penalty == 15
    assert lateness.apply_penalty(Decimal("7"), Decimal("15")) == Decimal("5.95")


def test_cutoff_accepts_until_it_then_refuses_and_refuse_refuses_at_once():
    due = timezone.now()
    cutoff = lateness.LateRule(
        due, policy=lateness.Policy.CUTOFF, percent=Decimal(5), cutoff_at=due + 2 * DAY
    )
    assert lateness.judge(cutoff, due + DAY).accepted
    assert lateness.judge(cutoff, due + 2 * DAY).penalty == 10
    assert not lateness.judge(cutoff, due + 2 * DAY + timedelta(seconds=1)).accepted
    refuse = lateness.LateRule(due, policy=lateness.Policy.REFUSE)
    assert lateness.judge(refuse, due).accepted
    assert not lateness.judge(refuse, due + timedelta(seconds=1)).accepted


def test_an_extension_moves_the_cutoff_by_as_much():
    due = timezone.now()
    rule = lateness.LateRule(due, policy=lateness.Policy.CUTOFF, cutoff_at=due + DAY)
    moved = rule.extended_to(due + 3 * DAY)
    assert (moved.due_at, moved.cutoff_at) == (due + 3 * DAY, due + 4 * DAY)


# --- Fixtures: a run of course A with a quiz and a notebook exercise ---------------------


@pytest.fixture
def cohort(centre_a, course_a):
    today = timezone.localdate()
    return Cohort.objects.create(
        centre=centre_a,
        course=course_a,
        title="2027 봄",
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=60),
    )


@pytest.fixture
def quiz(centre_a, course_a):
    return make_quiz(centre_a, course_a)


@pytest.fixture
def lesson(course_a):
    return lessons_of(course_a)[0]


@pytest.fixture
def exercise(centre_a, course_a):
    assessment = Assessment.objects.create(
        centre=centre_a, title="파이썬 기초 실습", kind=Assessment.Kind.NOTEBOOK, max_attempts=5
    )
    assessment.notebook_source.save("python-data-basics.ipynb", ContentFile(SOURCE))
    lesson = lessons_of(course_a)[0]
    lesson.body = [
        *lesson.body.raw_data,
        {"type": "notebook", "value": {"assessment": assessment.pk, "introduction": ""}},
    ]
    lesson.save_revision().publish()
    CourseAssessment.objects.create(course=course_a, assessment=assessment, required=False)
    return assessment


@pytest.fixture
def enrolled(learner_a, course_a, centre_a, cohort):
    enrolment = enrolment_create(user=learner_a, course=course_a, centre=centre_a)
    assert enrolment.cohort == cohort  # joined the run going on today
    return enrolment


def due(cohort, assessment, **fields) -> DueDate:
    """A due date as it stands some time after it was set (created without the "must be in
    the future" check, which only applies when an instructor sets one)."""
    return DueDate.objects.create(cohort=cohort, assessment=assessment, **fields)


def _answers(attempt) -> dict:
    by_type = {q["type"]: q for q in attempt.questions}
    return {
        by_type["single_choice"]["id"]: next(
            c["id"] for c in by_type["single_choice"]["choices"] if c["correct"]
        ),
        by_type["multiple_choice"]["id"]: [
            c["id"] for c in by_type["multiple_choice"]["choices"] if c["correct"]
        ],
        by_type["true_false"]["id"]: "true",
        by_type["numeric"]["id"]: "0.3",
        by_type["short_text"]["id"]: "pandas",
    }


# --- Quizzes under each policy ------------------------------------------------------------


def test_quiz_on_time_counts_in_full(learner_a, quiz, lesson, enrolled, cohort):
    due(cohort, quiz, due_at=later(days=1))
    attempt = attempt_start(user=learner_a, assessment=quiz, lesson=lesson)
    graded = attempt_submit(user=learner_a, attempt_id=attempt.pk, answers=_answers(attempt))
    assert (graded.score, graded.late_penalty, graded.days_late) == (7, 0, 0)
    assert graded.score_before_penalty is None


def test_quiz_late_with_penalty_keeps_the_original_score(learner_a, quiz, lesson, enrolled, cohort):
    due(cohort, quiz, due_at=ago(days=1, hours=1), penalty_percent=10, penalty_cap=50)
    attempt = attempt_start(user=learner_a, assessment=quiz, lesson=lesson)
    graded = attempt_submit(user=learner_a, attempt_id=attempt.pk, answers=_answers(attempt))
    graded.refresh_from_db()
    assert graded.days_late == 2
    assert graded.late_penalty == 20
    assert graded.score_before_penalty == 7
    assert graded.score == Decimal("5.60")


def test_quiz_late_before_the_cutoff_is_accepted_after_it_refused(
    learner_a, quiz, lesson, enrolled, cohort
):
    deadline = due(
        cohort,
        quiz,
        due_at=ago(hours=5),
        policy=DueDate.Policy.CUTOFF,
        penalty_kind=DueDate.PenaltyKind.FLAT,
        penalty_percent=30,
        cutoff_at=later(hours=1),
    )
    attempt = attempt_start(user=learner_a, assessment=quiz, lesson=lesson)
    answers = _answers(attempt)
    DueDate.objects.filter(pk=deadline.pk).update(cutoff_at=ago(minutes=1))  # time passes
    with pytest.raises(LateRefused, match="closed at") as refused:
        attempt_submit(user=learner_a, attempt_id=attempt.pk, answers=answers)
    assert refused.value.code == "late_refused"
    kept = Attempt.objects.get(pk=attempt.pk)
    assert kept.status == Attempt.Status.IN_PROGRESS
    assert kept.answers  # the learner's answers are saved, not lost
    DueDate.objects.filter(pk=deadline.pk).update(cutoff_at=later(hours=1))
    graded = attempt_submit(user=learner_a, attempt_id=attempt.pk)
    assert (graded.late_penalty, graded.score_before_penalty, graded.score) == (
        30,
        7,
        Decimal("4.90"),
    )


def test_quiz_refused_after_the_due_date_starts_nothing(learner_a, quiz, lesson, enrolled, cohort):
    due(cohort, quiz, due_at=ago(minutes=1), policy=DueDate.Policy.REFUSE)
    with pytest.raises(LateRefused):
        attempt_start(user=learner_a, assessment=quiz, lesson=lesson)
    assert not Attempt.objects.exists()


def test_quiz_view_shows_the_refusal_as_a_4xx(client, learner_a, quiz, lesson, enrolled, cohort):
    from django.urls import reverse

    from tests.conftest import A_HOST

    due(cohort, quiz, due_at=ago(minutes=1), policy=DueDate.Policy.REFUSE)
    client.force_login(learner_a)
    response = client.post(reverse("assessments:quiz", args=[quiz.pk, lesson.pk]), HTTP_HOST=A_HOST)
    assert 400 <= response.status_code < 500
    assert "no longer accepts work" in response.content.decode()
    assert not Attempt.objects.exists()


def test_timed_quiz_closed_after_the_run_closed_counts_nothing_but_keeps_the_score(
    learner_a, quiz, lesson, enrolled, cohort
):
    deadline = due(cohort, quiz, due_at=later(hours=1), policy=DueDate.Policy.REFUSE)
    attempt = attempt_start(user=learner_a, assessment=quiz, lesson=lesson)
    from assessments.scoring import clean_answer

    questions = {q["id"]: q for q in attempt.questions}
    saved = {qid: clean_answer(questions[qid], v) for qid, v in _answers(attempt).items()}
    Attempt.objects.filter(pk=attempt.pk).update(answers=saved, deadline=ago(minutes=10))
    DueDate.objects.filter(pk=deadline.pk).update(due_at=ago(hours=1))
    from assessments.services import attempt_close_if_expired

    closed = attempt_close_if_expired(Attempt.objects.get(pk=attempt.pk))
    assert closed.status == Attempt.Status.GRADED
    assert (closed.score, closed.score_before_penalty, closed.late_penalty) == (0, 7, 100)


def test_no_run_means_no_due_date(learner_a, quiz, lesson, course_a, centre_a):
    enrolment_create(user=learner_a, course=course_a, centre=centre_a)  # no run exists
    attempt = attempt_start(user=learner_a, assessment=quiz, lesson=lesson)
    graded = attempt_submit(user=learner_a, attempt_id=attempt.pk, answers=_answers(attempt))
    assert (graded.score, graded.late_penalty) == (7, 0)


# --- Notebooks under each policy ---------------------------------------------------------


def _graded(attempt: Attempt, score: float) -> Attempt:
    """Run the grading action on a stored submission with the sandbox's result given."""
    grading = GradingResult.objects.get(attempt=attempt)
    result = GradeResult(
        score=score,
        max_score=10,
        cells=[CellResult("t1", score, 10, "passed", "")],
        duration_s=0.1,
        limits_hit=[],
    )
    with mock.patch.object(SubmissionGradeAction, "_run", return_value=result):
        SubmissionGradeAction(grading_id=grading.pk).execute()
    attempt.refresh_from_db()
    return attempt


def test_notebook_late_with_penalty(learner_a, exercise, lesson, enrolled, cohort):
    due(cohort, exercise, due_at=ago(hours=30), penalty_percent=15, penalty_cap=100)
    attempt = submission_create(user=learner_a, assessment=exercise, lesson=lesson, data=SOURCE)
    assert (attempt.days_late, attempt.late_penalty) == (2, 30)
    graded = _graded(attempt, 8)
    assert (graded.score_before_penalty, graded.score) == (8, Decimal("5.60"))


def test_notebook_regrade_keeps_the_penalty_decided_when_stored(
    learner_a, instructor_a, exercise, lesson, enrolled, cohort
):
    due(cohort, exercise, due_at=ago(hours=2), penalty_kind="flat", penalty_percent=50)
    attempt = _graded(
        submission_create(user=learner_a, assessment=exercise, lesson=lesson, data=SOURCE), 10
    )
    assert attempt.score == 5
    from assessments.services import submission_regrade

    grading = submission_regrade(attempt=attempt, user=instructor_a)
    result = GradeResult(score=6, max_score=10, cells=[], duration_s=0.1, limits_hit=[])
    with mock.patch.object(SubmissionGradeAction, "_run", return_value=result):
        SubmissionGradeAction(grading_id=grading.pk).execute()
    attempt.refresh_from_db()
    assert (attempt.score_before_penalty, attempt.score) == (6, 3)


def test_notebook_cutoff_and_refuse_store_nothing(learner_a, exercise, lesson, enrolled, cohort):
    deadline = due(
        cohort,
        exercise,
        due_at=ago(days=3),
        policy=DueDate.Policy.CUTOFF,
        cutoff_at=ago(days=1),
    )
    with pytest.raises(LateRefused, match="JupyterLab"):
        submission_create(user=learner_a, assessment=exercise, lesson=lesson, data=SOURCE)
    DueDate.objects.filter(pk=deadline.pk).update(policy=DueDate.Policy.REFUSE)
    with pytest.raises(LateRefused):
        submission_create(user=learner_a, assessment=exercise, lesson=lesson, data=SOURCE)
    assert not Attempt.objects.exists()
    assert not GradingResult.objects.exists()


# --- Extensions ---------------------------------------------------------------------------


def test_extension_moves_the_learners_due_date_only(
    learner_a, instructor_a, quiz, lesson, enrolled, cohort, centre_a, course_a
):
    from tests.factories import member

    peer = member(centre_a, "learner")
    enrolment_create(user=peer, course=course_a, centre=centre_a)
    deadline = due(cohort, quiz, due_at=ago(hours=1), policy=DueDate.Policy.REFUSE)
    extension = extension_grant(
        granted_by=instructor_a,
        due_date=deadline,
        user=learner_a,
        due_at=later(days=2),
        reason="병원 진료 (진단서 제출)",
    )
    assert extension.granted_by == instructor_a
    rule = late_rule_for(user_id=learner_a.pk, assessment_id=quiz.pk, course_id=course_a.pk)
    assert rule.due_at == extension.due_at
    attempt = attempt_start(user=learner_a, assessment=quiz, lesson=lesson)
    assert attempt_submit(user=learner_a, attempt_id=attempt.pk, answers={}).late_penalty == 0
    with pytest.raises(LateRefused):
        attempt_start(user=peer, assessment=quiz, lesson=lesson)


@pytest.mark.parametrize(
    ("who", "whom", "due_at", "reason", "error"),
    [
        ("instructor_b", "learner_a", 2, "사유", PermissionDenied),  # another centre's staff
        ("learner_a", "learner_a", 2, "사유", PermissionDenied),  # a learner grants themself
        ("instructor_a", "learner_b", 2, "사유", ValidationError),  # another centre's learner
        ("instructor_a", "learner_a", 2, "   ", ValidationError),  # no reason
        ("instructor_a", "learner_a", -1, "사유", ValidationError),  # in the past
    ],
)
def test_extension_bad_input_changes_nothing(
    request, who, whom, due_at, reason, error, quiz, enrolled, cohort
):
    deadline = due(cohort, quiz, due_at=later(hours=1))
    with pytest.raises(error):
        extension_grant(
            granted_by=request.getfixturevalue(who),
            due_date=deadline,
            user=request.getfixturevalue(whom),
            due_at=later(days=due_at),
            reason=reason,
        )
    assert not Extension.objects.exists()


# --- Due dates as set by an instructor ----------------------------------------------------


def test_due_date_validation(cohort, quiz):
    with pytest.raises(ValidationError, match="future"):
        DueDate(cohort=cohort, assessment=quiz, due_at=ago(minutes=1)).full_clean()
    with pytest.raises(ValidationError, match="end of the course run"):
        DueDate(cohort=cohort, assessment=quiz, due_at=later(days=90)).full_clean()
    with pytest.raises(ValidationError, match="cut-off"):
        DueDate(
            cohort=cohort, assessment=quiz, due_at=later(days=1), policy=DueDate.Policy.CUTOFF
        ).full_clean()
    with pytest.raises(ValidationError, match="cut-off"):
        DueDate(
            cohort=cohort,
            assessment=quiz,
            due_at=later(days=2),
            policy=DueDate.Policy.CUTOFF,
            cutoff_at=later(days=1),
        ).full_clean()
    DueDate(cohort=cohort, assessment=quiz, due_at=later(days=1)).full_clean(exclude=["cohort"])


def test_run_ending_before_it_starts_is_refused(centre_a, course_a):
    with pytest.raises(ValidationError, match="end before"):
        Cohort(
            centre=centre_a,
            course=course_a,
            title="x",
            starts_on=date(2027, 3, 2),
            ends_on=date(2027, 3, 1),
        ).full_clean()


def test_new_enrolment_joins_the_current_run_else_the_next(centre_a, course_a, cohort):
    today = timezone.localdate()
    Cohort.objects.create(
        centre=centre_a,
        course=course_a,
        title="next",
        starts_on=today + timedelta(days=70),
        ends_on=today + timedelta(days=120),
    )
    assert cohort_pick(centre_id=centre_a.pk, course_id=course_a.pk) == cohort
    Cohort.objects.filter(pk=cohort.pk).update(ends_on=today - timedelta(days=1))
    assert cohort_pick(centre_id=centre_a.pk, course_id=course_a.pk).title == "next"


def test_an_enrolment_is_not_placed_in_another_centres_run(
    learner_a, centre_a, centre_b, course_a, enrolled
):
    other = make_course(centre_b, slug="other-course")
    alien = Cohort.objects.create(
        centre=centre_b,
        course=other,
        title="B",
        starts_on=date(2027, 1, 1),
        ends_on=date(2027, 6, 1),
    )
    with pytest.raises(ValidationError):
        enrolment_cohort_set(enrolment=enrolled, cohort=alien)
    enrolled.refresh_from_db()
    assert enrolled.cohort_id != alien.pk


# --- What is due, and the counsellors' counts ----------------------------------------------


def test_deadlines_of_states(learner_a, quiz, exercise, lesson, enrolled, cohort, centre_a):
    due(cohort, quiz, due_at=later(days=2))
    due(cohort, exercise, due_at=ago(days=1), policy=DueDate.Policy.REFUSE)
    states = [(item.title, item.state) for item in deadlines_of(user=learner_a)]
    assert states == [("파이썬 기초 실습", "closed"), ("판다스 확인 퀴즈", "upcoming")]
    assert deadline_counts(learner_ids=[learner_a.pk], centre=centre_a)[learner_a.pk] == {
        "missed": 0,
        "overdue": 1,
    }


def test_deadline_counts_late_work_as_missed(learner_a, quiz, lesson, enrolled, cohort, centre_a):
    due(cohort, quiz, due_at=ago(days=1))
    attempt = attempt_start(user=learner_a, assessment=quiz, lesson=lesson)
    attempt_submit(user=learner_a, attempt_id=attempt.pk, answers={})
    assert deadlines_of(user=learner_a)[0].state == "done_late"
    assert deadline_counts(learner_ids=[learner_a.pk], centre=centre_a)[learner_a.pk] == {
        "missed": 1,
        "overdue": 0,
    }


# --- Calendar feeds ----------------------------------------------------------------------


def test_calendar_feed_token_is_revocable_and_kept_hashed(learner_a):
    feed, token = calendar_feed_create(user=learner_a)
    assert token not in json.dumps(list(type(feed).objects.values()), default=str)
    assert calendar_feed_user(token=token) == learner_a
    _feed, newer = calendar_feed_create(user=learner_a)
    assert calendar_feed_user(token=token) is None  # the new address revokes the old
    assert calendar_feed_user(token=newer) == learner_a
    assert calendar_feed_revoke(user=learner_a) == 1
    assert calendar_feed_user(token=newer) is None
    assert calendar_feed_user(token="") is None
