"""Reads of the learning records: where a centre's statements go, what is due, what failed."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from assessments.models import Assessment
from assessments.selectors import course_grade_for, course_policy
from hub_sites.models import Centre
from lms.learning.models import Enrolment

from .credentials import decrypt
from .models import LrsEndpoint, OutboxStatement


@dataclass(frozen=True)
class Store:
    """Where to send: the statements resource of an LRS and its credentials."""

    key: str  # groups statements that go to the same store
    url: str
    username: str
    password: str = field(repr=False)
    enabled: bool = True

    @property
    def statements_url(self) -> str:
        return self.url.rstrip("/") + "/statements"


def _settings_store() -> Store | None:
    url = getattr(settings, "DASI_XAPI_LRS_URL", "")
    if not url:
        return None
    return Store(
        key="settings",
        url=url,
        username=settings.DASI_XAPI_LRS_USERNAME,
        password=settings.DASI_XAPI_LRS_PASSWORD,
    )


def _endpoint_store(endpoint: LrsEndpoint) -> Store:
    return Store(
        key=f"endpoint:{endpoint.pk}",
        url=endpoint.url,
        username=endpoint.username,
        password=decrypt(endpoint.password_encrypted),
        enabled=endpoint.enabled,
    )


def store_for(*, centre_id: int) -> Store | None:
    """The store of a centre: its own, else the platform's (admin, then settings), else none."""
    endpoints = {
        e.centre_id: e
        for e in LrsEndpoint.objects.filter(Q(centre_id=centre_id) | Q(centre__isnull=True))
    }
    endpoint = endpoints.get(centre_id) or endpoints.get(None)
    if endpoint is not None:
        return _endpoint_store(endpoint)
    return _settings_store()


def records_for(*, centre: Centre) -> bool:
    """Whether statements of the centre are kept: a store is configured for it."""
    return store_for(centre_id=centre.pk) is not None


def due_statements(*, now=None) -> QuerySet[OutboxStatement]:
    """Statements waiting whose next try is due, oldest first."""
    return OutboxStatement.objects.filter(
        status=OutboxStatement.Status.PENDING, next_attempt_at__lte=now or timezone.now()
    ).order_by("next_attempt_at", "created_at")


def next_due_at():
    """When the next waiting statement is due (None when nothing waits)."""
    first = (
        OutboxStatement.objects.filter(status=OutboxStatement.Status.PENDING)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    return first


def enrolment_of(*, user_id: int, course_id: int) -> Enrolment | None:
    return (
        Enrolment.objects.select_related("centre__site", "course", "user")
        .filter(user_id=user_id, course_id=course_id)
        .first()
    )


def course_failed(*, enrolment: Enrolment) -> bool:
    """Whether an enrolment can no longer complete: a required assessment has used all its
    attempts without passing, or every assessment is used up and the course grade is under
    the pass mark. Courses without graded assessments never fail."""
    if enrolment.status == Enrolment.Status.COMPLETED:
        return False
    policy = course_policy(enrolment.course)
    if not policy:
        return False
    grade = course_grade_for(user_id=enrolment.user_id, course=enrolment.course)
    exhausted = {}
    for item in policy:
        cell = grade.cells.get(item.assessment_id)
        limit = item.assessment.max_attempts
        exhausted[item.assessment_id] = bool(
            cell and limit and cell.attempts >= limit and cell.state == "graded"
        )
        if item.required and exhausted[item.assessment_id] and not cell.passed:
            return True
    return all(exhausted.values()) and grade.percent < enrolment.course.pass_mark


def pass_mark_of(*, assessment: Assessment, course) -> int:
    """The pass mark an assessment has in a course (the course's own, else the assessment's)."""
    for item in course_policy(course):
        if item.assessment_id == assessment.pk:
            return item.effective_pass_mark
    return assessment.pass_mark


def outbox_counts(*, centre: Centre | None) -> dict[str, int]:
    """Statements waiting, sent and rejected, of one centre (None: of every centre)."""
    rows = OutboxStatement.objects.all()
    if centre is not None:
        rows = rows.filter(centre=centre)
    counts = dict(rows.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {status: counts.get(status, 0) for status in OutboxStatement.Status.values}
