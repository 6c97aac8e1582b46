"""Subscriptions to the events of the layers below that take personal data out of Dasi:
each becomes an entry of the privacy audit log of every centre whose learners it names."""

from __future__ import annotations

from assessments.signals import gradebook_exported
from hub_sites.models import Centre

from . import services
from .models import AuditEvent


def _gradebook_exported(sender, actor, course, rows_by_centre, **kwargs) -> None:
    for centre in Centre.objects.filter(pk__in=rows_by_centre).order_by("pk"):
        services.audit_record(
            actor=actor,
            action=AuditEvent.Action.EXPORT,
            centre=centre,
            what=f"gradebook CSV: {course.title} (course {course.pk}, "
            f"{rows_by_centre[centre.pk]} rows)",
        )


def connect() -> None:
    gradebook_exported.connect(_gradebook_exported, dispatch_uid="privacy-gradebook-exported")
