"""Queued delivery of the xAPI outbox."""

from __future__ import annotations

from django.core.cache import cache
from django.utils import timezone

from celery import shared_task

from .selectors import next_due_at
from .services import outbox_deliver

ROUNDS = 50  # claims per task run; a longer backlog is picked up by the next run


@shared_task(name="xapi.deliver", ignore_result=True)
def deliver() -> dict:
    """Send what is due; when statements still wait (the store is down), run again when the
    first of them is due. Celery beat also runs this every minute, so a lost message or a
    restarted worker delays statements, never drops them."""
    sent = rejected = 0
    for _round in range(ROUNDS):
        report = outbox_deliver()
        sent += report.sent
        rejected += report.rejected
        if not report.sent and not report.rejected:
            break
    due = next_due_at()
    if due is not None and not deliver.app.conf.task_always_eager:
        wait = max((due - timezone.now()).total_seconds(), 1)
        # One scheduled retry at a time, however many deliveries saw the store down.
        if wait <= 300 and cache.add("xapi:deliver-retry", 1, timeout=int(wait)):
            deliver.apply_async(countdown=wait)
    return {"sent": sent, "rejected": rejected}
