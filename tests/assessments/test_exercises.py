"""Notebook exercises in the platform: learner version, upload, queued grading in the sandbox,
results and skill evidence, regrade keeping history, and who may do what."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.test import TestCase
from django.urls import reverse

import pytest

from assessments.models import Assessment, Attempt, CourseAssessment, GradingResult
from lms.learning.services import enrolment_create
from lms.skills.models import SkillEvidence
from tests.conftest import A_HOST
from tests.factories import SkillFactory, lessons_of

pytestmark = [pytest.mark.django_db, pytest.mark.sandbox]
TEMPLATE = Path(__file__).resolve().parents[2] / "notebooks_templates" / "python-data-basics"
SOURCE = (TEMPLATE / "python-data-basics.ipynb").read_bytes()


@pytest.fixture
def exercise(centre_a, course_a):
    skill = SkillFactory(esco_uri="http://data.europa.eu/esco/skill/test-python")
    ids = [
        c["metadata"]["nbgrader"]["grade_id"]
        for c in json.loads(SOURCE)["cells"]
        if c.get("metadata", {}).get("nbgrader", {}).get("grade")
    ]
    assessment = Assessment.objects.create(
        centre=centre_a,
        title="파이썬 기초 실습",
        kind=Assessment.Kind.NOTEBOOK,
        max_attempts=3,
        skill_map={grade_id: [{"uri": skill.esco_uri, "level": 2}] for grade_id in ids},
    )
    assessment.notebook_source.save("python-data-basics.ipynb", ContentFile(SOURCE))
    lesson = lessons_of(course_a)[0]
    lesson.body = [
        *lesson.body.raw_data,
        {"type": "notebook", "value": {"assessment": assessment.pk, "introduction": ""}},
    ]
    lesson.save_revision().publish()
    CourseAssessment.objects.create(
        course=course_a, assessment=assessment, weight=1, required=False
    )
    return assessment, lessons_of(course_a)[0]


@pytest.fixture
def enrolled(learner_a, course_a, centre_a):
    return enrolment_create(user=learner_a, course=course_a, centre=centre_a)


def _solved() -> bytes:
    """The source itself is a correct submission (its solutions pass its tests)."""
    return SOURCE


def test_learner_version_hides_solutions_and_hidden_tests(client, learner_a, exercise, enrolled):
    assessment, lesson = exercise
    client.force_login(learner_a)
    response = client.get(
        reverse("assessments:exercise_download", args=[assessment.pk, lesson.pk]), HTTP_HOST=A_HOST
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "YOUR CODE HERE" in text
    assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text


def test_exercise_download_is_for_the_course_learners_and_staff(
    client, learner_a, instructor_a, instructor_b, exercise, centre_a
):
    """The notebook and its data files are course material: not for a learner who has not
    enrolled, nor for another centre's instructor."""
    assessment, lesson = exercise
    url = reverse("assessments:exercise_download", args=[assessment.pk, lesson.pk])
    for user, status in ((learner_a, 403), (instructor_b, 403), (instructor_a, 200)):
        client.force_login(user)
        response = client.get(url, HTTP_HOST=A_HOST)
        assert response.status_code == status, user
        if status == 403:
            assert b"YOUR CODE HERE" not in response.content


