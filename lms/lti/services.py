"""Writes for LTI: registrations, the accounts launches map to, resource links and the grade
grants they carry, rosters.

A launched person is found by the platform's (issuer, sub) only, never by e-mail: a new pair
is a new Dasi account, a learner of the registration's centre. Platform roles never give Dasi
staff rights; staff are made in Dasi's admin.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hub_sites.models import Centre
from lms.accounts.models import Language, Role, User
from lms.accounts.services import membership_create
from lms.learning.services import AlreadyEnrolled, enrolment_create

from .models import GradeGrant, Identity, Registration, ResourceLink
from .selectors import Item, source_course

logger = logging.getLogger("dasi.lti")

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
ROLES = CLAIM + "roles"
CUSTOM = CLAIM + "custom"
RESOURCE_LINK = CLAIM + "resource_link"
CONTEXT = CLAIM + "context"
DEPLOYMENT_ID = CLAIM + "deployment_id"
LAUNCH_PRESENTATION = CLAIM + "launch_presentation"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LEARNER_ROLES = (
    "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner",
    "Learner",
)
TEACHING_ROLES = (
    "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor",
    "http://purl.imsglobal.org/vocab/lis/v2/membership#ContentDeveloper",
    "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator",
    "http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator",
    "Instructor",
)


def _split(value: str) -> list[str]:
    return [line.strip() for line in value.replace(",", "\n").splitlines() if line.strip()]


@transaction.atomic
def registration_create(
    *,
    centre: Centre,
    name: str,
    issuer: str,
    client_id: str,
    deployment_ids: list[str] | str,
    auth_login_url: str,
    auth_token_url: str,
    key_set_url: str,
    auth_audience: str = "",
) -> Registration:
    """Register a platform with a centre. An (issuer, client id) pair belongs to one centre."""
    if isinstance(deployment_ids, str):
        deployment_ids = _split(deployment_ids)
    registration = Registration(
        centre=centre,
        name=name.strip(),
        issuer=issuer.strip(),
        client_id=client_id.strip(),
        deployment_ids=[str(d) for d in deployment_ids],
        auth_login_url=auth_login_url.strip(),
        auth_token_url=auth_token_url.strip(),
        auth_audience=auth_audience.strip(),
        key_set_url=key_set_url.strip(),
    )
    registration.full_clean()
    registration.save()
    logger.info("lti registration %s: %s for centre %s", registration.pk, issuer, centre.slug)
    return registration


def registration_update(*, registration: Registration, **fields) -> Registration:
    """Change a registration's platform values (its centre stays)."""
    if isinstance(fields.get("deployment_ids"), str):
        fields["deployment_ids"] = _split(fields["deployment_ids"])
    for name, value in fields.items():
        setattr(registration, name, value.strip() if isinstance(value, str) else value)
    registration.full_clean()
    registration.save()
    return registration


def deployment_add(*, registration: Registration, deployment_id: str) -> Registration:
    """Accept one more deployment of a registered platform (dynamic registration)."""
    if deployment_id and deployment_id not in registration.deployment_ids:
        registration.deployment_ids = [*registration.deployment_ids, deployment_id]
        registration.save(update_fields=["deployment_ids"])
    return registration


def language_of(claims: dict) -> str | None:
    """ko or en from the launch's locale claim (OIDC `locale`, or the presentation's)."""
    locale = claims.get("locale") or (claims.get(LAUNCH_PRESENTATION) or {}).get("locale") or ""
    code = str(locale).lower().replace("_", "-").split("-")[0]
    return code if code in Language.values else None


def _username(issuer: str, sub: str) -> str:
    return "lti-" + hashlib.sha256(f"{issuer}\0{sub}".encode()).hexdigest()[:20]


