"""The stored risk behind caseloads: every event that changes a learner's risk shows on the
next request, a missing or outdated row is computed on read, and reads only read."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

import pytest

from assessments.models import Attempt
from assessments.services import attempt_start, attempt_submit
from assessments.signals import attempt_grade_recorded
from courses.models import LessonPage
from courses.services import page_publish
from lms.accounts.models import Role
from lms.accounts.services import membership_create
from lms.counselling import risk
from lms.counselling.models import LearnerRisk
from lms.counselling.selectors import CaseloadFilters, caseload_rows, learners_of, stored_rows
from lms.counselling.services import (
    plan_create,
    risk_invalidate,
    risk_rows_refresh,
    risk_rows_store,
)
from lms.counselling.tasks import risk_refresh
from lms.learning.services import lesson_complete, lesson_visit
from lms.skills.models import LearnerGoal
from lms.skills.models import Role as SkillRole
from tests.conftest import A_HOST, B_HOST
from tests.factories import SkillFactory, lessons_of, make_quiz, member
from tests.factories.counselling import graded_attempt, history
from tests.factories.courses import lesson_body

pytestmark = pytest.mark.django_db


def _caseload(client, host=A_HOST, **query) -> dict:
    """The caseload page as the signed-in counsellor sees it: username → row shown."""
    response = client.get(
        reverse("counselling:caseload"), {"scope": "all", "sort": "name", **query}, HTTP_HOST=host
    )
    assert response.status_code == 200
    return {row.username: row for row in response.context["page"].object_list}


def _codes(row) -> list[str]:
    return [flag.code for flag in row.risk.flags]


@pytest.fixture
def cockpit(client, counsellor_a):
    client.force_login(counsellor_a)
    return client


@pytest.fixture
def paused(centre_a, long_course):
    """A learner who has been away for a month after a steady start: flagged inactive."""
    learner = member(centre_a, Role.LEARNER, username="paused")
    history(learner=learner, centre=centre_a, course=long_course, active_days_ago=[40, 38, 36])
    return learner


def test_a_learner_without_a_stored_row_is_computed_on_read(cockpit, paused):
    assert not LearnerRisk.objects.exists()
    row = _caseload(cockpit)["paused"]
    assert _codes(row) == ["inactive"]  # never an unflagged row for lack of a stored one
    stored = LearnerRisk.objects.get(learner=paused)
    assert stored.level == row.risk.level and stored.computed_on == timezone.localdate()
    assert stored.flags[0]["code"] == "inactive"


def test_a_second_request_reads_the_stored_row(cockpit, paused):
    _caseload(cockpit)
    computed_at = LearnerRisk.objects.get(learner=paused).computed_at
    row = _caseload(cockpit)["paused"]
    assert _codes(row) == ["inactive"] and row.last_active is not None
    assert LearnerRisk.objects.get(learner=paused).computed_at == computed_at


def test_completing_a_lesson_shows_on_the_next_request(cockpit, paused, long_course):
    before = _caseload(cockpit)["paused"]
    assert _codes(before) == ["inactive"] and before.progress == 17  # one lesson of six
    lesson_complete(user=paused, lesson=lessons_of(long_course)[2])
    after = _caseload(cockpit)["paused"]
    assert _codes(after) == []
    assert after.progress == 33 and after.last_active == timezone.localdate()


def test_opening_a_lesson_again_on_a_new_day_shows_on_the_next_request(
    cockpit, paused, long_course
):
    assert _codes(_caseload(cockpit)["paused"]) == ["inactive"]
    # The lesson they had started: only the enrolment's last activity moves (an UPDATE).
    lesson_visit(user=paused, lesson=lessons_of(long_course)[1])
    row = _caseload(cockpit)["paused"]
    assert _codes(row) == [] and row.last_active == timezone.localdate()


def test_graded_quiz_attempts_show_on_the_next_request(cockpit, centre_a, long_course):
    learner = member(centre_a, Role.LEARNER, username="trying")
    history(learner=learner, centre=centre_a, course=long_course, active_days_ago=[3, 2, 1])
    quiz = make_quiz(centre_a, long_course, skill=SkillFactory(label_en="SQL", label_ko="SQL 질의"))
    lesson = lessons_of(long_course)[0]
    for number in range(3):
        assert _codes(_caseload(cockpit)["trying"]) == [], number
        attempt = attempt_start(user=learner, assessment=quiz, lesson=lesson)
        attempt_submit(user=learner, attempt_id=attempt.pk, answers={})  # all wrong
    row = _caseload(cockpit)["trying"]
    assert _codes(row) == ["failures"] and "SQL 질의" in row.risk.reasons[0]


def test_a_graded_notebook_submission_shows_on_the_next_request(cockpit, centre_a, long_course):
    learner = member(centre_a, Role.LEARNER, username="coder")
    history(learner=learner, centre=centre_a, course=long_course, active_days_ago=[3, 2, 1])
    quiz = make_quiz(centre_a, long_course, skill=SkillFactory())
    for number in (1, 2):
        graded_attempt(
            learner=learner, assessment=quiz, course=long_course, days=1, percent=0, number=number
        )
    submitted = Attempt.objects.create(
        assessment=quiz, user=learner, course=long_course, number=3, status="submitted"
    )
    assert _codes(_caseload(cockpit)["coder"]) == []
    # What the grading worker does: the score is written with an UPDATE, then the event.
    Attempt.objects.filter(pk=submitted.pk).update(
        status=Attempt.Status.GRADED,
        score=Decimal(0),
        max_score=Decimal(10),
        graded_at=timezone.now(),
    )
    attempt_grade_recorded.send(sender=Attempt, attempt=submitted, grading=None)
    assert _codes(_caseload(cockpit)["coder"]) == ["failures"]


def test_a_new_plan_shows_on_the_next_request(cockpit, centre_a, counsellor_a, long_course):
    learner = member(centre_a, Role.LEARNER, username="planned")
    history(learner=learner, centre=centre_a, course=long_course, active_days_ago=[50, 40, 2])
    assert _codes(_caseload(cockpit)["planned"]) == []
    role = SkillRole.objects.create(slug="data-analyst-t", name_en="Data analyst", name_ko="분석가")
    plan_create(
        centre=centre_a,
        learner=learner,
        author=counsellor_a,
        goal_role=role,
        target_date=timezone.localdate() + timedelta(days=3),
        agreed="빨리",
    )
    row = _caseload(cockpit)["planned"]
    assert _codes(row) == ["behind_plan"]
    assert row.plan.agreed == "빨리" and row.goal_role == role


def test_a_goal_role_shows_on_the_next_request(cockpit, paused):
    role = SkillRole.objects.create(slug="designer-t", name_en="Designer", name_ko="디자이너")
    assert _caseload(cockpit)["paused"].goal_role is None
    assert "paused" not in _caseload(cockpit, role=role.slug)
    goal = LearnerGoal.objects.create(user=paused, role=role)
    assert _caseload(cockpit)["paused"].goal_role == role
    assert "paused" in _caseload(cockpit, role=role.slug)
    goal.delete()
    assert _caseload(cockpit)["paused"].goal_role is None


def test_publishing_a_required_lesson_shows_on_the_next_request(cockpit, centre_a, long_course):
    learner = member(centre_a, Role.LEARNER, username="halfway")
    history(
        learner=learner, centre=centre_a, course=long_course, active_days_ago=[6, 5, 4, 3, 2, 1]
    )
    assert _caseload(cockpit)["halfway"].progress == 50  # three lessons of six
    lesson = LessonPage(
        title="레슨 7", slug="lesson-7", body=lesson_body("레슨 7"), locale=long_course.locale
    )
    long_course.add_child(instance=lesson)
    page_publish(lesson)
    assert _caseload(cockpit)["halfway"].progress == 43  # three of seven


def test_time_passing_shows_on_the_first_request_of_a_later_day(
    cockpit, centre_a, counsellor_a, long_course, monkeypatch
):
    learner = member(centre_a, Role.LEARNER, username="regular")
    history(
        learner=learner, centre=centre_a, course=long_course, active_days_ago=[10, 9, 8, 7, 6, 5]
    )
    assert _codes(_caseload(cockpit)["regular"]) == []  # five days of silence: their limit is 7
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(days=3))
    cockpit.force_login(counsellor_a)  # a new session: the old one has expired by then
    assert _codes(_caseload(cockpit)["regular"]) == ["inactive"]  # no event: the day changed
    assert LearnerRisk.objects.get(learner=learner).computed_on == timezone.localdate()


def test_the_beat_task_computes_stale_rows_so_reads_do_not(
    cockpit, centre_a, paused, long_course, monkeypatch
):
    _caseload(cockpit)
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(days=1))
    assert risk_refresh() == 1  # the row of the day before
    lesson_complete(user=paused, lesson=lessons_of(long_course)[2])
    assert risk_refresh() == 1  # the row the event marked
    assert risk_refresh() == 0
    stats: dict = {}
    (row,) = stored_rows(learners=learners_of(centre=centre_a), centre=centre_a, stats=stats)
    assert stats == {"computed": 0} and _codes(row) == []


def test_an_event_during_a_computation_leaves_the_row_stale(cockpit, centre_a, paused):
    _caseload(cockpit)
    stored = LearnerRisk.objects.get(learner=paused)
    # A computation read the history at this generation; an event lands before it stores.
    risk_invalidate(learners=[paused.pk])
    risk_rows_store(
        centre=centre_a,
        measured={paused.pk: _measured_nothing()},
        generations={paused.pk: stored.generation},
        today=timezone.localdate(),
    )
    assert LearnerRisk.objects.get(learner=paused).level == "none"  # what it stored
    assert _codes(_caseload(cockpit)["paused"]) == ["inactive"]  # computed again on read


def _measured_nothing():
    from lms.counselling.selectors.caseload import _Measured

    return _Measured(risk=risk.Assessment(), active_days=[], courses=[], plan=None)


def test_new_rules_compute_every_row_again(cockpit, paused, monkeypatch):
    _caseload(cockpit)
    LearnerRisk.objects.update(level="none", flags=[])  # as an older version had stored it
    assert _codes(_caseload(cockpit)["paused"]) == []
    monkeypatch.setattr(risk, "RULES_VERSION", risk.RULES_VERSION + 1)
    assert _codes(_caseload(cockpit)["paused"]) == ["inactive"]


def test_stored_reasons_read_in_each_counsellor_language(cockpit, centre_a, counsellor_a, paused):
    _caseload(cockpit)
    filters = CaseloadFilters(scope="all")
    with translation.override("ko"):
        (row,) = caseload_rows(centre=centre_a, viewer=counsellor_a, filters=filters)
        korean = row.risk.reasons[0]
    with translation.override("en"):
        (row,) = caseload_rows(centre=centre_a, viewer=counsellor_a, filters=filters)
        english = row.risk.reasons[0]
    assert "일" in korean and "days" in english


def test_staff_see_only_their_centre_and_its_own_risk(
    client, centre_a, centre_b, counsellor_a, paused, long_course
):
    from tests.factories import make_course

    counsellor_b = member(centre_b, Role.COUNSELLOR, username="counsellor-b")
    membership_create(user=paused, centre=centre_b, role=Role.LEARNER)
    course_b = make_course(centre_b, "b-course", lessons=2, translate=False)
    history(learner=paused, centre=centre_b, course=course_b, active_days_ago=[1, 0])
    other = member(centre_a, Role.LEARNER, username="only-a")
    client.force_login(counsellor_a)
    assert _codes(_caseload(client)["paused"]) == ["inactive"]  # their activity in B is not A's
    client.force_login(counsellor_b)
    seen = _caseload(client, host=B_HOST)
    assert set(seen) == {"paused"} and other.username not in seen
    assert _codes(seen["paused"]) == [] and seen["paused"].last_active == timezone.localdate()
    assert LearnerRisk.objects.filter(learner=paused).count() == 2  # one row per centre


def test_the_staff_start_page_uses_the_stored_risk(
    client, centre_a, counsellor_a, admin_a, paused, long_course, assign
):
    from lms.staffhome.selectors import centre_summaries, counsellor_caseloads

    assign(counsellor_a, paused)
    (caseload,) = counsellor_caseloads(user=counsellor_a)
    assert caseload.at_risk == 1 and caseload.shown[0].username == "paused"
    assert LearnerRisk.objects.get(learner=paused).level != LearnerRisk.Level.NONE
    assert centre_summaries(user=admin_a)[0].at_risk == 1
    lesson_complete(user=paused, lesson=lessons_of(long_course)[2])
    assert counsellor_caseloads(user=counsellor_a)[0].at_risk == 0
    assert centre_summaries(user=admin_a)[0].at_risk == 0


def test_the_backfill_command_stores_every_learner(centre_a, centre_b, paused, capsys):
    member(centre_b, Role.LEARNER, username="in-b")
    call_command("counselling_risk_refresh", "--json")
    assert json.loads(capsys.readouterr().out) == {"computed": {centre_a.slug: 1, centre_b.slug: 1}}
    assert LearnerRisk.objects.count() == 2
    assert risk_rows_refresh(centre=centre_a) == 0
    assert risk_rows_refresh(centre=centre_a, force=True) == 1
    with pytest.raises(CommandError, match="unknown centre"):
        call_command("counselling_risk_refresh", "--centre", "nowhere")


def test_a_due_date_passing_marks_the_rows_computed_before_it(cockpit, centre_a, long_course):
    from assessments.models import DueDate, Extension
    from lms.counselling.risk_rows import risk_invalidate_passed_due_dates
    from lms.learning.models import Cohort, Enrolment

    learner = member(centre_a, Role.LEARNER, username="in-a-run")
    history(learner=learner, centre=centre_a, course=long_course, active_days_ago=[2, 1])
    today = timezone.localdate()
    run = Cohort.objects.create(
        centre=centre_a,
        course=long_course,
        title="run",
        starts_on=today - timedelta(days=10),
        ends_on=today + timedelta(days=30),
    )
    Enrolment.objects.filter(user=learner).update(cohort=run)
    quiz = make_quiz(centre_a, long_course)
    due = DueDate.objects.create(
        cohort=run, assessment=quiz, due_at=timezone.now() + timedelta(hours=2)
    )
    assert "in-a-run" in _caseload(cockpit)  # computed and stored, nothing overdue yet
    row = LearnerRisk.objects.get(learner=learner, centre=centre_a)
    generation = row.generation

    # Nothing has passed yet: nothing is marked.
    assert risk_invalidate_passed_due_dates() == 0
    # Two hours later the due date has passed, after the row was computed: it is stale.
    assert risk_invalidate_passed_due_dates(now=timezone.now() + timedelta(hours=3)) == 1
    row.refresh_from_db()
    assert row.generation == generation + 1

    # Moving the due date, or an extension for the learner, marks the row too.
    _caseload(cockpit)
    before = LearnerRisk.objects.get(pk=row.pk).generation
    due.due_at = timezone.now() + timedelta(days=1)
    due.save()
    assert LearnerRisk.objects.get(pk=row.pk).generation > before
    _caseload(cockpit)
    before = LearnerRisk.objects.get(pk=row.pk).generation
    Extension.objects.create(
        due_date=due,
        user=learner,
        due_at=timezone.now() + timedelta(days=3),
        reason="병원 진료",
        granted_by=member(centre_a, Role.INSTRUCTOR, username="teacher"),
    )
    assert LearnerRisk.objects.get(pk=row.pk).generation > before
