"""Subscriptions to the in-transaction events of the layers below; each records the
notifications of its event within the event's own transaction (e-mails are queued after it
commits), so a notification exists exactly when its event does."""

from __future__ import annotations

from django.db import transaction

from wagtail.signals import page_published

from assessments.signals import attempt_grade_recorded
from lms.certificates.signals import certificate_issued
from lms.counselling.signals import plan_created

from . import services
from .tasks import course_updates_flush_later


def _graded(sender, attempt, grading=None, **kwargs) -> None:
    services.graded_record(attempt=attempt, grading=grading)


def _certificate(sender, certificate, **kwargs) -> None:
    services.certificate_record(certificate=certificate)


def _plan(sender, plan, **kwargs) -> None:
    services.plan_record(plan=plan)


def _published(sender, instance, revision=None, **kwargs) -> None:
    if services.course_update_record(page=instance) is not None:
        transaction.on_commit(course_updates_flush_later, robust=True)


def connect() -> None:
    attempt_grade_recorded.connect(_graded, dispatch_uid="dasi-notify-graded")
    certificate_issued.connect(_certificate, dispatch_uid="dasi-notify-certificate")
    plan_created.connect(_plan, dispatch_uid="dasi-notify-plan")
    page_published.connect(_published, dispatch_uid="dasi-notify-course-update")