def test_upload_is_graded_with_feedback_and_evidence(client, learner_a, exercise, enrolled):
    assessment, lesson = exercise
    client.force_login(learner_a)
    url = reverse("assessments:exercise", args=[assessment.pk, lesson.pk])
    from django.core.files.uploadedfile import SimpleUploadedFile

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            url, {"notebook": SimpleUploadedFile("mine.ipynb", _solved())}, HTTP_HOST=A_HOST
        )
    assert response.status_code == 302
    attempt = Attempt.objects.get()
    assert attempt.status == Attempt.Status.GRADED
    assert attempt.score == attempt.max_score > 0
    with attempt.submission.open("rb") as handle:
        assert handle.read() == _solved()  # stored as submitted
    assert SkillEvidence.objects.filter(user=learner_a, source_type="notebook_cell").exists()
    status = client.get(url, HTTP_HOST=A_HOST, HTTP_ACCEPT="application/json").json()
    assert status["attempts"][0]["status"] == "graded"
    assert all(cell["status"] == "passed" for cell in status["attempts"][0]["cells"])
    assert "BEGIN HIDDEN TESTS" not in json.dumps(status)
    assert attempt.lesson_id == lesson.pk
    page = client.get(url, HTTP_HOST=A_HOST).content.decode()
    steps = page[page.index("data-next-steps") :]
    assert f'href="{lesson.url}"' in steps and "레슨으로 돌아가기" in steps


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not json", "JSON"),
        (json.dumps({"cells": []}).encode(), "notebook"),
        (b"\xff\xfe", "UTF-8"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(
    client, learner_a, exercise, enrolled, data, message
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    assessment, lesson = exercise
    client.force_login(learner_a)
    url = reverse("assessments:exercise", args=[assessment.pk, lesson.pk])
    response = client.post(
        url, {"notebook": SimpleUploadedFile("bad.ipynb", data)}, HTTP_HOST=A_HOST
    )
    assert response.status_code == 400
    assert not Attempt.objects.exists()


def test_not_enrolled_cannot_submit(client, learner_b, exercise):
    from django.core.files.uploadedfile import SimpleUploadedFile

    assessment, lesson = exercise
    client.force_login(learner_b)
    url = reverse("assessments:exercise", args=[assessment.pk, lesson.pk])
    response = client.post(
        url, {"notebook": SimpleUploadedFile("mine.ipynb", _solved())}, HTTP_HOST=A_HOST
    )
    assert response.status_code == 403
    assert not Attempt.objects.exists()


def test_regrade_keeps_the_earlier_result_and_only_own_staff_may(
    client, learner_a, exercise, enrolled, instructor_a, instructor_b
):
    from assessments.services import grading_run, submission_create

    assessment, lesson = exercise
    with TestCase.captureOnCommitCallbacks(execute=True):
        attempt = submission_create(
            user=learner_a, assessment=assessment, lesson=lesson, data=_solved()
        )
    client.force_login(instructor_b)
    assert client.post(reverse("assessments_regrade", args=[attempt.pk])).status_code in (302, 403)
    assert GradingResult.objects.count() == 1
    client.force_login(instructor_a)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert client.post(reverse("assessments_regrade", args=[attempt.pk])).status_code == 302
    results = list(GradingResult.objects.filter(attempt=attempt))
    assert len(results) == 2 and all(r.status == "done" for r in results)
    # Running a finished grading again (a redelivered task) changes nothing.
    before = GradingResult.objects.get(pk=results[0].pk).finished_at
    grading_run(grading_id=results[0].pk)
    assert GradingResult.objects.get(pk=results[0].pk).finished_at == before
    page = client.get(reverse("assessments_submissions", args=[assessment.pk])).content.decode()
    assert learner_a.display_name in page


def test_a_grading_left_running_by_a_killed_worker_is_finished_on_retry(
    learner_a, exercise, enrolled
):
    from assessments.services import grading_run, submission_create

    assessment, lesson = exercise
    attempt = submission_create(
        user=learner_a, assessment=assessment, lesson=lesson, data=_solved()
    )
    grading = GradingResult.objects.get(attempt=attempt)
    GradingResult.objects.filter(pk=grading.pk).update(status="running")  # the worker died here
    Attempt.objects.filter(pk=attempt.pk).update(status="grading")
    assert grading_run(grading_id=grading.pk).status == "done"
    attempt.refresh_from_db()
    assert attempt.status == "graded" and attempt.score == attempt.max_score


def test_a_grading_delivered_twice_is_recorded_once(learner_a, exercise, enrolled):
    """The first delivery is still running when a second one (the broker presumed the worker
    dead) finishes: the first then records nothing."""
    from assessments.services import SubmissionGradeAction, grading_run, submission_create

    assessment, lesson = exercise
    attempt = submission_create(
        user=learner_a, assessment=assessment, lesson=lesson, data=_solved()
    )
    grading = GradingResult.objects.get(attempt=attempt)
    first = SubmissionGradeAction(grading_id=grading.pk)  # took the message, not finished yet
    assert grading_run(grading_id=grading.pk).status == "done"  # the second delivery
    finished = GradingResult.objects.get(pk=grading.pk).finished_at
    evidence = SkillEvidence.objects.count()
    assert first.execute().finished_at == finished
    assert GradingResult.objects.get(pk=grading.pk).finished_at == finished
    assert SkillEvidence.objects.count() == evidence


def test_a_grading_whose_message_was_lost_is_queued_again(learner_a, exercise, enrolled):
    from datetime import timedelta

    from django.utils import timezone

    from assessments.services import submission_create
    from assessments.tasks import gradings_resume

    assessment, lesson = exercise
    # No on-commit run in this test: the grading is stored and its message never sent.
    lost = submission_create(user=learner_a, assessment=assessment, lesson=lesson, data=_solved())
    waiting = submission_create(
        user=learner_a, assessment=assessment, lesson=lesson, data=_solved()
    )
    GradingResult.objects.filter(attempt=lost).update(
        created_at=timezone.now() - timedelta(hours=2)
    )
    assert gradings_resume() == 1  # the one queued a moment ago may still be in the queue
    assert GradingResult.objects.get(attempt=lost).status == "done"
    assert GradingResult.objects.get(attempt=waiting).status == "queued"
    assert gradings_resume() == 0


def test_admin_rejects_a_source_without_grading_metadata(client, centre_a, instructor_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

    plain = json.dumps(
        {
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": {},
            "cells": [
                {
                    "cell_type": "code",
                    "metadata": {},
                    "source": "x = 1",
                    "outputs": [],
                    "execution_count": None,
                }
            ],
        }
    ).encode()
    client.force_login(instructor_a)
    data = nested_form_data(
        {
            "centre": centre_a.pk,
            "title": "메타데이터 없는 실습",
            "kind": "notebook",
            "instructions": rich_text(""),
            "max_attempts": 3,
            "time_limit_minutes": "",
            "pass_mark": 60,
            "questions": streamfield([]),
            "skill_map": "{}",
        }
    )
    data["notebook_source"] = SimpleUploadedFile("plain.ipynb", plain)
    response = client.post(reverse("wagtailsnippets_assessments_assessment:add"), data)
    assert response.status_code == 200
    assert not Assessment.objects.filter(title="메타데이터 없는 실습").exists()
    data["notebook_source"] = SimpleUploadedFile("python-data-basics.ipynb", SOURCE)
    data["title"] = "좋은 실습"
    response = client.post(reverse("wagtailsnippets_assessments_assessment:add"), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert Assessment.objects.get(title="좋은 실습").notebook_source


def test_data_files_zip_is_read_safely(centre_a):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data/a.csv", "x\n1\n")
        archive.writestr("../escape.txt", "no")
    assessment = Assessment.objects.create(centre=centre_a, title="z", kind="notebook")
    assessment.notebook_data.save("d.zip", ContentFile(buffer.getvalue()))
    assert assessment.data_files() == {"data/a.csv": b"x\n1\n"}
