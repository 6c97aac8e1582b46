"""Queued certificate work: the automatic issue on completion and bulk issues."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from celery import shared_task

from lms.accounts.models import User
from lms.learning.models import Enrolment

from .models import Certificate, CertificateBatch
from .services import certificate_issue


@shared_task(name="certificates.issue_for_enrolment", acks_late=True)
def issue_for_enrolment(enrolment_id: int) -> str | None:
    """Issue the certificate of a completed enrolment (idempotent; safe to run again)."""
    enrolment = (
        Enrolment.objects.select_related("user", "course", "centre").filter(pk=enrolment_id).first()
    )
    if enrolment is None or enrolment.status != Enrolment.Status.COMPLETED:
        return None
    return str(
        certificate_issue(
            learner=enrolment.user, course=enrolment.course, centre=enrolment.centre
        ).pk
    )


@shared_task(
    name="certificates.issue_in_batch",
    acks_late=True,
    # A database that refused for a moment (a lock, a restart) is tried again, not dropped.
    autoretry_for=(DatabaseError,),
    retry_backoff=2,
    retry_backoff_max=60,
    max_retries=6,
)
def issue_in_batch(batch_id: int, learner_id: int) -> str | None:
    """Issue one certificate of a bulk issue; failures are recorded on the batch."""
    batch = CertificateBatch.objects.select_related("course", "centre", "requested_by").get(
        pk=batch_id
    )
    learner = User.objects.get(pk=learner_id)
    try:
        certificate = certificate_issue(
            learner=learner,
            course=batch.course,
            centre=batch.centre,
            user=batch.requested_by,
            require_completion=batch.require_completion,
        )
    except (ValidationError, PermissionDenied) as exc:
        message = " ".join(getattr(exc, "messages", [str(exc)]))
        # Read and write the batch's errors under its lock: two workers recording at once
        # must not overwrite each other's.
        with transaction.atomic():
            locked = CertificateBatch.objects.select_for_update().get(pk=batch.pk)
            locked.errors = {**locked.errors, str(learner_id): message}
            locked.save(update_fields=["errors"])
        return None
    return str(certificate.pk)


@shared_task(name="certificates.batches_resume")
def batches_resume(min_age_s: int = 300, max_age_days: int = 7) -> int:
    """Queue again each learner of a recent bulk issue who has neither a valid certificate nor
    a recorded failure: their message was lost (a broker restarted without its data, a publish
    refused while it was down). Issuing is idempotent, so a learner queued twice still gets
    one certificate. Returns how many were queued; beat runs it every few minutes."""
    now = timezone.now()
    batches = CertificateBatch.objects.filter(
        created_at__lte=now - timedelta(seconds=min_age_s),
        created_at__gte=now - timedelta(days=max_age_days),
    )
    queued = 0
    for batch in batches:
        issued = set(
            Certificate.objects.filter(
                course_id=batch.course_id,
                user_id__in=batch.learner_ids,
                status=Certificate.Status.VALID,
            ).values_list("user_id", flat=True)
        )
        for learner_id in batch.learner_ids:
            if learner_id not in issued and str(learner_id) not in batch.errors:
                issue_in_batch.delay(batch.pk, learner_id)
                queued += 1
    return queued


@shared_task(name="certificates.completions_resume")
def completions_resume(min_age_s: int = 900, max_age_days: int = 7) -> int:
    """Queue the automatic issue again for each recent completion without a valid certificate
    (its message was lost with the broker). Idempotent, like the issue itself."""
    now = timezone.now()
    missing = (
        Enrolment.objects.filter(
            status=Enrolment.Status.COMPLETED,
            completed_at__lte=now - timedelta(seconds=min_age_s),
            completed_at__gte=now - timedelta(days=max_age_days),
        )
        .exclude(
            Exists(
                Certificate.objects.filter(
                    user_id=OuterRef("user_id"),
                    course_id=OuterRef("course_id"),
                    status=Certificate.Status.VALID,
                )
            )
        )
        .values_list("pk", flat=True)
    )
    queued = 0
    for enrolment_id in missing:
        issue_for_enrolment.delay(enrolment_id)
        queued += 1
    return queued
