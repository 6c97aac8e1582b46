"""Issuing, revoking and reissuing certificates.

`CertificateIssueAction` is the one way a certificate comes to exist: it checks, signs the
Open Badges credential with the centre's key, renders the PDF with the credential inside, and
stores all of it once. Revocation never deletes; reissue creates a new certificate.
"""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from courses.models import CoursePage
from courses.selectors import page_in_site
from hub_sites.models import Centre, CentreSettings
from lms.accounts.models import Role
from lms.accounts.selectors import centres_where
from lms.learning.models import Enrolment
from lms.metrics import CERTIFICATE_ISSUE_DURATION, timed

from . import credential as vc
from .keys import active_key, private_key
from .models import Certificate, StatusListCounter
from .render import render_pdf
from .signals import certificate_issued


def centre_base_url(centre: Centre) -> str:
    return centre.site.root_url.rstrip("/")


def certificate_urls(certificate_id, centre: Centre) -> dict[str, str]:
    base = centre_base_url(centre)
    return {
        "verify": base + reverse("certificates:verify", args=[certificate_id]),
        "credential": base + reverse("certificates:credential", args=[certificate_id]),
        "issuer": base + reverse("certificates:issuer", args=[centre.slug]),
        "status": base + reverse("certificates:status_list", args=[centre.slug]),
    }


def key_url(centre: Centre, kid: str) -> str:
    return centre_base_url(centre) + reverse("certificates:key", args=[centre.slug, kid])


def _course_in_language(course: CoursePage, language: str) -> CoursePage:
    translated = CoursePage.objects.filter(
        translation_key=course.translation_key,
        locale__language_code=language,
        alias_of__isnull=True,
    ).first()
    return translated or course


# Tries at storing a certificate whose random number (or id) another one drew meanwhile.
ISSUE_ATTEMPTS = 5


def _number(centre: Centre, issued_at) -> str:
    from django.conf import settings

    return (
        f"{settings.DASI_CERTIFICATE_PREFIX}-{centre.slug[:3].upper()}-{issued_at:%Y}-"
        f"{secrets.token_hex(5).upper()}"
    )


class CertificateIssueAction:
    """Issue one certificate of a course to a learner (idempotent: an existing valid
    certificate is returned). `require_completion` is False when a centre admin issues by
    hand; `user` is who issues (None for the automatic issue on completion)."""

    def __init__(
        self,
        *,
        learner,
        course: CoursePage,
        centre: Centre | None = None,
        user=None,
        require_completion: bool = True,
        replaces: Certificate | None = None,
    ):
        self.learner = learner
        self.course = course
        self.centre = centre
        self.user = user
        self.require_completion = require_completion
        self.replaces = replaces

    def check(self) -> Enrolment | None:
        if (
            self.course.alias_of_id
            or self.course.locale.language_code != "ko"
            and (
                CoursePage.objects.filter(
                    translation_key=self.course.translation_key, locale__language_code="ko"
                ).exists()
            )
        ):
            raise ValidationError(_("Issue certificates for the source course."))
        enrolment = Enrolment.objects.filter(user=self.learner, course=self.course).first()
        if self.centre is None:
            if enrolment is None:
                raise ValidationError(_("The learner is not enrolled in this course."))
            self.centre = enrolment.centre
        elif not page_in_site(page=self.course, root=self.centre.site.root_page) and not (
            CoursePage.objects.filter(alias_of=self.course)
            .descendant_of(self.centre.site.root_page)
            .exists()
        ):
            raise ValidationError(_("This centre does not offer that course."))
        if self.user is not None and not self.user.is_superuser:
            admin_of = centres_where(user=self.user, roles=[Role.CENTRE_ADMIN])
            if not admin_of.filter(pk=self.centre.pk).exists():
                raise PermissionDenied(_("Only the centre's admins issue its certificates."))
        if self.require_completion and (
            enrolment is None or enrolment.status != Enrolment.Status.COMPLETED
        ):
            raise ValidationError(_("The learner has not completed this course."))
        return enrolment

    def execute(self) -> Certificate:
        enrolment = self.check()
        existing = Certificate.objects.filter(
            user=self.learner, course=self.course, status=Certificate.Status.VALID
        ).first()
        if existing is not None:
            return existing
        # Sign and render outside any lock, then store in one short transaction: parallel
        # workers only meet at the index counter and the final insert. An insert refused
        # because the learner's certificate was issued meanwhile (another worker, a double
        # click) returns that one; refused for any other unique value (a random number that
        # another certificate drew) it is prepared again with new ones, never dropped.
        for _attempt in range(ISSUE_ATTEMPTS):
            certificate, pdf = self._prepare(enrolment)
            certificate.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
            try:
                with transaction.atomic():
                    certificate.pdf.save(f"{certificate.number}.pdf", ContentFile(pdf), save=False)
                    certificate.save()
                    certificate_issued.send(sender=Certificate, certificate=certificate)
            except IntegrityError:
                if certificate.pdf:
                    certificate.pdf.delete(save=False)
                issued = Certificate.objects.filter(
                    user=self.learner, course=self.course, status=Certificate.Status.VALID
                ).first()
                if issued is not None:
                    return issued
                continue
            return certificate
        raise IntegrityError(f"no free certificate number after {ISSUE_ATTEMPTS} tries")

    def _prepare(self, enrolment: Enrolment | None) -> tuple[Certificate, bytes]:
        centre = Centre.objects.select_related("site").get(pk=self.centre.pk)
        settings_ = CentreSettings.for_site(centre.site)
        key = active_key(centre=centre)
        language = self.learner.preferred_language or "ko"
        shown = _course_in_language(self.course, language)
        issued_at = timezone.now().replace(microsecond=0)
        index = next_status_index(centre)
        certificate = Certificate(
            number=_number(centre, issued_at),
            status_index=index,
            user=self.learner,
            course=self.course,
            centre=centre,
            enrolment=enrolment,
            key=key,
            language=language,
            learner_name=self.learner.display_name,
            course_title=shown.title,
            hours=self.course.estimated_hours,
            issued_at=issued_at,
            issued_by=self.user,
            replaces=self.replaces,
        )
        with override(language):
            certificate.skills = [
                {"uri": o.skill.esco_uri, "label": o.skill.label, "level": o.level}
                for o in self.course.skill_outcomes.select_related("skill")
            ]
            issuer_name = settings_.certificate_issuer_name or settings_.name
            centre_name = settings_.name
        urls = certificate_urls(certificate.id, centre)
        document = vc.build_credential(
            vc.CredentialInput(
                credential_url=urls["credential"],
                issuer_url=urls["issuer"],
                issuer_name=issuer_name,
                achievement_url=shown.get_full_url() or urls["issuer"],
                course_title=certificate.course_title,
                course_description=shown.summary,
                criteria=_("Completed every required lesson and passed the course's assessments."),
                hours=certificate.hours,
                skills=certificate.skills,
                learner_name=certificate.learner_name,
                email=self.learner.email,
                salt=secrets.token_hex(8),
                issued_at=issued_at,
                status_list_url=urls["status"],
                status_index=index,
                certificate_number=certificate.number,
                language=language,
            )
        )
        token = vc.sign(document, private_key=private_key(key), kid_url=key_url(centre, key.kid))
        certificate.credential_jwt = token
        certificate.credential_sha256 = vc.token_sha256(token)
        # Field checks only: the related rows were just read, and the constraints are the
        # database's to enforce at insert (one valid certificate per learner and course).
        certificate.full_clean(
            exclude=[
                "pdf",
                "user",
                "course",
                "centre",
                "enrolment",
                "key",
                "issued_by",
                "revoked_by",
                "replaces",
            ],
            validate_unique=False,
            validate_constraints=False,
        )
        pdf = render_pdf(
            context={
                "number": certificate.number,
                "learner_name": certificate.learner_name,
                "course_title": certificate.course_title,
                "hours": certificate.hours,
                "skills": certificate.skills,
                "centre_name": centre_name,
                "issuer_name": issuer_name,
                "issued_on": issued_at.date().isoformat(),
                "verify_url": urls["verify"],
                "primary": settings_.primary_colour,
                "accent": settings_.accent_colour,
            },
            language=language,
            token=token,
            credential=document,
        )
        return certificate, pdf


