"""Builders of learner histories for the cockpit: activity on chosen days, graded attempts."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from assessments.models import Attempt
from courses.models import LessonPage
from lms.learning.models import Enrolment, LessonProgress


def days_ago(days: int, hour: int = 12) -> datetime:
    """A moment `days` days before today, at `hour` local time (away from midnight)."""
    day = timezone.localdate() - timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def history(*, learner, centre, course, active_days_ago: list[int]) -> Enrolment:
    """Enrol a learner and spread lesson activity over the given days (two per lesson: the
    day it was started and the day it was completed; an odd last day only starts one).

    Timestamps are written with update() so auto_now fields keep the constructed days.
    """
    days = sorted(active_days_ago, reverse=True)  # oldest first
    lessons = list(LessonPage.objects.child_of(course).order_by("path"))
    needed = (len(days) + 1) // 2
    assert len(lessons) >= needed, f"the course needs {needed} lessons, it has {len(lessons)}"
    enrolment = Enrolment.objects.create(user=learner, course=course, centre=centre)
    for index in range(needed):
        started = days[2 * index]
        completed = days[2 * index + 1] if 2 * index + 1 < len(days) else None
        progress = LessonProgress.objects.create(enrolment=enrolment, lesson=lessons[index])
        LessonProgress.objects.filter(pk=progress.pk).update(
            started_at=days_ago(started),
            updated_at=days_ago(completed if completed is not None else started),
            completed_at=days_ago(completed) if completed is not None else None,
            status="completed" if completed is not None else "started",
        )
    Enrolment.objects.filter(pk=enrolment.pk).update(
        enrolled_at=days_ago(days[0] if days else 0),
        last_activity_at=days_ago(days[-1] if days else 0),
    )
    enrolment.refresh_from_db()
    return enrolment


def graded_attempt(*, learner, assessment, course, days: int, percent: int, number: int) -> Attempt:
    """A graded attempt submitted `days` days ago scoring `percent` of 100 points."""
    attempt = Attempt.objects.create(
        assessment=assessment,
        user=learner,
        course=course,
        number=number,
        status=Attempt.Status.GRADED,
        score=Decimal(percent),
        max_score=Decimal(100),
    )
    when = days_ago(days)
    Attempt.objects.filter(pk=attempt.pk).update(started_at=when, submitted_at=when, graded_at=when)
    return attempt
