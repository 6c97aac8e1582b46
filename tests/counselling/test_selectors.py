"""Caseload rows and risk read from the database: constructed histories, fixed query counts."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from lms.accounts.models import Role
from lms.counselling import selectors
from lms.counselling.selectors import CaseloadFilters, caseload_rows
from lms.counselling.services import note_create, plan_create
from tests.conftest import A_HOST
from tests.factories import SkillFactory, make_quiz, member
from tests.factories.counselling import graded_attempt, history

pytestmark = pytest.mark.django_db


def _rows(centre, viewer, **filters):
    rows = caseload_rows(centre=centre, viewer=viewer, filters=CaseloadFilters(**filters))
    return {r.username: r for r in selectors.rows_detail(rows=rows, centre=centre)}


def test_constructed_histories_are_read_from_lessons_and_attempts(
    centre_a, counsellor_a, long_course, assign
):
    paused = member(centre_a, Role.LEARNER, username="paused")
    steady = member(centre_a, Role.LEARNER, username="steady")
    failing = member(centre_a, Role.LEARNER, username="failing")
    history(
        learner=paused,
        centre=centre_a,
        course=long_course,
        active_days_ago=[30, 28, 26, 24, 22, 20],
    )
    history(
        learner=steady,
        centre=centre_a,
        course=long_course,
        active_days_ago=[45, 38, 31, 24, 17, 10],
    )
    history(learner=failing, centre=centre_a, course=long_course, active_days_ago=[3, 2, 1])
    sql = SkillFactory(label_en="SQL", label_ko="SQL 질의")
    quiz = make_quiz(centre_a, long_course, skill=sql)
    for number, days in enumerate((3, 2, 1), start=1):
        graded_attempt(
            learner=failing,
            assessment=quiz,
            course=long_course,
            days=days,
            percent=20,
            number=number,
        )
    assign(counsellor_a, paused, steady, failing)

    rows = _rows(centre_a, counsellor_a)
    assert [f.code for f in rows["paused"].risk.flags] == ["inactive"]
    assert rows["paused"].risk.usual_gap_days == 2
    assert rows["paused"].last_active == timezone.localdate() - timedelta(days=20)
    assert rows["steady"].risk.flags == []
    assert rows["steady"].risk.usual_gap_days == 7
    assert [f.code for f in rows["failing"].risk.flags] == ["failures"]
    assert "SQL 질의" in rows["failing"].risk.reasons[0]
    assert rows["steady"].courses[0].done == 3 and rows["steady"].courses[0].total == 6
    # Sorted by risk: the two flagged learners first.
    ordered = caseload_rows(centre=centre_a, viewer=counsellor_a, filters=CaseloadFilters())
    assert ordered[-1].username == "steady"


def test_behind_plan_uses_the_latest_plan(centre_a, counsellor_a, long_course, assign):
    learner = member(centre_a, Role.LEARNER, username="planned")
    history(learner=learner, centre=centre_a, course=long_course, active_days_ago=[50, 40, 2])
    assign(counsellor_a, learner)
    today = timezone.localdate()
    plan_create(
        centre=centre_a,
        learner=learner,
        author=counsellor_a,
        target_date=today + timedelta(days=300),
        agreed="천천히",
    )
    assert _rows(centre_a, counsellor_a)["planned"].risk.flags == []
    plan_create(
        centre=centre_a,
        learner=learner,
        author=counsellor_a,
        target_date=today + timedelta(days=3),
        agreed="빨리",
    )
    row = _rows(centre_a, counsellor_a)["planned"]
    assert [f.code for f in row.risk.flags] == ["behind_plan"]
    assert row.plan.agreed == "빨리"


def test_filters_and_sorting(centre_a, counsellor_a, long_course, course_a, assign):
    a = member(centre_a, Role.LEARNER, username="alpha", name="가나다")
    b = member(centre_a, Role.LEARNER, username="beta", name="라마바")
    c = member(centre_a, Role.LEARNER, username="gamma", name="사아자")
    history(learner=a, centre=centre_a, course=long_course, active_days_ago=[40, 39, 38])
    history(learner=b, centre=centre_a, course=course_a, active_days_ago=[2, 1])
    assign(counsellor_a, a, b)
    assert set(_rows(centre_a, counsellor_a)) == {"alpha", "beta"}
    assert set(_rows(centre_a, counsellor_a, scope="all")) == {"alpha", "beta", "gamma"}
    assert set(_rows(centre_a, counsellor_a, scope="all", q="라마")) == {"beta"}
    assert set(_rows(centre_a, counsellor_a, scope="all", course=course_a.pk)) == {"beta"}
    assert set(_rows(centre_a, counsellor_a, scope="all", activity="never")) == {"gamma"}
    assert set(_rows(centre_a, counsellor_a, scope="all", activity="7")) == {"beta"}
    assert set(_rows(centre_a, counsellor_a, scope="all", activity="over30")) == {"alpha"}
    assert set(_rows(centre_a, counsellor_a, scope="all", risk="flagged")) == {"alpha"}
    by_name = caseload_rows(
        centre=centre_a, viewer=counsellor_a, filters=CaseloadFilters(scope="all", sort="name")
    )
    assert [r.name for r in by_name] == ["가나다", "라마바", "사아자"]
    assert c  # never active learners are listed too


def test_activity_in_another_centre_is_not_counted(
    centre_a, centre_b, counsellor_a, long_course, assign
):
    from tests.factories import make_course

    course_b = make_course(centre_b, "b-course", lessons=2, translate=False)
    both = member(centre_a, Role.LEARNER, username="both")
    from lms.accounts.services import membership_create

    membership_create(user=both, centre=centre_b, role=Role.LEARNER)
    history(learner=both, centre=centre_b, course=course_b, active_days_ago=[1, 0])
    assign(counsellor_a, both)
    row = _rows(centre_a, counsellor_a)["both"]
    assert row.last_active is None and row.courses == []


def _populate(centre, counsellor, course, quiz, start: int, count: int, assign):
    for n in range(start, start + count):
        learner = member(centre, Role.LEARNER, username=f"q{n}")
        history(
            learner=learner, centre=centre, course=course, active_days_ago=[20 + n % 5, 12, 11, 5]
        )
        graded_attempt(
            learner=learner, assessment=quiz, course=course, days=4, percent=30, number=1
        )
        plan_create(
            centre=centre,
            learner=learner,
            author=counsellor,
            target_date=timezone.localdate() + timedelta(days=30),
            agreed="계획",
        )
        note_create(centre=centre, learner=learner, author=counsellor, text="메모")
        assign(counsellor, learner)


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_HOST=A_HOST)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["counselling:caseload", "counselling:at_risk"])
def test_caseload_queries_do_not_grow_with_caseload_size(
    client, centre_a, counsellor_a, long_course, assign, name, django_assert_max_num_queries
):
    quiz = make_quiz(centre_a, long_course, skill=SkillFactory())
    _populate(centre_a, counsellor_a, long_course, quiz, 0, 2, assign)
    client.force_login(counsellor_a)
    url = reverse(name) + "?scope=all&sort=name"
    small_computed = _count(client, url)  # no stored risk yet: computed on this read
    small = _count(client, url)  # read from the stored rows
    assert small < small_computed
    # Read from the stored rows: the page the target (<= 25 queries) is about.
    assert small <= 25
    _populate(centre_a, counsellor_a, long_course, quiz, 2, 10, assign)
    # The read that meets ten learners without stored risk computes and stores theirs: the
    # stored read's queries plus a fixed few, not one more per learner.
    with django_assert_max_num_queries(small + 12) as computed:
        response = client.get(url, HTTP_HOST=A_HOST)  # the ten new learners computed
    assert response.status_code == 200
    assert len(computed) == small_computed
    assert _count(client, url) == small


def test_overview_queries_do_not_grow_with_history(
    client, centre_a, counsellor_a, long_course, assign, django_assert_max_num_queries
):
    learner = member(centre_a, Role.LEARNER, username="busy")
    history(
        learner=learner,
        centre=centre_a,
        course=long_course,
        active_days_ago=[12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1],
    )
    quiz = make_quiz(centre_a, long_course, skill=SkillFactory())
    for number in range(1, 4):
        graded_attempt(
            learner=learner,
            assessment=quiz,
            course=long_course,
            days=number,
            percent=10 * number,
            number=number,
        )
    for n in range(5):
        note_create(centre=centre_a, learner=learner, author=counsellor_a, text=f"메모 {n}")
    client.force_login(counsellor_a)
    url = reverse("counselling:learner", args=[learner.pk])
    # 60 for the overview, one for the header's count of unread notifications.
    with django_assert_max_num_queries(61):
        assert client.get(url, HTTP_HOST=A_HOST).status_code == 200
    first = _count(client, url)
    for n in range(5):
        note_create(centre=centre_a, learner=learner, author=counsellor_a, text=f"더 {n}")
    assert _count(client, url) == first


def test_heatmap_and_funnel(centre_a, counsellor_a, long_course, assign):
    from lms.skills.models import SkillEvidence
    from lms.skills.services import evidence_record

    skill = SkillFactory(label_ko="판다스")
    quiz = make_quiz(centre_a, long_course, skill=skill)
    shown = member(centre_a, Role.LEARNER, username="shown", name="보임")
    quiet = member(centre_a, Role.LEARNER, username="quiet", name="조용")
    history(learner=shown, centre=centre_a, course=long_course, active_days_ago=[6, 5, 4, 3, 2, 1])
    history(learner=quiet, centre=centre_a, course=long_course, active_days_ago=[1])
    evidence_record(
        user=shown,
        skill=skill,
        level=3,
        score=0.9,
        source_type=SkillEvidence.Source.QUIZ_QUESTION,
        source_id="x",
    )
    evidence_record(
        user=quiet,
        skill=skill,
        level=4,
        score=0.1,
        source_type=SkillEvidence.Source.QUIZ_QUESTION,
        source_id="y",
    )
    evidence_record(
        user=quiet,
        skill=skill,
        level=5,
        score=1.0,
        source_type=SkillEvidence.Source.SELF_ASSESSMENT,
        source_id="self",
    )
    heat = selectors.skill_heatmap(centre=centre_a, course_id=long_course.pk)
    assert skill in heat.skills and quiz
    column = heat.skills.index(skill)
    levels = {name: row[column] for _pk, name, row in heat.rows}
    assert levels == {"보임": 3, "조용": 0}  # failed items and self-ratings do not count
    funnel = selectors.completion_funnels(centre=centre_a)[0]
    assert [(s.key, s.count) for s in funnel.stages] == [
        ("enrolled", 2),
        ("started", 2),
        ("halfway", 1),
        ("lessons_done", 0),
        ("completed", 0),
    ]


def test_overdue_due_dates_flag_a_learner(centre_a, counsellor_a, course_a, learner_a, assign):
    from assessments.models import DueDate
    from lms.learning.models import Cohort
    from lms.learning.services import enrolment_create

    today = timezone.localdate()
    run = Cohort.objects.create(
        centre=centre_a,
        course=course_a,
        title="run",
        starts_on=today - timedelta(days=10),
        ends_on=today + timedelta(days=10),
    )
    quiz = make_quiz(centre_a, course_a)
    enrolment_create(user=learner_a, course=course_a, centre=centre_a)
    assign(counsellor_a, learner_a)
    assert "deadlines" not in [
        f.code for f in _rows(centre_a, counsellor_a)[learner_a.username].risk.flags
    ]
    DueDate.objects.create(cohort=run, assessment=quiz, due_at=timezone.now() - timedelta(days=1))
    from django.utils import translation

    row = _rows(centre_a, counsellor_a)[learner_a.username]
    (flag,) = [f for f in row.risk.flags if f.code == "deadlines"]
    with translation.override("en"):  # reasons are written in the reader's language
        assert "1 due date passed with nothing handed in." in flag.reason
