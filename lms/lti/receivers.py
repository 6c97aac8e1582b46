"""Subscriptions to grading events; each only queues work."""

from __future__ import annotations

from assessments.signals import attempt_graded

from .selectors import grants_for_attempt
from .tasks import post_grade


def queue_grades(sender, attempt, **kwargs) -> None:
    # attempt_graded is sent after the grading transaction committed.
    for grant_id in grants_for_attempt(attempt=attempt).values_list("pk", flat=True):
        post_grade.delay(grant_id)


def connect() -> None:
    attempt_graded.connect(queue_grades, dispatch_uid="dasi-lti-grade-passback")
