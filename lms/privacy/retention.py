"""Retention: what each centre's periods delete, worked out once for the dry run and the run.

Three categories per centre: learners inactive past the period (their accounts are queued
for erasure, with the grace period), submitted notebooks past the period (the file goes, the
score stays), and access-log entries past the period (the counselling reads and the privacy
audit log).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.db.models import Max, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from hub_sites.models import Centre
from lms.accounts.models import STAFF_ROLES, Membership, Role

from . import selectors, services
from .models import AuditEvent, ErasureRequest

CATEGORIES = ("inactive_accounts", "submissions", "access_logs")


@dataclass
class RetentionPlan:
    centre: Centre
    inactive_accounts: list
    submissions: QuerySet
    access_logs: list[QuerySet]

    def counts(self) -> dict[str, int]:
        return {
            "inactive_accounts": len(self.inactive_accounts),
            "submissions": self.submissions.count(),
            "access_logs": sum(q.count() for q in self.access_logs),
        }


def _cutoff(days: int):
    return timezone.now() - timedelta(days=days) if days else None


def retention_plan(*, centre: Centre) -> RetentionPlan:
    """What the centre's retention periods would delete now (nothing is changed)."""
    policy = selectors.policy_for(centre=centre)
    Attempt = apps.get_model("assessments.Attempt")  # noqa: N806
    StaffAccessLog = apps.get_model("counselling.StaffAccessLog")  # noqa: N806

    inactive = []
    cutoff = _cutoff(policy.inactive_account_days)
    if cutoff:
        staff = Membership.objects.filter(role__in=STAFF_ROLES).values("user_id")
        pending = ErasureRequest.objects.filter(status=ErasureRequest.Status.PENDING).values(
            "user_id"
        )
        learners = (
            Membership.objects.filter(centre=centre, role=Role.LEARNER, user__is_active=True)
            .exclude(user_id__in=staff)
            .exclude(user_id__in=pending)
            .exclude(user__is_staff=True)
            .exclude(user__is_superuser=True)
            .annotate(
                seen=Greatest(
                    Coalesce("user__last_login", "user__date_joined"),
                    Coalesce(Max("user__enrolments__last_activity_at"), "user__date_joined"),
                )
            )
            .filter(seen__lt=cutoff)
            .select_related("user")
        )
        for membership in learners:
            # A learner of several centres goes only when every centre's period is over.
            others = Centre.objects.filter(memberships__user=membership.user).exclude(pk=centre.pk)
            periods = [selectors.policy_for(centre=c).inactive_account_days for c in others]
            if all(not days or membership.seen < _cutoff(days) for days in periods):
                inactive.append(membership.user)

    cutoff = _cutoff(policy.submission_days)
    submissions = (
        Attempt.objects.filter(assessment__centre=centre, submitted_at__lt=cutoff)
        .exclude(submission="")
        .order_by("pk")
        if cutoff
        else Attempt.objects.none()
    )
    cutoff = _cutoff(policy.access_log_days)
    logs = (
        [
            StaffAccessLog.objects.filter(centre=centre, at__lt=cutoff),
            AuditEvent.objects.filter(centre=centre, at__lt=cutoff),
        ]
        if cutoff
        else []
    )
    return RetentionPlan(centre, inactive, submissions, logs)


def retention_apply(*, centre: Centre) -> dict[str, int]:
    """Apply the centre's retention periods now; returns the counts per category."""
    plan = retention_plan(centre=centre)
    counts = plan.counts()
    for user in plan.inactive_accounts:
        services.erasure_request(user=user, requested_by=user)
    for attempt in plan.submissions:
        attempt.submission.delete(save=False)
        attempt.save(update_fields=["submission"])
    for queryset in plan.access_logs:
        queryset.delete()
    if any(counts.values()):
        services.audit_record(
            actor=None,
            action=AuditEvent.Action.RETENTION,
            centre=centre,
            what=", ".join(f"{k} {v}" for k, v in counts.items()),
        )
    return counts
