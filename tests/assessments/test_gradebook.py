"""Grading policy arithmetic, the completion rule, the gradebook and who may see it."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.urls import reverse

import pytest

from assessments.models import Assessment, Attempt, CourseAssessment
from assessments.selectors import course_grade_for
from assessments.services import attempt_start, attempt_submit
from lms.accounts.models import Role
from lms.learning.models import Enrolment
from lms.learning.services import completion_status, enrolment_create, lesson_complete
from lms.learning.signals import course_completed
from lms.skills.models import SkillEvidence
from tests.factories import lessons_of, make_quiz, member

pytestmark = pytest.mark.django_db


def _graded(user, course, assessment, percent):
    """A graded attempt with the given percent (written directly: policy arithmetic only)."""
    number = Attempt.objects.filter(user=user, assessment=assessment).count() + 1
    return Attempt.objects.create(
        assessment=assessment,
        user=user,
        course=course,
        number=number,
        status=Attempt.Status.GRADED,
        score=Decimal(percent),
        max_score=Decimal(100),
    )


@pytest.fixture
def two_quizzes(centre_a, course_a):
    first = Assessment.objects.create(centre=centre_a, title="A", pass_mark=50)
    second = Assessment.objects.create(centre=centre_a, title="B", pass_mark=70)
    CourseAssessment.objects.create(course=course_a, assessment=first, weight=1, required=True)
    CourseAssessment.objects.create(
        course=course_a, assessment=second, weight=3, required=False, pass_mark=90
    )
    return first, second


def test_weighted_grade_and_attempt_policy(learner_a, course_a, two_quizzes):
    first, second = two_quizzes
    _graded(learner_a, course_a, first, 80)
    _graded(learner_a, course_a, first, 40)
    _graded(learner_a, course_a, second, 60)
    best = course_grade_for(user_id=learner_a.pk, course=course_a)
    assert best.percent == pytest.approx((80 * 1 + 60 * 3) / 4)
    assert best.passed_required  # A is required, best 80 ≥ 50
    assert best.cells[second.pk].passed is False  # course pass mark 90 overrides B's 70
    course_a.attempt_policy = "last"
    course_a.save()
    last = course_grade_for(user_id=learner_a.pk, course=course_a)
    assert last.percent == pytest.approx((40 + 180) / 4)
    assert not last.passed_required  # last attempt at A is 40 < 50


def test_missing_work_counts_zero(learner_a, course_a, two_quizzes):
    grade = course_grade_for(user_id=learner_a.pk, course=course_a)
    assert grade.percent == 0 and not grade.passed_required


def test_course_completes_once_when_the_rule_is_met(learner_a, course_a, centre_a):
    from tests.factories import SkillFactory

    quiz = make_quiz(centre_a, course_a, skill=SkillFactory())
    enrolment = enrolment_create(user=learner_a, course=course_a, centre=centre_a)
    events = []
    course_completed.connect(
        lambda sender, enrolment, **kw: events.append(enrolment.pk), weak=False, dispatch_uid="t"
    )
    try:
        lessons = lessons_of(course_a)
        for lesson in lessons:
            lesson_complete(user=learner_a, lesson=lesson)
        enrolment.refresh_from_db()
        assert enrolment.status == Enrolment.Status.ACTIVE  # the quiz is not passed yet
        status = completion_status(enrolment=enrolment)
        assert status["lessons_ok"] and not status["assessments_ok"]
        attempt = attempt_start(user=learner_a, assessment=quiz, lesson=lessons[0])
        answers = {
            q["id"]: (
                next(c["id"] for c in q["choices"] if c["correct"])
                if q["type"] == "single_choice"
                else [c["id"] for c in q["choices"] if c["correct"]]
                if q["type"] == "multiple_choice"
                else {"true_false": "true", "numeric": "0.3", "short_text": "pandas"}[q["type"]]
            )
            for q in attempt.questions
        }
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):
            attempt_submit(user=learner_a, attempt_id=attempt.pk, answers=answers)
        enrolment.refresh_from_db()
        assert enrolment.status == Enrolment.Status.COMPLETED
        first_completed_at = enrolment.completed_at
        with TestCase.captureOnCommitCallbacks(execute=True):
            lesson_complete(user=learner_a, lesson=lessons[0])  # evaluating again changes nothing
        enrolment.refresh_from_db()
        assert enrolment.completed_at == first_completed_at
        assert events == [enrolment.pk]
        assert (
            SkillEvidence.objects.filter(user=learner_a, source_type="course_completion").count()
            == 1
        )
    finally:
        course_completed.disconnect(dispatch_uid="t")


def test_optional_lessons_are_not_required(learner_a, course_a, centre_a):
    enrolment = enrolment_create(user=learner_a, course=course_a, centre=centre_a)
    lessons = lessons_of(course_a)
    last = lessons[-1]
    last.required = False
    last.save_revision().publish()
    for lesson in lessons[:-1]:
        lesson_complete(user=learner_a, lesson=lesson)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED  # no graded assessments in this course


def _gradebook_setup(centre_a, centre_b, course_a):
    from hub_sites.services import course_offer

    quiz = make_quiz(centre_a, course_a)
    course_offer(course=course_a, centre=centre_b)
    a = member(centre_a, Role.LEARNER, name="가 학습자")
    b = member(centre_b, Role.LEARNER, name="나 학습자")
    enrolment_create(user=a, course=course_a, centre=centre_a)
    from courses.models import CoursePage

    alias = CoursePage.objects.get(alias_of=course_a)
    enrolment_create(user=b, course=alias, centre=centre_b)
    _graded(a, course_a, quiz, 90)
    Attempt.objects.create(assessment=quiz, user=b, course=course_a, number=1)
    return quiz, a, b


def test_gradebook_shows_own_centres_learners_only(
    client, centre_a, centre_b, course_a, instructor_a, instructor_b, learner_a
):
    quiz, a, b = _gradebook_setup(centre_a, centre_b, course_a)
    url = reverse("assessments_gradebook", args=[course_a.pk])
    client.force_login(instructor_a)
    page = client.get(url).content.decode()
    assert "가 학습자" in page and "나 학습자" not in page
    assert "90%" in page
    client.force_login(instructor_b)  # B offers the course: B's learners only
    page = client.get(url).content.decode()
    assert "나 학습자" in page and "가 학습자" not in page
    client.force_login(learner_a)
    assert client.get(url).status_code in (302, 403)


def test_gradebook_of_a_course_not_offered_is_refused(client, centre_b, course_a, instructor_b):
    client.force_login(instructor_b)
    response = client.get(reverse("assessments_gradebook", args=[course_a.pk]))
    assert response.status_code in (302, 403)
    assert "/admin/login" not in response.get("Location", "")
    assert client.get(reverse("assessments_gradebook_csv", args=[course_a.pk])).status_code in (
        302,
        403,
    )


def test_gradebook_csv_streams(client, centre_a, centre_b, course_a, instructor_a):
    quiz, a, b = _gradebook_setup(centre_a, centre_b, course_a)
    client.force_login(instructor_a)
    response = client.get(reverse("assessments_gradebook_csv", args=[course_a.pk]))
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][0] == a.username and rows[1][3] == "90.0" and rows[1][4] == "graded"
    assert len(rows) == 2  # B's learner is not in A's export


def test_learner_sees_own_grades_only(client, centre_a, course_a, learner_a, learner_b):
    quiz = make_quiz(centre_a, course_a)
    enrolment_create(user=learner_a, course=course_a, centre=centre_a)
    attempt = _graded(learner_a, course_a, quiz, 75)
    client.force_login(learner_a)
    page = client.get(
        reverse("assessments:my_grades"), HTTP_HOST="dongtan.localhost"
    ).content.decode()
    assert "75%" in page and quiz.title in page
    client.force_login(learner_b)
    page = client.get(
        reverse("assessments:my_grades"), HTTP_HOST="dongtan.localhost"
    ).content.decode()
    assert quiz.title not in page
    assert (
        client.get(
            reverse("assessments:attempt", args=[attempt.pk]), HTTP_HOST="dongtan.localhost"
        ).status_code
        == 403
    )


def test_assessment_library_is_per_centre(
    client, centre_a, centre_b, instructor_a, instructor_b, course_a
):
    quiz = make_quiz(centre_a, course_a)
    client.force_login(instructor_b)
    listing = client.get(reverse("wagtailsnippets_assessments_assessment:list")).content.decode()
    assert quiz.title not in listing
    edit = client.get(reverse("wagtailsnippets_assessments_assessment:edit", args=[quiz.pk]))
    assert edit.status_code in (302, 403, 404)
    chooser = client.get(reverse("wagtailsnippetchoosers_assessments_assessment:choose")).json()[
        "html"
    ]
    assert quiz.title not in chooser
    client.force_login(instructor_a)
    assert (
        quiz.title
        in client.get(reverse("wagtailsnippets_assessments_assessment:list")).content.decode()
    )
    assert (
        quiz.title
        in client.get(reverse("wagtailsnippetchoosers_assessments_assessment:choose")).json()[
            "html"
        ]
    )


def test_instructor_authors_a_quiz_in_the_admin(client, centre_a, centre_b, instructor_a):
    from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

    client.force_login(instructor_a)
    url = reverse("wagtailsnippets_assessments_assessment:add")
    data = nested_form_data(
        {
            "centre": centre_a.pk,
            "title": "엑셀 기초 확인",
            "kind": "quiz",
            "instructions": rich_text("<p>두 문제입니다.</p>"),
            "max_attempts": 3,
            "time_limit_minutes": "",
            "pass_mark": 60,
            "questions": streamfield(
                [
                    (
                        "true_false",
                        {
                            "prompt": rich_text("<p>CSV는 텍스트 파일이다.</p>"),
                            "points": "1",
                            "explanation": rich_text(""),
                            "skill": "",
                            "skill_level": 1,
                            "answer": True,
                            "feedback_true": "",
                            "feedback_false": "",
                        },
                    ),
                    (
                        "numeric",
                        {
                            "prompt": rich_text("<p>2+2?</p>"),
                            "points": "1",
                            "explanation": rich_text(""),
                            "skill": "",
                            "skill_level": 1,
                            "answer": 4,
                            "tolerance": 0,
                        },
                    ),
                ]
            ),
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    quiz = Assessment.objects.get(title="엑셀 기초 확인")
    assert [b.block_type for b in quiz.questions] == ["true_false", "numeric"]
    assert quiz.centre == centre_a
    data["centre"] = centre_b.pk  # not a centre this instructor works for
    data["title"] = "다른 센터"
    assert client.post(url, data).status_code == 200
    assert not Assessment.objects.filter(title="다른 센터").exists()


def test_single_choice_needs_exactly_one_correct_choice(client, centre_a, instructor_a):
    from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

    client.force_login(instructor_a)
    choices = [
        {"text": "a", "correct": True, "feedback": ""},
        {"text": "b", "correct": True, "feedback": ""},
    ]
    data = nested_form_data(
        {
            "centre": centre_a.pk,
            "title": "잘못된 퀴즈",
            "kind": "quiz",
            "instructions": rich_text(""),
            "max_attempts": 1,
            "time_limit_minutes": "",
            "pass_mark": 60,
            "questions": streamfield(
                [
                    (
                        "single_choice",
                        {
                            "prompt": rich_text("<p>?</p>"),
                            "points": "1",
                            "explanation": rich_text(""),
                            "skill": "",
                            "skill_level": 1,
                            "choices": _listblock(choices),
                        },
                    )
                ]
            ),
        }
    )
    response = client.post(reverse("wagtailsnippets_assessments_assessment:add"), data)
    assert response.status_code == 200
    assert not Assessment.objects.filter(title="잘못된 퀴즈").exists()


def _listblock(items):
    data = {"count": len(items)}
    for number, item in enumerate(items):
        data[str(number)] = {"value": item, "deleted": "", "order": number, "id": ""}
    return data
