"""Reads on privacy: a person's consents, the data held about them, the audit log."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from hub_sites.models import Centre

from .datamap import PARTS, USER_HIDDEN, Part
from .models import (
    OPTIONAL_PURPOSES,
    REQUIRED_PURPOSES,
    AuditEvent,
    CentrePrivacyPolicy,
    ConsentRecord,
    DataExport,
    ErasureRequest,
    Purpose,
)
from .texts import CURRENT_VERSION

# --- Consent -------------------------------------------------------------------------------


def consent_latest(*, user) -> dict[str, ConsentRecord]:
    """The newest decision per purpose (purposes never decided are absent)."""
    latest: dict[str, ConsentRecord] = {}
    for record in ConsentRecord.objects.filter(user=user).order_by("purpose", "-at", "-pk"):
        latest.setdefault(record.purpose, record)
    return latest


def consent_withdrawn(*, user, purpose: str) -> bool:
    """Whether the person's newest decision on `purpose` is "no".

    An account that was never asked (created before consents were recorded, or by staff) has
    no decision: the consent page asks it at its next visit (ConsentRequiredMiddleware).
    """
    if user is None or not getattr(user, "pk", None):
        return False
    record = ConsentRecord.objects.filter(user=user, purpose=purpose).order_by("-at", "-pk").first()
    return record is not None and not record.granted


def consent_withdrawn_users(*, purpose: str) -> QuerySet:
    """The ids of the people whose newest decision on `purpose` is "no", as a `user_id`
    values queryset to use as a subquery (nothing is read until it is)."""
    newest = (
        ConsentRecord.objects.filter(user=OuterRef("user_id"), purpose=purpose)
        .order_by("-at", "-pk")
        .values("pk")[:1]
    )
    return ConsentRecord.objects.filter(purpose=purpose, granted=False, pk=Subquery(newest)).values(
        "user_id"
    )


def consent_needed(*, user) -> bool:
    """Whether the person must answer the consent page: no "yes" to a required purpose in the
    current text version."""
    latest = consent_latest(user=user)
    for purpose in REQUIRED_PURPOSES:
        record = latest.get(purpose)
        if record is None or not record.granted or record.text_version != CURRENT_VERSION:
            return True
    return False


def consent_rows(*, user) -> list[dict]:
    """Each purpose with the person's decision, for the privacy page."""
    latest = consent_latest(user=user)
    return [
        {
            "purpose": purpose,
            "label": Purpose(purpose).label,
            "required": purpose in REQUIRED_PURPOSES,
            "record": latest.get(purpose),
            "granted": bool(latest.get(purpose) and latest[purpose].granted),
        }
        for purpose in (*REQUIRED_PURPOSES, *OPTIONAL_PURPOSES)
    ]


# --- Policies ------------------------------------------------------------------------------


def policy_for(*, centre: Centre) -> CentrePrivacyPolicy:
    """The centre's privacy policy (the defaults, unsaved, if the centre never changed it)."""
    return CentrePrivacyPolicy.objects.filter(centre=centre).first() or CentrePrivacyPolicy(
        centre=centre
    )


def erasure_grace_days(*, user) -> int:
    """The longest grace period of the centres the person belongs to (the default if none)."""
    days = [
        policy_for(centre=centre).erasure_grace_days
        for centre in Centre.objects.filter(memberships__user=user).distinct()
    ]
    return max(days, default=settings.DASI_ERASURE_GRACE_DAYS)


def erasure_pending(*, user) -> ErasureRequest | None:
    return ErasureRequest.objects.filter(user=user, status=ErasureRequest.Status.PENDING).first()


def exports_of(*, user) -> QuerySet[DataExport]:
    return DataExport.objects.filter(user=user).order_by("-requested_at")[:5]


# --- The data held about a person ------------------------------------------------------------


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, bytes | memoryview):
        return None
    return value


def row_data(obj: models.Model, *, hidden: tuple[str, ...] = ()) -> dict:
    """Every stored column of one row, JSON-ready (keys as column names, e.g. course_id)."""
    return {
        f.attname: _json_value(f.value_from_object(obj))
        for f in obj._meta.concrete_fields
        if f.name not in hidden
    }


def part_rows(part: Part, *, user) -> QuerySet:
    model = apps.get_model(part.label)
    return model._default_manager.filter(**{part.owner: user}).order_by("pk")


