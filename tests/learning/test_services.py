from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

import pytest

from courses.models import CoursePage
from hub_sites.services import course_offer
from lms.learning.models import Enrolment, LessonProgress
from lms.learning.services import (
    AlreadyEnrolled,
    enrolment_create,
    lesson_complete,
    lesson_position_save,
    lesson_visit,
)
from tests.factories import lessons_of, make_course

pytestmark = pytest.mark.django_db


def test_enrol_creates_one_enrolment_against_the_source_course(learner_a, course_a, centre_a):
    enrolment = enrolment_create(user=learner_a, course=course_a, centre=centre_a)
    assert enrolment.course_id == course_a.pk
    assert enrolment.centre == centre_a
    assert enrolment.status == Enrolment.Status.ACTIVE


def test_enrolling_twice_is_refused_and_keeps_one_enrolment(learner_a, course_a, centre_a):
    enrolment_create(user=learner_a, course=course_a, centre=centre_a)
    with pytest.raises(AlreadyEnrolled):
        enrolment_create(user=learner_a, course=course_a, centre=centre_a)
    assert Enrolment.objects.filter(user=learner_a).count() == 1


def test_enrolling_in_a_draft_course_is_refused(learner_a, centre_a):
    draft = make_course(centre_a, "draft-course", live=False, translate=False)
    with pytest.raises(ValidationError) as excinfo:
        enrolment_create(user=learner_a, course=draft, centre=centre_a)
    assert excinfo.value.code == "not_live"
    assert not Enrolment.objects.exists()


def test_enrolling_in_another_centres_course_is_refused(learner_b, course_a, centre_b):
    with pytest.raises(ValidationError) as excinfo:
        enrolment_create(user=learner_b, course=course_a, centre=centre_b)
    assert excinfo.value.code == "other_centre"
    assert not Enrolment.objects.exists()


def test_a_non_member_cannot_enrol(outsider, course_a, centre_a):
    with pytest.raises(PermissionDenied):
        enrolment_create(user=outsider, course=course_a, centre=centre_a)
    assert not Enrolment.objects.exists()


def test_completing_a_lesson_without_enrolment_is_refused(learner_a, course_a):
    lesson = lessons_of(course_a)[0]
    with pytest.raises(PermissionDenied):
        lesson_complete(user=learner_a, lesson=lesson)
    assert not LessonProgress.objects.exists()


def test_visit_then_complete_records_progress_once(learner_a, course_a, centre_a):
    enrolment = enrolment_create(user=learner_a, course=course_a, centre=centre_a)
    first, second = lessons_of(course_a)[:2]
    progress = lesson_visit(user=learner_a, lesson=first)
    assert progress.status == LessonProgress.Status.STARTED
    completed = lesson_complete(user=learner_a, lesson=first)
    first_time = completed.completed_at
    again = lesson_complete(user=learner_a, lesson=first)
    assert again.completed_at == first_time
    lesson_visit(user=learner_a, lesson=second)
    enrolment.refresh_from_db()
    assert enrolment.last_lesson_id == second.pk
    assert LessonProgress.objects.filter(enrolment=enrolment).count() == 2


def test_visit_by_someone_not_enrolled_records_nothing(outsider, course_a):
    assert lesson_visit(user=outsider, lesson=lessons_of(course_a)[0]) is None
    assert not LessonProgress.objects.exists()


def test_position_must_be_a_section_of_the_lesson(learner_a, course_a, centre_a):
    enrolment_create(user=learner_a, course=course_a, centre=centre_a)
    lesson = lessons_of(course_a)[0]
    section = lesson.body[1].id
    assert lesson_position_save(user=learner_a, lesson=lesson, position=section).position == section
    with pytest.raises(ValidationError):
        lesson_position_save(user=learner_a, lesson=lesson, position="not-a-section")
    assert LessonProgress.objects.get().position == section


def test_progress_is_shared_between_translation_and_alias(learner_a, course_a, centre_a, centre_b):
    """A course read in English, or offered by another centre, is one course for the learner."""
    enrolment_create(user=learner_a, course=course_a, centre=centre_a)
    english = CoursePage.objects.get(
        translation_key=course_a.translation_key, locale__language_code="en"
    )
    lesson_complete(user=learner_a, lesson=lessons_of(english)[0])
    alias = course_offer(course=course_a, centre=centre_b)
    assert alias.alias_of_id == course_a.pk
    lesson_complete(user=learner_a, lesson=lessons_of(alias)[1])
    progress = LessonProgress.objects.filter(enrolment__user=learner_a)
    assert sorted(progress.values_list("lesson_id", flat=True)) == [
        lesson.pk for lesson in lessons_of(course_a)[:2]
    ]
    # Enrolling again through the other centre's alias is the same course.
    from lms.accounts.models import Role
    from lms.accounts.services import membership_create

    membership_create(user=learner_a, centre=centre_b, role=Role.LEARNER)
    with pytest.raises(AlreadyEnrolled):
        enrolment_create(user=learner_a, course=alias, centre=centre_b)
