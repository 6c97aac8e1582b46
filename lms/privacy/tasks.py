"""Queued privacy work: building an export, and the scheduled erasures and retention."""

from __future__ import annotations

from celery import shared_task

from hub_sites.models import Centre

from . import retention, services
from .models import DataExport


@shared_task(name="privacy.export_build", acks_late=True)
def export_build(export_id: str) -> str:
    """Build one "download my data" archive (queued by `services.export_request`)."""
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.status != DataExport.Status.QUEUED:
        return "skipped"
    try:
        services.export_build(export=export)
    except Exception:
        DataExport.objects.filter(pk=export_id).update(status=DataExport.Status.FAILED)
        raise
    return "ready"


@shared_task(name="privacy.daily", acks_late=True)
def daily() -> dict:
    """Erasures past their grace period, expired archives, and every centre's retention."""
    counts = {"erased": services.erasures_due(), "exports_expired": services.exports_expire()}
    for centre in Centre.objects.order_by("slug"):
        for category, n in retention.retention_apply(centre=centre).items():
            counts[category] = counts.get(category, 0) + n
    return counts
