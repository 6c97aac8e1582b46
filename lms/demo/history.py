"""Dated learning histories for demo learners: enrolled and lessons done on given days.

Progress is recorded through the learning services; only the dates are moved back, so the
counsellor's activity charts and at-risk signals have weeks of history to show.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from courses.models import CoursePage, LessonPage
from hub_sites.models import Centre
from lms.accounts.models import User
from lms.learning.models import Enrolment, LessonProgress
from lms.learning.services import enrolment_create, lesson_complete, lesson_visit


def at(days_ago: int, hour: int = 19) -> datetime:
    """A moment `days_ago` days before today, in the evening, local time."""
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def history_create(*, user: User, course: CoursePage, centre: Centre, days: list[int]) -> Enrolment:
    """Enrol a demo learner in `course` (a source page or the centre's alias of it) and date
    their lessons: each lesson is started and completed on a pair of days, oldest first; a
    lone last day leaves that lesson started. Completing every lesson may complete the course
    (the completion rule decides, and records the course's outcomes)."""
    enrolment = enrolment_create(user=user, course=course, centre=centre)
    lessons = list(LessonPage.objects.child_of(enrolment.course).live().order_by("path"))
    pairs = [days[i : i + 2] for i in range(0, len(days), 2)]
    for lesson, pair in zip(lessons, pairs, strict=False):
        if len(pair) == 2:
            lesson_complete(user=user, lesson=lesson)
        else:
            lesson_visit(user=user, lesson=lesson)
        LessonProgress.objects.filter(enrolment=enrolment, lesson=lesson).update(
            started_at=at(pair[0]),
            completed_at=at(pair[-1]) if len(pair) == 2 else None,
            updated_at=at(pair[-1]),
        )
    enrolment.refresh_from_db()
    dates = {"enrolled_at": at(days[0], 10), "last_activity_at": at(days[-1])}
    if enrolment.status == Enrolment.Status.COMPLETED:
        dates["completed_at"] = at(days[-1])
    Enrolment.objects.filter(pk=enrolment.pk).update(**dates)
    enrolment.refresh_from_db()
    return enrolment
