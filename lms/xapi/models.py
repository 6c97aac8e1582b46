"""xAPI learning records: where each centre's statements go, and the outbox they wait in.

A statement is written to the outbox in the same transaction as the event it records, and a
queued task sends it to the Learning Record Store (LRS). Its id is derived from the event, so
sending it again (after a crash, a timeout, a retry) cannot make a second record: the LRS
keeps one statement per id.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class LrsEndpoint(models.Model):
    """A Learning Record Store that receives statements: one centre's, or the platform's
    (no centre) for centres without their own. The password is stored encrypted with the
    platform's key-encryption key and never shown again."""

    centre = models.OneToOneField(
        "hub_sites.Centre",
        verbose_name=_("centre"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="lrs_endpoint",
        help_text=_("Leave empty for the platform-wide store used by centres without one."),
    )
    url = models.URLField(
        _("statements endpoint"),
        help_text=_("The LRS's xAPI base, e.g. https://lrs.example.org/xAPI/"),
    )
    username = models.CharField(_("key (user name)"), max_length=200)
    password_encrypted = models.BinaryField(_("secret (encrypted)"), editable=False)
    enabled = models.BooleanField(_("send statements"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("learning record store")
        verbose_name_plural = _("learning record stores")
        constraints = [
            models.UniqueConstraint(
                fields=["enabled"], condition=Q(centre__isnull=True), name="one_platform_lrs"
            )
        ]

    def __str__(self) -> str:
        return f"{self.centre or _('platform')} → {self.url}"


class LearnerAlias(models.Model):
    """The opaque name a learner has in one centre's learning records: random, stable, and
    not derived from the account or e-mail, so the store can link a learner's statements
    without learning who they are (nor link them across centres)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    centre = models.ForeignKey("hub_sites.Centre", on_delete=models.CASCADE, related_name="+")
    alias = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "centre"], name="one_alias_per_centre")
        ]

    def __str__(self) -> str:
        return str(self.alias)


class OutboxStatement(models.Model):
    """One xAPI statement waiting to be sent, or sent. The body is frozen when the event
    happens, so every send of it is the same statement."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENT = "sent", _("Sent")
        REJECTED = "rejected", _("Rejected by the store")

    id = models.UUIDField(primary_key=True, editable=False)
    centre = models.ForeignKey(
        "hub_sites.Centre", on_delete=models.CASCADE, related_name="xapi_statements"
    )
    verb = models.CharField(max_length=200)
    body = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("xAPI statement")
        verbose_name_plural = _("xAPI statements")
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(status="pending"), name="xapi_due")
        ]

    def __str__(self) -> str:
        return f"{self.verb} {self.id}"
