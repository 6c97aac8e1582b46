"""Grading runs as a Celery task, never in the web process."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from celery import shared_task

from lms.metrics import GRADING_DURATION, timed

from .grader import SandboxUnavailable
from .selectors import gradings_stale
from .services import grading_run


@shared_task(
    name="assessments.grade_submission",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(SandboxUnavailable,),
    retry_backoff=30,
    max_retries=20,
)
def grade_submission(grading_id: int) -> str:
    """Grade one stored submission, keyed by its grading record: running it again after a
    worker died mid-grade finishes the job; running it after it finished changes nothing."""
    with timed(GRADING_DURATION, status="unknown") as labels:
        labels["status"] = grading_run(grading_id=grading_id).status
    return labels["status"]


@shared_task(name="assessments.gradings_resume")
def gradings_resume(min_age_s: int = 3600) -> int:
    """Queue again each grading that has waited or run longer than any grading does: its
    message was lost (a broker restarted without its data, a publish refused while it was
    down). A grading delivered twice is recorded once. Returns how many were queued."""
    stale = list(gradings_stale(before=timezone.now() - timedelta(seconds=min_age_s)))
    for grading_id in stale:
        grade_submission.delay(grading_id)
    return len(stale)
