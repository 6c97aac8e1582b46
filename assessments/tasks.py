"""Grading runs as a Celery task, never in the web process."""

from __future__ import annotations

from celery import shared_task

from lms.metrics import GRADING_DURATION, timed

from .grader import SandboxUnavailable
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
