"""Queued counselling work, scheduled by Celery beat: the weekly at-risk digest and keeping
the stored risk of every learner current."""

from __future__ import annotations

from celery import shared_task

from hub_sites.models import Centre

from .risk_rows import risk_invalidate_passed_due_dates
from .services import digest_send, risk_rows_refresh


@shared_task(name="counselling.weekly_digest", acks_late=True)
def weekly_digest() -> int:
    """Send every centre's counsellors their at-risk digest; returns the e-mails sent."""
    return sum(
        digest_send(centre=centre)
        for centre in Centre.objects.select_related("site").order_by("slug")
    )


@shared_task(name="counselling.risk_refresh", acks_late=True, ignore_result=True)
def risk_refresh() -> int:
    """Compute again the stored risk rows that events marked stale, that are missing, or that
    were computed on an earlier day (time alone moves risk: a silence grows, a target date
    comes closer, a due date passes), so that caseload reads rarely compute; returns the rows
    computed."""
    risk_invalidate_passed_due_dates()
    return sum(risk_rows_refresh(centre=centre) for centre in Centre.objects.order_by("slug"))
