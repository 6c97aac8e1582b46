"""Queued LTI work: grades posted to platforms' line items, rosters read from them.

Network failures and a platform's 5xx are retried with backoff; a 4xx (the platform refuses
the score, e.g. a line item it did not grant) is recorded on the grant and logged, not retried.
"""

from __future__ import annotations

import logging

from django.utils import timezone

import requests
from celery import shared_task
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.exception import LtiException, LtiServiceException
from pylti1p3.grade import Grade
from pylti1p3.names_roles import NamesRolesProvisioningService
from pylti1p3.service_connector import ServiceConnector

from .models import GradeGrant, ResourceLink
from .selectors import item_grade
from .services import SCORE_SCOPE, grade_grant_posted, roster_sync
from .tool import pylti_registration

logger = logging.getLogger("dasi.lti")

REQUEST_TIMEOUT_SECONDS = 10
MAX_RETRIES = 6
# How a failed post is recorded: a platform that stayed unreachable through every retry is
# tried again by the hourly `lti.retry_unreachable_grades`; a refusal is not.
UNREACHABLE = "unreachable"
REFUSED = "refused"


class _Session(requests.Session):
    """A requests session that never waits on a platform for ever."""

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", REQUEST_TIMEOUT_SECONDS)
        return super().request(*args, **kwargs)


def _connector(link: ResourceLink) -> ServiceConnector:
    return ServiceConnector(pylti_registration(link.registration), requests_session=_Session())


def _retryable(exc: Exception) -> bool:
    if isinstance(exc, LtiServiceException):
        return exc.response.status_code >= 500 or exc.response.status_code == 429
    return isinstance(exc, requests.RequestException)


@shared_task(bind=True, name="lti.post_grade", acks_late=True, max_retries=MAX_RETRIES)
def post_grade(self, grant_id: int) -> str:
    """Post the learner's current grade for a granted item to the platform's line item."""
    grant = (
        GradeGrant.objects.select_related(
            "resource_link__registration__centre", "resource_link__course"
        )
        .filter(pk=grant_id)
        .first()
    )
    if grant is None or not grant.resource_link.registration.active:
        return "gone"
    link = grant.resource_link
    grade = item_grade(grant=grant)
    if grade is None:
        return "no grade"
    score, maximum = grade
    value = (
        Grade()
        .set_score_given(float(score))
        .set_score_maximum(float(maximum) or 1.0)
        .set_user_id(grant.sub)
        .set_timestamp(timezone.now().isoformat())
        .set_activity_progress("Completed")
        .set_grading_progress("FullyGraded")
    )
    service = AssignmentsGradesService(
        _connector(link), {"scope": link.ags_scopes, "lineitem": link.lineitem_url}
    )
    try:
        if SCORE_SCOPE not in link.ags_scopes:
            raise LtiException("the launch did not grant the score scope")
        service.put_grade(value)
    except (LtiException, requests.RequestException) as exc:
        if _retryable(exc) and self.request.retries < MAX_RETRIES:
            logger.warning("lti grade %s: %s; retrying", grant.pk, exc)
            raise self.retry(exc=exc, countdown=2 ** (self.request.retries + 1)) from exc
        kind = UNREACHABLE if _retryable(exc) else REFUSED
        logger.error("lti grade %s %s: %s", grant.pk, kind, exc)
        grade_grant_posted(grant=grant, score=None, maximum=None, error=f"{kind}: {exc}")
        return kind
    grade_grant_posted(grant=grant, score=score, maximum=maximum)
    logger.info("lti grade %s posted: %s/%s", grant.pk, score, maximum)
    return "posted"


@shared_task(bind=True, name="lti.sync_roster", acks_late=True, max_retries=MAX_RETRIES)
def sync_roster(self, link_id: int) -> int:
    """Read a platform course's roster and make its learners learners of the centre."""
    link = ResourceLink.objects.select_related("registration__centre").filter(pk=link_id).first()
    if link is None or not link.memberships_url:
        return 0
    service = NamesRolesProvisioningService(
        _connector(link), {"context_memberships_url": link.memberships_url}
    )
    try:
        members = service.get_members()
    except (LtiException, requests.RequestException) as exc:
        if _retryable(exc) and self.request.retries < MAX_RETRIES:
            raise self.retry(exc=exc, countdown=2 ** (self.request.retries + 1)) from exc
        logger.error("lti roster of link %s refused: %s", link.pk, exc)
        return 0
    return roster_sync(registration=link.registration, members=members)


@shared_task(name="lti.retry_unreachable_grades", acks_late=True)
def retry_unreachable_grades() -> int:
    """Queue again every grade whose platform stayed unreachable through all retries."""
    ids = list(
        GradeGrant.objects.filter(last_error__startswith=UNREACHABLE).values_list("pk", flat=True)
    )
    for grant_id in ids:
        post_grade.delay(grant_id)
    return len(ids)
