"""Subscriptions to other engines' events; each only queues work."""

from __future__ import annotations

from django.db import transaction

from lms.learning.signals import course_completed

from .tasks import issue_for_enrolment


def queue_certificate(sender, enrolment, **kwargs) -> None:

    # robust: a broker that is down must not undo the completion (or fail the grading task
    # that completed the course); the beat task completions_resume queues it later.
    transaction.on_commit(lambda: issue_for_enrolment.delay(enrolment.pk), robust=True)


def connect() -> None:
    course_completed.connect(queue_certificate, dispatch_uid="dasi-certificate-on-completion")
