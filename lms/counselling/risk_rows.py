"""Writes of the stored risk rows (models.LearnerRisk): marking learners stale, and storing
what was computed. Below the selectors, which compute a stale row on read and store it here;
`services` re-exports these for everyone else."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable
from datetime import date, timedelta

from django.db import DatabaseError, connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from assessments.models import DueDate
from hub_sites.models import Centre
from lms.learning.models import Enrolment

from . import risk
from .models import LearnerRisk

logger = logging.getLogger(__name__)


def risk_invalidate(*, learners: QuerySet | Iterable[int], activity_only: bool = False) -> int:
    """Mark the stored risk of learners (ids, or a values("…") queryset of ids) stale in
    every centre: their next read computes it again. Returns the rows marked.

    Runs inside the caller's transaction: a computation that read the history before the
    event commits recorded the generation before this one, so its row stays stale.
    `activity_only`: the event only adds an active moment now, which changes nothing for a
    row that already counts today.
    """
    rows = LearnerRisk.objects.filter(learner_id__in=learners)
    if activity_only:
        today = timezone.localdate()
        rows = rows.exclude(last_active__gte=today, computed_on=today)
    return rows.update(generation=F("generation") + 1)


def risk_invalidate_passed_due_dates(*, now=None, window: timedelta = timedelta(days=1)) -> int:
    """Mark stale the rows computed before a due date of the learner's course run that has
    passed since (within `window`: older ones were met by the daily recomputation): an
    overdue item counts from the moment it is due, not from the next day. Returns the rows
    marked."""
    now = now or timezone.now()
    marked = 0
    passed = DueDate.objects.filter(due_at__gt=now - window, due_at__lte=now)
    for cohort_id, due_at in passed.values_list("cohort_id", "due_at"):
        marked += LearnerRisk.objects.filter(
            learner_id__in=Enrolment.objects.filter(cohort_id=cohort_id).values("user_id"),
            computed_at__lt=due_at,
        ).update(generation=F("generation") + 1)
    return marked


def risk_rows_reserve(*, centre: Centre, learner_ids: Iterable[int]) -> None:
    """Create empty (stale) risk rows for learners who have none yet, before their history
    is read, so that an event during the computation has a row to mark."""
    LearnerRisk.objects.bulk_create(
        [LearnerRisk(centre=centre, learner_id=pk) for pk in learner_ids],
        ignore_conflicts=True,
        batch_size=500,
    )


_STORED_FIELDS = [
    "level",
    "score",
    "flags",
    "usual_gap_days",
    "projected_finish",
    "last_active",
    "progress",
    "computed_on",
    "computed_at",
    "rules_version",
    "computed_generation",
]


def risk_rows_store(
    *, centre: Centre, measured: dict, generations: dict[int, int], today: date
) -> None:
    """Store freshly computed risk (learner id → what `selectors` measured) as the learners'
    risk at the centre on `today`, each at the generation seen before its history was read.

    Never touches `generation`, so an event marked during the computation keeps the row
    stale. Storing is a cache fill: if the database refuses it (a lock conflict with an
    event), the rows are only not stored, and are computed again at the next read.
    """
    now = timezone.now()
    objects = [
        LearnerRisk(
            centre=centre,
            learner_id=pk,
            level=found.risk.level,
            score=found.risk.score,
            flags=[flag.as_json() for flag in found.risk.flags],
            usual_gap_days=found.risk.usual_gap_days,
            projected_finish=found.risk.projected_finish,
            last_active=found.last_active,
            progress=min(found.progress, 100),
            computed_on=today,
            computed_at=now,
            rules_version=risk.RULES_VERSION,
            computed_generation=generations.get(pk, 0),
        )
        for pk, found in sorted(measured.items())  # one lock order for every writer
    ]
    if not objects:
        return
    store = transaction.atomic if connection.in_atomic_block else contextlib.nullcontext
    try:
        with store():  # a savepoint inside a transaction: a refusal must not end it
            LearnerRisk.objects.bulk_create(
                objects,
                update_conflicts=True,
                unique_fields=["centre", "learner"],
                update_fields=_STORED_FIELDS,
                batch_size=500,
            )
    except DatabaseError:
        logger.warning("counselling: %d risk rows not stored (computed again)", len(objects))
