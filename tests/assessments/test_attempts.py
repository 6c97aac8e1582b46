"""Attempts: start, save as you go, submit once, limits, tampering, grades and evidence."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

from django.db import connection
from django.urls import reverse
from django.utils import timezone

import pytest

from assessments.models import Attempt
from assessments.services import AttemptClosed, attempt_answer_save, attempt_start, attempt_submit
from assessments.signals import attempt_graded
from lms.accounts.models import Role
from lms.learning.models import Enrolment
from lms.learning.services import enrolment_create
from lms.skills.models import SkillEvidence
from tests.conftest import A_HOST
from tests.factories import SkillFactory, lessons_of, make_quiz, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz(centre_a, course_a):
    return make_quiz(centre_a, course_a, skill=SkillFactory())


@pytest.fixture
def lesson(course_a):
    return lessons_of(course_a)[0]


@pytest.fixture
def enrolled(learner_a, course_a, centre_a):
    return enrolment_create(user=learner_a, course=course_a, centre=centre_a)


def _ids(attempt):
    by_type = {q["type"]: q for q in attempt.questions}
    correct = {
        "single_choice": next(c["id"] for c in by_type["single_choice"]["choices"] if c["correct"]),
        "multiple_choice": [c["id"] for c in by_type["multiple_choice"]["choices"] if c["correct"]],
        "true_false": "true",
        "numeric": "0.3",
        "short_text": " Pandas ",
    }
    return {by_type[kind]["id"]: value for kind, value in correct.items()}


def test_full_marks_and_skill_evidence(learner_a, quiz, lesson, enrolled):
    attempt = attempt_start(user=learner_a, assessment=quiz, lesson=lesson)
    graded = attempt_submit(user=learner_a, attempt_id=attempt.pk, answers=_ids(attempt))
    assert graded.status == Attempt.Status.GRADED
    assert (graded.score, graded.max_score, graded.percent) == (7, 7, 100.0)
    assert SkillEvidence.objects.filter(user=learner_a, source_type="quiz_question").count() == 5


def test_grading_sends_attempt_graded_once_after_commit(
    learner_a, quiz, lesson, enrolled, django_capture_on_commit_callbacks
):
    events = []
    attempt_graded.connect(
        lambda sender, attempt, **kw: events.append(attempt.pk), weak=False, dispatch_uid="t"
    )
    try:
        attempt = attempt_start(user=learner_a, assessment=quiz, lesson=lesson)
        with django_capture_on_commit_callbacks(execute=True):
            attempt_submit(user=learner_a, attempt_id=attempt.pk, answers=_ids(attempt))
            assert events == []  # not before the grade is committed
        assert events == [attempt.pk]
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(AttemptClosed):
            attempt_submit(user=learner_a, attempt_id=attempt.pk, answers={})
        assert events == [attempt.pk]
    finally:
        attempt_graded.disconnect(dispatch_uid="t")


def test_answers_saved_as_you_go_are_graded(learner_a, quiz, lesson, enrolled):
    attempt = attempt_start(user=learner_a, assessment=quiz, lesson=lesson)
    answers = _ids(attempt)
    for question_id, value in list(answers.items())[:2]:
        attempt_answer_save(
            user=learner_a, attempt_id=attempt.pk, question_id=question_id, value=value
        )
    # The tab closed; the learner comes back and resumes the same attempt.
    assert attempt_start(user=learner_a, assessment=quiz, lesson=lesson).pk == attempt.pk
    graded = attempt_submit(user=learner_a, attempt_id=attempt.pk)
    assert graded.score == 4


def test_double_submission_is_refused_and_keeps_the_grade(learner_a, quiz, lesson, enrolled):
    attempt = attempt_start(user=learner_a, assessment=quiz, lesson=lesson)
    first = attempt_submit(user=learner_a, attempt_id=attempt.pk, answers=_ids(attempt))
    with pytest.raises(AttemptClosed):
        attempt_submit(user=learner_a, attempt_id=attempt.pk, answers={})
    attempt.refresh_from_db()
    assert attempt.score == first.score and attempt.graded_at == first.graded_at


def test_attempt_limit(learner_a, quiz, lesson, enrolled):
    quiz.max_attempts = 2
    quiz.save()
    for _ in range(2):
        attempt = attempt_start(user=learner_a, assessment=quiz, lesson=lesson)
        attempt_submit(user=learner_a, attempt_id=attempt.pk)
    with pytest.raises(Exception, match="2"):
        attempt_start(user=learner_a, assessment=quiz, lesson=lesson)
    assert Attempt.objects.filter(user=learner_a).count() == 2


def test_time_limit_is_enforced_by_the_server(learner_a, quiz, lesson, enrolled):
    quiz.time_limit_minutes = 10
    quiz.save()
    attempt = attempt_start(user=learner_a, assessment=quiz, lesson=lesson)
    answers = _ids(attempt)
    first_id = next(iter(answers))
    attempt_answer_save(
        user=learner_a, attempt_id=attempt.pk, question_id=first_id, value=answers[first_id]
    )
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    with pytest.raises(AttemptClosed):
        attempt_submit(user=learner_a, attempt_id=attempt.pk, answers=answers)
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED and attempt.timed_out
    assert attempt.score == 2  # only the answer saved before the deadline counts


def test_tampered_answers_change_nothing(learner_a, learner_b, quiz, lesson, enrolled, centre_a):
    attempt = attempt_start(user=learner_a, assessment=quiz, lesson=lesson)
    single = next(q for q in attempt.questions if q["type"] == "single_choice")
    multiple = next(q for q in attempt.questions if q["type"] == "multiple_choice")
    bad = [
        (single["id"], multiple["choices"][0]["id"] + "x"),  # not a choice of this question
        ("not-a-question", "c0"),
        (single["id"], {"$ne": 1}),
        (next(q for q in attempt.questions if q["type"] == "numeric")["id"], "twelve"),
    ]
    from django.core.exceptions import PermissionDenied, ValidationError

    for question_id, value in bad:
        with pytest.raises(ValidationError):
            attempt_answer_save(
                user=learner_a, attempt_id=attempt.pk, question_id=question_id, value=value
            )
    with pytest.raises(PermissionDenied):
        attempt_answer_save(
            user=learner_b,
            attempt_id=attempt.pk,
            question_id=single["id"],
            value=single["choices"][0]["id"],
        )
    with pytest.raises(PermissionDenied):
        attempt_submit(user=learner_b, attempt_id=attempt.pk)
    attempt.refresh_from_db()
    assert attempt.answers == {} and attempt.status == Attempt.Status.IN_PROGRESS


def test_not_enrolled_cannot_start(learner_a, quiz, lesson):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        attempt_start(user=learner_a, assessment=quiz, lesson=lesson)


def test_quiz_must_be_in_the_lesson(learner_a, quiz, course_a, enrolled):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        attempt_start(user=learner_a, assessment=quiz, lesson=lessons_of(course_a)[1])


def test_shuffling_is_per_attempt_and_keeps_choices_with_their_question(
    learner_a, quiz, lesson, enrolled
):
    quiz.shuffle_questions = quiz.shuffle_choices = True
    quiz.max_attempts = 0
    quiz.save()
    orders = set()
    for _ in range(12):
        attempt = attempt_start(user=learner_a, assessment=quiz, lesson=lesson)
        orders.add(tuple(q["id"] for q in attempt.questions))
        single = next(q for q in attempt.questions if q["type"] == "single_choice")
        assert sorted(c["text"] for c in single["choices"]) == [
            "csv.load",
            "pd.open_csv",
            "pd.read_csv",
        ]
        attempt_submit(user=learner_a, attempt_id=attempt.pk)
    assert len(orders) > 1


# --- over HTTP -----------------------------------------------------------------------


def test_correct_answers_never_reach_the_browser_before_submission(
    client, learner_a, quiz, lesson, enrolled
):
    client.force_login(learner_a)
    response = client.post(reverse("assessments:quiz", args=[quiz.pk, lesson.pk]), HTTP_HOST=A_HOST)
    attempt = Attempt.objects.get()
    assert response["Location"] == reverse("assessments:attempt", args=[attempt.pk])
    page = client.get(response["Location"], HTTP_HOST=A_HOST).content.decode()
    assert "pd.read_csv" in page  # the choices are there
    for secret in ("맞습니다", "그런 함수는 없습니다", "correct", "0.3", "판다스</", "explanation"):
        assert secret not in page, secret


def test_autosave_endpoint_and_its_errors(client, learner_a, learner_b, quiz, lesson, enrolled):
    attempt = attempt_start(user=learner_a, assessment=quiz, lesson=lesson)
    single = next(q for q in attempt.questions if q["type"] == "single_choice")
    url = reverse("assessments:answer", args=[attempt.pk])
    client.force_login(learner_a)
    ok = client.post(
        url,
        json.dumps({"question": single["id"], "value": single["choices"][0]["id"]}),
        content_type="application/json",
        HTTP_HOST=A_HOST,
    )
    assert ok.status_code == 200 and ok.json()["answered"] == 1
    assert (
        client.post(url, "nope", content_type="application/json", HTTP_HOST=A_HOST).status_code
        == 400
    )
    assert (
        client.post(
            url,
            json.dumps({"question": "zz", "value": "c0"}),
            content_type="application/json",
            HTTP_HOST=A_HOST,
        ).status_code
        == 400
    )
    assert (
        client.post(
            url, json.dumps(["x"]), content_type="application/json", HTTP_HOST=A_HOST
        ).status_code
        == 400
    )
    client.force_login(learner_b)
    assert (
        client.post(
            url,
            json.dumps({"question": single["id"], "value": "c0"}),
            content_type="application/json",
            HTTP_HOST=A_HOST,
        ).status_code
        == 403
    )
    assert (
        client.get(reverse("assessments:attempt", args=[attempt.pk]), HTTP_HOST=A_HOST).status_code
        == 403
    )


def test_submit_form_then_results_with_feedback(client, learner_a, quiz, lesson, enrolled):
    attempt = attempt_start(user=learner_a, assessment=quiz, lesson=lesson)
    single = next(q for q in attempt.questions if q["type"] == "single_choice")
    wrong = next(c["id"] for c in single["choices"] if not c["correct"] and c["feedback"])
    client.force_login(learner_a)
    response = client.post(
        reverse("assessments:submit", args=[attempt.pk]),
        {f"q-{single['id']}": wrong},
        HTTP_HOST=A_HOST,
    )
    assert response.status_code == 302
    page = client.get(response["Location"], HTTP_HOST=A_HOST).content.decode()
    assert "그런 함수는 없습니다" in page  # the chosen choice's feedback
    assert "pd.read_csv</code>를 씁니다" in page  # the explanation, after submission
    again = client.post(reverse("assessments:submit", args=[attempt.pk]), {}, HTTP_HOST=A_HOST)
    assert again.status_code == 409


def test_posting_an_unknown_question_is_400(client, learner_a, quiz, lesson, enrolled):
    attempt = attempt_start(user=learner_a, assessment=quiz, lesson=lesson)
    client.force_login(learner_a)
    response = client.post(
        reverse("assessments:submit", args=[attempt.pk]), {"q-forged": "c0"}, HTTP_HOST=A_HOST
    )
    assert response.status_code == 400
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.IN_PROGRESS


def test_quiz_block_links_from_the_lesson(client, learner_a, quiz, lesson, enrolled):
    client.force_login(learner_a)
    page = client.get(lesson.url, HTTP_HOST=A_HOST).content.decode()
    assert reverse("assessments:quiz", args=[quiz.pk, lesson.pk]) in page


@pytest.mark.django_db(transaction=True)
def test_racing_submissions_grade_once(centre_a):
    """Two requests submitting the same attempt at once: one grade, one refusal."""
    from lms.accounts.models import Role
    from tests.factories import make_course, member, wagtail_base_ensure

    wagtail_base_ensure()
    learner = member(centre_a, Role.LEARNER)
    course = make_course(centre_a, "race", lessons=1, translate=False)
    quiz = make_quiz(centre_a, course)
    enrolment_create(user=learner, course=course, centre=centre_a)
    attempt = attempt_start(user=learner, assessment=quiz, lesson=lessons_of(course)[0])
    answers = _ids(attempt)
    barrier = threading.Barrier(2)
    outcomes = []

    def submit():
        try:
            barrier.wait(timeout=10)
            attempt_submit(user=learner, attempt_id=attempt.pk, answers=answers)
            outcomes.append("graded")
        except AttemptClosed:
            outcomes.append("refused")
        except Exception as exc:  # noqa: BLE001 — reported below
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["graded", "refused"], outcomes
    assert (
        SkillEvidence.objects.count() == 0
        or SkillEvidence.objects.filter(source_id__startswith=f"attempt:{attempt.pk}:").count() == 5
    )
    assert Attempt.objects.get(pk=attempt.pk).score == 7
    assert Enrolment.objects.count() == 1


def test_saving_the_form_of_someone_elses_attempt_is_refused_even_when_empty(
    client, learner_a, centre_a, course_a, quiz
):
    """The "Save" button once said "Your answers are saved." to anyone, for any attempt id."""
    enrolment_create(user=learner_a, course=course_a, centre=centre_a)
    attempt = attempt_start(user=learner_a, assessment=quiz, lesson=lessons_of(course_a)[0])
    client.force_login(member(centre_a, Role.LEARNER, username="other"))
    response = client.post(reverse("assessments:save", args=[attempt.pk]), HTTP_HOST=A_HOST)
    assert response.status_code == 403


def test_result_leads_back_to_the_lesson_and_on_to_the_next(
    client, learner_a, instructor_a, quiz, lesson, enrolled, course_a
):
    attempt = attempt_start(user=learner_a, assessment=quiz, lesson=lesson)
    assert attempt.lesson_id == lesson.pk
    following = lessons_of(course_a)[1]
    client.force_login(learner_a)
    url = reverse("assessments:attempt", args=[attempt.pk])
    before = client.get(url, HTTP_HOST=A_HOST).content.decode()
    assert "data-next-steps" not in before  # not while the quiz is open
    client.post(reverse("assessments:submit", args=[attempt.pk]), {}, HTTP_HOST=A_HOST)
    page = client.get(url, HTTP_HOST=A_HOST).content.decode()
    steps = page[page.index("data-next-steps") :]
    assert f'href="{lesson.url}"' in steps and "레슨으로 돌아가기" in steps
    assert f'href="{following.url}"' in steps and following.title in steps
    # Staff reading the learner's result are not sent on to lessons.
    client.force_login(instructor_a)
    assert "data-next-steps" not in client.get(url, HTTP_HOST=A_HOST).content.decode()


def test_the_last_lesson_has_no_next_lesson(client, learner_a, quiz, enrolled, course_a):
    last = lessons_of(course_a)[-1]
    # The quiz block sits in the first lesson; place it in the last one too.
    last.body = lessons_of(course_a)[0].body
    last.save_revision().publish()
    attempt = attempt_start(user=learner_a, assessment=quiz, lesson=last)
    client.force_login(learner_a)
    client.post(reverse("assessments:submit", args=[attempt.pk]), {}, HTTP_HOST=A_HOST)
    page = client.get(reverse("assessments:attempt", args=[attempt.pk]), HTTP_HOST=A_HOST)
    steps = page.content.decode().split("data-next-steps", 1)[1].split("</p>", 1)[0]
    assert "레슨으로 돌아가기" in steps and "다음 레슨:" not in steps


def test_my_learning_shows_the_grade_so_far_and_what_is_due(
    client, learner_a, quiz, lesson, enrolled
):
    client.force_login(learner_a)
    url = reverse("learning:dashboard")
    page = client.get(url, HTTP_HOST=A_HOST).content.decode()
    assert "지금까지 성적: 0%" in page
    due = page[page.index("data-due") :].split("</p>", 1)[0]
    assert quiz.title in due
    attempt = attempt_start(user=learner_a, assessment=quiz, lesson=lesson)
    attempt_submit(user=learner_a, attempt_id=attempt.pk, answers=_ids(attempt))
    page = client.get(url, HTTP_HOST=A_HOST).content.decode()
    assert "지금까지 성적: 100%" in page and "data-due" not in page
