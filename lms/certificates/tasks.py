"""Queued certificate work: the automatic issue on completion and bulk issues."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from celery import shared_task

from lms.accounts.models import User
from lms.learning.models import Enrolment

from .models import CertificateBatch
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


@shared_task(name="certificates.issue_in_batch", acks_late=True)
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
        CertificateBatch.objects.filter(pk=batch.pk).update(
            errors={**batch.errors, str(learner_id): message}
        )
        return None
    return str(certificate.pk)
