"""Data-rights records: consents, data exports, erasure requests, retention and the audit log.

Consents are written once: a withdrawal is a new row, and the newest row per purpose is the
person's decision. The audit log names people only by key, never by name, so erasing a
learner leaves the entries about them as anonymous rows.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from lms.storage import private_storage


class Purpose(models.TextChoices):
    COURSE = "course", _("Processing needed to run your courses")
    COUNSELLING = "counselling", _("Sharing your record with the centre's counsellors")
    RECOMMENDATIONS = "recommendations", _("Using your profile and CV for recommendations")
    MARKETING = "marketing", _("News and offers from the centre")


#: Without this one Dasi cannot run a course for the person; it cannot be withdrawn while the
#: account exists (erasure is how it ends).
REQUIRED_PURPOSES = (Purpose.COURSE,)
OPTIONAL_PURPOSES = (Purpose.COUNSELLING, Purpose.RECOMMENDATIONS, Purpose.MARKETING)


class ConsentRecord(models.Model):
    """One decision of a person on one purpose, with the version and language of the text
    they were shown and where they gave it."""

    class Source(models.TextChoices):
        SIGNUP = "signup", _("Sign-up")
        ARRIVAL = "arrival", _("First sign-in (single sign-on or LTI)")
        ACCOUNT = "account", _("Privacy page")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents"
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    granted = models.BooleanField(_("granted"))
    text_version = models.CharField(_("text version"), max_length=20)
    language = models.CharField(_("language"), max_length=8)
    source = models.CharField(_("where"), max_length=10, choices=Source.choices)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["user", "purpose", "-at", "-pk"]
        indexes = [models.Index(fields=["user", "purpose", "at"])]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.purpose} · {'yes' if self.granted else 'no'}"


#: The longest period a centre may set (ten years): a longer one is a typo, not a policy.
MAX_RETENTION_DAYS = 3650
#: The shortest non-zero period per kind of record, and why.
MIN_RETENTION_DAYS = {
    # A learner on a break between programmes must not lose their account in weeks.
    "inactive_account_days": 90,
    # Grades can be disputed and regraded for a term at least.
    "submission_days": 90,
    # The access records of a personal-data system are kept at least a year (PIPA, 개인정보의
    # 안전성 확보조치 기준 art. 8).
    "access_log_days": 365,
}
#: The grace period before an erasure: at least a day to cancel, at most 90.
ERASURE_GRACE_RANGE = (1, 90)


class CentrePrivacyPolicy(models.Model):
    """A centre's retention periods and its policy on counselling notes in exports.

    A period of 0 days keeps that kind of record for as long as the account exists; any
    other lies between MIN_RETENTION_DAYS and MAX_RETENTION_DAYS (`clean`).
    """

    centre = models.OneToOneField(
        "hub_sites.Centre", on_delete=models.CASCADE, related_name="privacy_policy"
    )
    inactive_account_days = models.PositiveIntegerField(
        _("erase accounts inactive for (days)"), default=3 * 365
    )
    submission_days = models.PositiveIntegerField(
        _("delete submitted notebooks after (days)"), default=2 * 365
    )
    access_log_days = models.PositiveIntegerField(
        _("delete access-log entries after (days)"), default=3 * 365
    )
    erasure_grace_days = models.PositiveIntegerField(
        _("grace period before an erasure (days)"), default=14
    )
    notes_in_export = models.BooleanField(
        _("counselling notes in the learner's download"),
        default=True,
        help_text=_("When off, the download says how many notes exist and why they are left out."),
    )

    class Meta:
        verbose_name = _("centre privacy policy")
        verbose_name_plural = _("centre privacy policies")

    def __str__(self) -> str:
        return f"{self.centre_id}"

    def clean(self) -> None:
        errors = {}
        for name, least in MIN_RETENTION_DAYS.items():
            days = getattr(self, name)
            if days is None or days == 0:
                continue
            if days < least or days > MAX_RETENTION_DAYS:
                errors[name] = _(
                    "Enter 0 (keep as long as the account exists) or a number of days from "
                    "%(least)d to %(most)d."
                ) % {"least": least, "most": MAX_RETENTION_DAYS}
        low, high = ERASURE_GRACE_RANGE
        grace = self.erasure_grace_days
        if grace is not None and not low <= grace <= high:
            errors["erasure_grace_days"] = _(
                "Enter a number of days from %(least)d to %(most)d."
            ) % {"least": low, "most": high}
        if errors:
            raise ValidationError(errors)


class DataExport(models.Model):
    """One "download my data" archive, built by a queued job, downloadable until it expires."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    archive = models.FileField(
        _("archive"), upload_to="exports/", blank=True, storage=private_storage
    )
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    ready_at = models.DateTimeField(_("ready"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    downloaded_at = models.DateTimeField(_("downloaded"), null=True, blank=True)

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.requested_at:%Y-%m-%d %H:%M}"


class ErasureRequest(models.Model):
    """A request to erase a learner's account, carried out when its grace period ends."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the grace period")
        DONE = "done", _("Erased")
        CANCELLED = "cancelled", _("Cancelled")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="erasure_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    centre = models.ForeignKey(
        "hub_sites.Centre",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The centre whose admin asked; empty when the learner asked."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    due_at = models.DateTimeField(_("erase on"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    hub_result = models.CharField(_("notebook hub"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(status="pending"), name="one_pending_erasure"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.status}"


class AuditEvent(models.Model):
    """One action of staff (or of the system) on a learner's personal data."""

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        EXPORT = "export", _("Exported")
        EDIT = "edit", _("Edited")
        ERASE = "erase", _("Erased")
        ERASE_REQUEST = "erase_request", _("Erasure requested")
        ERASE_CANCEL = "erase_cancel", _("Erasure cancelled")
        RETENTION = "retention", _("Deleted by retention")
        DENIED = "denied", _("Refused access")

    centre = models.ForeignKey(
        "hub_sites.Centre",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="privacy_audit",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for the system (scheduled jobs)."),
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="privacy_audit_about",
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    what = models.CharField(_("what"), max_length=200, blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("privacy audit event")
        verbose_name_plural = _("privacy audit log")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["centre", "at"]), models.Index(fields=["learner", "at"])]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.action} {self.learner_id}"