def _notes_excluded_centres(user) -> set[int]:
    return set(
        CentrePrivacyPolicy.objects.filter(
            centre__memberships__user=user, notes_in_export=False
        ).values_list("centre_id", flat=True)
    )


def learner_data(*, user) -> tuple[dict, list[tuple[str, FieldFile]]]:
    """Everything Dasi holds about a person, and the files to put beside it.

    Walks every Part of the data map. Counselling notes of a centre whose policy leaves them
    out of the download are replaced by their count and the reason.
    """
    data: dict[str, Any] = {
        "format": "dasi-my-data/2",
        "exported_at": timezone.now().isoformat(),
        "account": row_data(user, hidden=USER_HIDDEN),
    }
    files: list[tuple[str, FieldFile]] = []
    no_notes = _notes_excluded_centres(user)
    for part in PARTS:
        rows = list(part_rows(part, user=user))
        if part.label == "counselling.Note" and no_notes:
            kept = [r for r in rows if r.centre_id not in no_notes]
            data["counselling_notes_left_out"] = {
                "count": len(rows) - len(kept),
                "why": "the centre's policy keeps counselling notes out of downloads; ask the "
                "centre for them (docs/privacy.md)",
            }
            rows = kept
        if part.label == "counselling.NoteVersion" and no_notes:
            rows = [r for r in rows if r.note.centre_id not in no_notes]
        data[part.section] = [row_data(r, hidden=part.hidden) for r in rows]
        for row in rows:
            for name in part.files:
                stored = getattr(row, name)
                if stored:
                    folder = part.section
                    files.append((f"{folder}/{row.pk}-{stored.name.rsplit('/', 1)[-1]}", stored))
    return data, files


# --- The audit log -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditRow:
    at: dt.datetime
    actor_id: int | None
    actor: str
    learner_id: int | None
    learner: str
    action: str
    action_label: str
    what: str


def audit_rows(
    *,
    centre: Centre,
    actor: str = "",
    learner: str = "",
    action: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int = 2000,
) -> list[AuditRow]:
    """The centre's privacy audit log and its counselling reads, newest first, filtered.

    `actor` and `learner` match a username; `action` one of AuditEvent.Action ("view" also
    matches the counselling reads). Only this centre's entries, ever.
    """
    events = AuditEvent.objects.filter(centre=centre).select_related("actor", "learner")
    reads = (
        apps.get_model("counselling.StaffAccessLog")
        .objects.filter(centre=centre)
        .select_related("viewer", "learner")
    )
    if actor:
        events = events.filter(actor__username=actor)
        reads = reads.filter(viewer__username=actor)
    if learner:
        events = events.filter(learner__username=learner)
        reads = reads.filter(learner__username=learner)
    exports = reads.model.What.CASELOAD_EXPORT
    if action:
        events = events.filter(action=action)
        if action == AuditEvent.Action.VIEW:
            reads = reads.exclude(what=exports)
        elif action == AuditEvent.Action.EXPORT:
            reads = reads.filter(what=exports)
        else:
            reads = reads.none()
    if since:
        events = events.filter(at__date__gte=since)
        reads = reads.filter(at__date__gte=since)
    if until:
        events = events.filter(at__date__lte=until)
        reads = reads.filter(at__date__lte=until)
    rows = [
        AuditRow(
            e.at,
            e.actor_id,
            e.actor.username if e.actor else "",
            e.learner_id,
            e.learner.username if e.learner else "",
            e.action,
            e.get_action_display(),
            e.what,
        )
        for e in events.order_by("-at")[:limit]
    ] + [
        AuditRow(
            r.at,
            r.viewer_id,
            r.viewer.username,
            r.learner_id,
            r.learner.username if r.learner else "",
            *(
                (
                    AuditEvent.Action.EXPORT,
                    AuditEvent.Action.EXPORT.label,
                    f"{r.get_what_display()} ({r.count} rows)",
                )
                if r.what == exports
                else (AuditEvent.Action.VIEW, AuditEvent.Action.VIEW.label, r.get_what_display())
            ),
        )
        for r in reads.order_by("-at")[:limit]
    ]
    return sorted(rows, key=lambda r: r.at, reverse=True)[:limit]