@transaction.atomic
def identity_user(
    *, registration: Registration, sub: str, name: str = "", language: str | None = None
) -> User:
    """The Dasi account of a platform's user, made on first sight: found by (issuer, sub),
    a learner of the registration's centre. The name and language follow the platform."""
    if not sub or len(sub) > 255:
        raise ValidationError(_("The launch names no user."), code="no_sub")
    identity = (
        Identity.objects.select_related("user").filter(issuer=registration.issuer, sub=sub).first()
    )
    if identity is None:
        user = User(username=_username(registration.issuer, sub), name=name[:150])
        user.preferred_language = language or Language.KOREAN
        user.set_unusable_password()
        user.full_clean()
        user.save()
        try:
            with transaction.atomic():
                identity = Identity.objects.create(
                    registration=registration, issuer=registration.issuer, sub=sub, user=user
                )
        except IntegrityError:  # a concurrent launch of the same person made it first
            user.delete()
            identity = Identity.objects.select_related("user").get(
                issuer=registration.issuer, sub=sub
            )
    user = identity.user
    changed = []
    if name and user.name != name[:150]:
        user.name = name[:150]
        changed.append("name")
    if language and user.preferred_language != language:
        user.preferred_language = language
        changed.append("preferred_language")
    if changed:
        user.save(update_fields=changed)
    membership_create(user=user, centre=registration.centre, role=Role.LEARNER)
    return user


def launch_enrol(*, user: User, item: Item, centre: Centre) -> None:
    """Enrol a launched learner in the item's course (once)."""
    with contextlib.suppress(AlreadyEnrolled):
        enrolment_create(user=user, course=item.course, centre=centre)


@transaction.atomic
def resource_link_record(
    *, registration: Registration, claims: dict, item: Item, user: User
) -> ResourceLink:
    """Keep the resource link a launch came through with the services it granted, and grant
    the learner's grade for it when the launch carries a line item with the score scope."""
    link_claim = claims.get(RESOURCE_LINK) or {}
    ags = claims.get(AGS) or {}
    nrps = claims.get(NRPS) or {}
    link, _created = ResourceLink.objects.update_or_create(
        registration=registration,
        deployment_id=str(claims.get(DEPLOYMENT_ID, "")),
        resource_link_id=str(link_claim.get("id", ""))[:255],
        defaults={
            "context_id": str((claims.get(CONTEXT) or {}).get("id", ""))[:255],
            "kind": item.kind,
            "page": item.page,
            "course": source_course(item.course),
            "assessment": item.assessment,
            "lineitem_url": str(ags.get("lineitem", ""))[:500],
            "ags_scopes": [str(s) for s in ags.get("scope", [])],
            "memberships_url": str(nrps.get("context_memberships_url", ""))[:500],
        },
    )
    link.full_clean()
    if item.gradable and link.lineitem_url and SCORE_SCOPE in link.ags_scopes:
        GradeGrant.objects.update_or_create(
            resource_link=link, user=user, defaults={"sub": claims["sub"]}
        )
    return link


def grade_grant_posted(
    *, grant: GradeGrant, score: Decimal | None, maximum: Decimal | None, error: str = ""
) -> GradeGrant:
    """Record the outcome of posting a grade to the platform."""
    grant.last_error = error[:500]
    if not error:
        grant.last_score, grant.last_max = score, maximum
        grant.last_posted_at = timezone.now()
    grant.save(update_fields=["last_score", "last_max", "last_posted_at", "last_error"])
    return grant


def roster_sync(*, registration: Registration, members: list[dict]) -> int:
    """Make each active learner of a platform's course roster a learner of the registration's
    centre (found or made by (issuer, sub), as a launch would). Returns how many."""
    count = 0
    for member in members:
        sub = str(member.get("user_id", ""))
        roles = member.get("roles") or []
        if not sub or member.get("status", "Active") != "Active":
            continue
        if not any(role in LEARNER_ROLES for role in roles):
            continue
        identity_user(registration=registration, sub=sub, name=str(member.get("name", "")))
        count += 1
    return count
