"""People and the roles they hold in centres."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    KOREAN = "ko", "한국어"
    ENGLISH = "en", "English"


class User(AbstractUser):
    """A person using Dasi: learner, instructor, counsellor or centre admin (via Membership)."""

    name = models.CharField(
        _("full name"),
        max_length=150,
        blank=True,
        help_text=_("Your name as it should appear on certificates."),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=Language.choices, default=Language.KOREAN
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or self.get_full_name() or self.username


class Role(models.TextChoices):
    LEARNER = "learner", _("Learner")
    INSTRUCTOR = "instructor", _("Instructor")
    COUNSELLOR = "counsellor", _("Counsellor")
    CENTRE_ADMIN = "centre_admin", _("Centre admin")


STAFF_ROLES = (Role.INSTRUCTOR, Role.COUNSELLOR, Role.CENTRE_ADMIN)


class Membership(models.Model):
    """A role a user holds in one centre; a person may hold several roles in several centres."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    centre = models.ForeignKey(
        "hub_sites.Centre",
        verbose_name=_("centre"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["centre", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "centre", "role"], name="membership_unique_role_per_centre"
            )
        ]
        indexes = [models.Index(fields=["centre", "role"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.centre}"
