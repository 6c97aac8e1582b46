"""Subscriptions to the in-transaction events of the layers below; each records statements
in the outbox within the event's own transaction (and queues nothing but the delivery)."""

from __future__ import annotations

from django.db import transaction

from assessments.signals import attempt_grade_recorded
from lms.certificates.signals import certificate_issued
from lms.learning.signals import (
    course_completion_recorded,
    enrolment_created,
    lesson_completed,
    lesson_started,
)

from . import services
from .tasks import deliver


def _deliver_after_commit(recorded: bool) -> None:
    if recorded:
        transaction.on_commit(deliver.delay)


def _enrolled(sender, enrolment, **kwargs) -> None:
    _deliver_after_commit(services.record_registered(enrolment=enrolment))


def _lesson_started(sender, progress, **kwargs) -> None:
    _deliver_after_commit(services.record_lesson(progress=progress, verb="launched"))


def _lesson_completed(sender, progress, **kwargs) -> None:
    _deliver_after_commit(services.record_lesson(progress=progress, verb="experienced"))


def _graded(sender, attempt, grading=None, **kwargs) -> None:
    _deliver_after_commit(services.record_graded(attempt=attempt, grading=grading))


def _passed(sender, enrolment, **kwargs) -> None:
    _deliver_after_commit(services.record_passed(enrolment=enrolment))


def _earned(sender, certificate, **kwargs) -> None:
    _deliver_after_commit(services.record_earned(certificate=certificate))


def connect() -> None:
    enrolment_created.connect(_enrolled, dispatch_uid="dasi-xapi-registered")
    lesson_started.connect(_lesson_started, dispatch_uid="dasi-xapi-launched")
    lesson_completed.connect(_lesson_completed, dispatch_uid="dasi-xapi-experienced")
    attempt_grade_recorded.connect(_graded, dispatch_uid="dasi-xapi-graded")
    course_completion_recorded.connect(_passed, dispatch_uid="dasi-xapi-passed")
    certificate_issued.connect(_earned, dispatch_uid="dasi-xapi-earned")
