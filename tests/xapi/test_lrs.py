"""xAPI statements end to end against a real LRS (Ralph): recorded with their events, sent
by the queue, read back and valid; the store down and back; nothing sent twice."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

import pytest

from assessments.models import Assessment, GradingResult
from assessments.services import (
    attempt_start,
    attempt_submit,
    submission_create,
    submission_regrade,
)
from lms.accounts.models import Role
from lms.certificates.services import certificate_issue
from lms.learning.services import enrolment_create, lesson_complete, lesson_visit
from lms.xapi.models import LearnerAlias, OutboxStatement
from lms.xapi.services import lrs_endpoint_save, outbox_deliver
from tests.factories import lessons_of, make_quiz, member

from .conftest import PASSWORD, USERNAME

pytestmark = pytest.mark.django_db

ADL = "http://adlnet.gov/expapi/verbs/"
NOTEBOOK = (
    Path(__file__).resolve().parents[2]
    / "notebooks_templates"
    / "python-data-basics"
    / "python-data-basics.ipynb"
).read_bytes()  # the source passes its own tests


@pytest.fixture
def store(ralph, centre_a):
    return lrs_endpoint_save(centre=centre_a, url=ralph.url, username=USERNAME, password=PASSWORD)


def _answers(attempt):
    by_type = {q["type"]: q for q in attempt.questions}
    return {
        by_type["single_choice"]["id"]: next(
            c["id"] for c in by_type["single_choice"]["choices"] if c["correct"]
        ),
        by_type["true_false"]["id"]: "true",
        by_type["numeric"]["id"]: "0.3",
    }


def _by_verb(statements):
    found = {}
    for s in statements:
        found.setdefault(s["verb"]["id"].rsplit("/", 1)[-1], []).append(s)
    return found


def test_journey_statements_reach_the_store_valid_and_private(
    ralph, store, centre_a, course_a, learner_a, django_capture_on_commit_callbacks
):
    quiz = make_quiz(centre_a, course_a, max_attempts=1)
    lesson = lessons_of(course_a)[0]
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = enrolment_create(user=learner_a, course=course_a, centre=centre_a)
    with django_capture_on_commit_callbacks(execute=True):
        lesson_visit(user=learner_a, lesson=lesson)
    with django_capture_on_commit_callbacks(execute=True):
        lesson_complete(user=learner_a, lesson=lesson)
    with django_capture_on_commit_callbacks(execute=True):
        attempt = attempt_start(user=learner_a, assessment=quiz, lesson=lesson)
        attempt_submit(user=learner_a, attempt_id=attempt.pk, answers=_answers(attempt))

    assert not OutboxStatement.objects.exclude(status=OutboxStatement.Status.SENT).exists()
    alias = str(LearnerAlias.objects.get(user=learner_a, centre=centre_a).alias)
    stored = ralph.statements(
        agent=f'{{"account": {{"homePage": "{centre_a.site.root_url}/", "name": "{alias}"}}}}'
    )
    verbs = _by_verb(stored)
    assert {"registered", "launched", "experienced", "answered", "completed"} <= set(verbs)
    # One answered per question, one completed for the attempt, with its score.
    assert len(verbs["answered"]) == len(attempt.questions)
    (completed,) = verbs["completed"]
    attempt.refresh_from_db()
    maximum = sum(float(r["max_points"]) for r in attempt.results.values())
    assert 0 < float(attempt.score) < maximum
    assert completed["result"]["score"]["max"] == maximum
    assert completed["result"]["score"]["raw"] == float(attempt.score)
    assert completed["result"]["score"]["scaled"] == round(float(attempt.score) / maximum, 4)
    assert completed["result"]["success"] is False
    assert completed["result"]["completion"] is True
    # Under the course's pass mark with no attempt left: the course failed.
    assert verbs["failed"][0]["object"]["id"].endswith(f"/course/{course_a.pk}")
    assert "passed" not in verbs
    # The learner is an opaque account on the centre's site: no e-mail, name or user name.
    text = str(stored)
    for secret in (learner_a.email, learner_a.username, learner_a.get_full_name()):
        assert not secret or secret not in text
    assert all(s["actor"] == stored[0]["actor"] for s in stored)
    # Every statement shares the enrolment's registration and is valid for Ralph's models.
    assert len({s["context"]["registration"] for s in stored}) == 1
    assert ralph.validate(stored) == {}
    assert enrolment.pk


def test_course_passed_and_certificate_earned(
    ralph, store, centre_a, course_a, learner_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_create(user=learner_a, course=course_a, centre=centre_a)
    for lesson in lessons_of(course_a):
        with django_capture_on_commit_callbacks(execute=True):
            lesson_complete(user=learner_a, lesson=lesson)
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_issue(learner=learner_a, course=course_a, centre=centre_a)
    verbs = _by_verb(ralph.statements())
    assert len(verbs["passed"]) == 1
    (earned,) = verbs["earned"]
    # The achievement, never the certificate's verify page (which names the learner).
    assert earned["object"]["id"].endswith(f"/xapi/activities/certificate/{course_a.pk}")
    assert str(certificate.pk) not in str(earned) and certificate.number not in str(earned)
    assert ralph.validate([*verbs["passed"], earned]) == {}


@pytest.mark.sandbox
def test_notebook_grading_and_regrade_completed_with_each_test(
    ralph, store, centre_a, course_a, learner_a, django_capture_on_commit_callbacks
):
    """A real submission graded in the sandbox, then regraded: one completed statement per
    grading, with the score and each test's result."""
    exercise = Assessment.objects.create(
        centre=centre_a, title="파이썬 기초 실습", kind=Assessment.Kind.NOTEBOOK
    )
    exercise.notebook_source.save("python-data-basics.ipynb", ContentFile(NOTEBOOK))
    lesson = lessons_of(course_a)[0]
    lesson.body = [
        *lesson.body.raw_data,
        {"type": "notebook", "value": {"assessment": exercise.pk, "introduction": ""}},
    ]
    lesson.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_create(user=learner_a, course=course_a, centre=centre_a)
    with django_capture_on_commit_callbacks(execute=True):
        attempt = submission_create(
            user=learner_a, assessment=exercise, lesson=lesson, data=NOTEBOOK
        )
    with django_capture_on_commit_callbacks(execute=True):
        submission_regrade(attempt=attempt, user=None)
    gradings = list(GradingResult.objects.filter(attempt=attempt, status="done").order_by("pk"))
    assert len(gradings) == 2
    completed = _by_verb(ralph.statements())["completed"]
    assert len(completed) == 2
    for statement in completed:
        assert statement["object"]["id"].endswith(f"/xapi/activities/assessment/{exercise.pk}")
        assert statement["result"]["score"]["scaled"] == 1.0
        tests = next(iter(statement["result"]["extensions"].values()))
        assert [t["test"] for t in tests] == [c["grade_id"] for c in gradings[0].cells]
        assert all(
            t["status"] == c["status"] for t, c in zip(tests, gradings[0].cells, strict=True)
        )
    assert ralph.validate(completed) == {}


