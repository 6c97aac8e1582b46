"""LTI 1.3 Advantage: platforms registered with a centre, Dasi's own keys, the people and
resource links launches bring."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ToolKey(models.Model):
    """An RSA key Dasi signs its LTI messages with (client assertions, deep-linking responses),
    one active key per centre. The private half is stored encrypted with the platform's
    key-encryption key; retired keys stay in the key set so messages they signed verify."""

    centre = models.ForeignKey("hub_sites.Centre", on_delete=models.PROTECT, related_name="+")
    kid = models.CharField(_("key id"), max_length=64, unique=True)
    public_pem = models.TextField(_("public key (PEM)"))
    private_key_encrypted = models.BinaryField(_("private key (encrypted)"), editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["centre", "-created_at"]
        verbose_name = _("LTI tool key")
        constraints = [
            models.UniqueConstraint(
                fields=["centre"], condition=Q(retired_at__isnull=True), name="one_active_lti_key"
            )
        ]

    def __str__(self) -> str:
        return self.kid


class Registration(models.Model):
    """A learning platform (Moodle, Canvas…) registered with one centre: its launches land on
    that centre's site, and only that centre's courses can be picked or launched."""

    centre = models.ForeignKey(
        "hub_sites.Centre", on_delete=models.PROTECT, related_name="lti_registrations"
    )
    name = models.CharField(_("platform name"), max_length=120)
    issuer = models.CharField(_("issuer"), max_length=255)
    client_id = models.CharField(_("client id"), max_length=255)
    deployment_ids = models.JSONField(
        _("deployment ids"), default=list, blank=True, help_text=_("One per line.")
    )
    auth_login_url = models.URLField(_("authentication request URL"), max_length=500)
    auth_token_url = models.URLField(_("access token URL"), max_length=500)
    auth_audience = models.CharField(_("access token audience"), max_length=500, blank=True)
    key_set_url = models.URLField(_("public key set URL"), max_length=500)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["centre", "name"]
        verbose_name = _("LTI platform registration")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "client_id"], name="lti_one_issuer_client")
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.centre}"


class Identity(models.Model):
    """A platform's user (issuer, sub) and the Dasi account they are. Never matched by e-mail."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    issuer = models.CharField(max_length=255)
    sub = models.CharField(max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lti_identities"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("LTI identity")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "sub"], name="lti_one_account_per_sub")
        ]

    def __str__(self) -> str:
        return f"{self.issuer} · {self.sub}"


class ItemKind(models.TextChoices):
    COURSE = "course", _("Course")
    LESSON = "lesson", _("Lesson")
    ASSESSMENT = "assessment", _("Quiz or notebook exercise")


class ResourceLink(models.Model):
    """A placement of a Dasi item in a platform's course, with the services its launches
    granted (the line item grades go to, the roster URL)."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="resource_links"
    )
    deployment_id = models.CharField(max_length=255)
    resource_link_id = models.CharField(max_length=255)
    context_id = models.CharField(max_length=255, blank=True)
    kind = models.CharField(max_length=12, choices=ItemKind.choices)
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    # The source course the item belongs to: grades and enrolments are kept against it.
    course = models.ForeignKey("courses.CoursePage", on_delete=models.CASCADE, related_name="+")
    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    lineitem_url = models.URLField(max_length=500, blank=True)
    ags_scopes = models.JSONField(default=list, blank=True)
    memberships_url = models.URLField(max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("LTI resource link")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "deployment_id", "resource_link_id"],
                name="lti_one_resource_link",
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration} · {self.resource_link_id}"


class GradeGrant(models.Model):
    """A learner launched a resource link whose line item takes Dasi's grade: the grade of that
    item is posted there, and again on every regrade. Records the last post."""

    resource_link = models.ForeignKey(ResourceLink, on_delete=models.CASCADE, related_name="grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sub = models.CharField(max_length=255)
    last_score = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    last_max = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    last_posted_at = models.DateTimeField(null=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("LTI grade grant")
        constraints = [
            models.UniqueConstraint(fields=["resource_link", "user"], name="lti_one_grant")
        ]

    def __str__(self) -> str:
        return f"{self.resource_link} · {self.user}"
