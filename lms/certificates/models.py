"""Certificates: signed Open Badges 3.0 credentials, their PDFs, and each centre's keys."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lms.storage import private_storage


class IssuerKey(models.Model):
    """An Ed25519 signing key of a centre. The private half is stored encrypted with the
    platform's key-encryption key; the public half is published. Retired keys stay published
    so certificates they signed keep verifying after a rotation."""

    centre = models.ForeignKey(
        "hub_sites.Centre", on_delete=models.PROTECT, related_name="issuer_keys"
    )
    kid = models.CharField(_("key id"), max_length=64, unique=True)
    public_key = models.BinaryField(_("public key"))
    private_key_encrypted = models.BinaryField(_("private key (encrypted)"), editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["centre", "-created_at"]
        verbose_name = _("issuer key")
        constraints = [
            models.UniqueConstraint(
                fields=["centre"], condition=Q(retired_at__isnull=True), name="one_active_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.centre} · {self.kid}"


class Certificate(models.Model):
    """One certificate of one learner for one course. Written once: a revoked certificate is
    kept, and a reissue is a new certificate pointing back at it."""

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        REVOKED = "revoked", _("Revoked")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(_("certificate number"), max_length=40, unique=True)
    status_index = models.PositiveIntegerField(_("status list index"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates"
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.PROTECT, related_name="certificates"
    )
    centre = models.ForeignKey(
        "hub_sites.Centre", on_delete=models.PROTECT, related_name="certificates"
    )
    enrolment = models.ForeignKey(
        "learning.Enrolment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    key = models.ForeignKey(IssuerKey, on_delete=models.PROTECT, related_name="certificates")
    language = models.CharField(_("language"), max_length=8)
    learner_name = models.CharField(_("name as printed"), max_length=200)
    course_title = models.CharField(_("course as printed"), max_length=255)
    hours = models.PositiveSmallIntegerField(_("hours"))
    skills = models.JSONField(_("skills"), default=list)
    issued_at = models.DateTimeField(_("issued"))
    credential_jwt = models.TextField(_("signed credential"))
    credential_sha256 = models.CharField(max_length=64)
    pdf = models.FileField(
        _("PDF"), upload_to="certificates/%Y/", blank=True, storage=private_storage
    )
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.VALID
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revocation_reason = models.CharField(_("reason for revocation"), max_length=500, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"],
                condition=Q(status="valid"),
                name="one_valid_certificate_per_course",
            ),
            models.UniqueConstraint(fields=["centre", "status_index"], name="status_index_once"),
        ]

    def __str__(self) -> str:
        return self.number


class CertificateBatch(models.Model):
    """A bulk issue for a cohort: which learners were asked for, so progress can be shown."""

    centre = models.ForeignKey("hub_sites.Centre", on_delete=models.PROTECT, related_name="+")
    course = models.ForeignKey("courses.CoursePage", on_delete=models.PROTECT, related_name="+")
    learner_ids = models.JSONField(default=list)
    require_completion = models.BooleanField(default=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    errors = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.course_id} × {len(self.learner_ids)}"


class StatusListCounter(models.Model):
    """The last revocation-list index a centre handed out (gaps are harmless)."""

    centre = models.OneToOneField(
        "hub_sites.Centre", on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    last_index = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.centre_id}: {self.last_index}"