def test_store_down_then_back_delivers_everything_once(
    ralph, store, centre_a, course_a, learner_a, django_capture_on_commit_callbacks
):
    ralph.stop()
    learners = [learner_a, *(member(centre_a, Role.LEARNER) for _ in range(3))]
    for learner in learners:
        with django_capture_on_commit_callbacks(execute=True):
            enrolment_create(user=learner, course=course_a, centre=centre_a)
    waiting = OutboxStatement.objects.filter(status=OutboxStatement.Status.PENDING)
    assert waiting.count() == len(learners)
    assert all(s.attempts >= 1 and s.last_error for s in waiting)
    # Retried with backoff: nothing is due again at once.
    assert outbox_deliver().sent == 0

    ralph.start()
    report = outbox_deliver(now=timezone.now() + timedelta(hours=2))
    assert report.sent == len(learners)
    # A reply lost after the store took them: the same statements are sent again.
    OutboxStatement.objects.update(
        status=OutboxStatement.Status.PENDING, next_attempt_at=timezone.now()
    )
    assert outbox_deliver(now=timezone.now() + timedelta(hours=2)).sent == len(learners)

    registered = _by_verb(ralph.statements())["registered"]
    ids = [s["id"] for s in registered]
    assert sorted(ids) == sorted(str(s.pk) for s in OutboxStatement.objects.all())
    stored_ids = [line["id"] for line in ralph.stored_lines()]
    assert all(stored_ids.count(i) == 1 for i in ids)


def test_events_rolled_back_record_nothing(ralph, store, centre_a, course_a, learner_a):
    with pytest.raises(RuntimeError), transaction.atomic():
        enrolment_create(user=learner_a, course=course_a, centre=centre_a)
        assert OutboxStatement.objects.count() == 1
        raise RuntimeError("the request failed after the enrolment")
    assert OutboxStatement.objects.count() == 0


def test_no_store_no_records(centre_a, course_a, learner_a):
    enrolment_create(user=learner_a, course=course_a, centre=centre_a)
    assert not OutboxStatement.objects.exists()
