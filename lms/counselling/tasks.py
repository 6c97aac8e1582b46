"""Queued counselling work: the weekly at-risk digest (scheduled by Celery beat)."""

from __future__ import annotations

from celery import shared_task

from hub_sites.models import Centre

from .services import digest_send


@shared_task(name="counselling.weekly_digest", acks_late=True)
def weekly_digest() -> int:
    """Send every centre's counsellors their at-risk digest; returns the e-mails sent."""
    return sum(
        digest_send(centre=centre)
        for centre in Centre.objects.select_related("site").order_by("slug")
    )