def next_status_index(centre: Centre) -> int:
    """Hand out the centre's next revocation-list index (a short transaction of its own)."""
    with transaction.atomic():
        counter, _created = StatusListCounter.objects.select_for_update().get_or_create(
            centre=centre
        )
        StatusListCounter.objects.filter(pk=counter.pk).update(last_index=F("last_index") + 1)
        return StatusListCounter.objects.values_list("last_index", flat=True).get(pk=counter.pk)


def certificate_issue(*, learner, course: CoursePage, **kwargs) -> Certificate:
    """Issue (or return) a learner's certificate for a course; see CertificateIssueAction."""
    with timed(CERTIFICATE_ISSUE_DURATION, outcome="issued"):
        return CertificateIssueAction(learner=learner, course=course, **kwargs).execute()


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, user, reason: str) -> Certificate:
    """Revoke a certificate with a reason (centre admins of its centre only). Kept, never
    deleted; the centre's status list and every verification show it from now on."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason for revoking the certificate."))
    admin_of = centres_where(user=user, roles=[Role.CENTRE_ADMIN])
    if not user.is_superuser and not admin_of.filter(pk=certificate.centre_id).exists():
        raise PermissionDenied(_("Only the centre's admins revoke its certificates."))
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.status == Certificate.Status.REVOKED:
        raise ValidationError(_("This certificate is revoked already."))
    certificate.status = Certificate.Status.REVOKED
    certificate.revoked_at = timezone.now()
    certificate.revocation_reason = reason[:500]
    certificate.revoked_by = user
    certificate.save(update_fields=["status", "revoked_at", "revocation_reason", "revoked_by"])
    return certificate


def certificate_reissue(*, certificate: Certificate, user) -> Certificate:
    """Issue a new certificate in place of a revoked one (the old record stays)."""
    certificate = Certificate.objects.select_related("user", "course", "centre").get(
        pk=certificate.pk
    )
    if certificate.status != Certificate.Status.REVOKED:
        raise ValidationError(_("Only a revoked certificate can be reissued."))
    return CertificateIssueAction(
        learner=certificate.user,
        course=certificate.course,
        centre=certificate.centre,
        user=user,
        require_completion=False,
        replaces=certificate,
    ).execute()
