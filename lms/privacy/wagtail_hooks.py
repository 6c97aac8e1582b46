"""Privacy's answers to the hooks of lower layers and its pages in the Wagtail admin."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from lms.accounts.menu import CentreAdminMenuItem

from . import views
from .models import Purpose
from .selectors import consent_withdrawn, consent_withdrawn_users


@hooks.register("skills_cv_use_allowed")
def cv_use_allowed_by_consent(*, user) -> bool:
    """A learner who withdrew consent to CV-based recommendations: their CV is not read and
    its confirmed skills count nowhere (docs/privacy.md)."""
    return not consent_withdrawn(user=user, purpose=Purpose.RECOMMENDATIONS)


@hooks.register("counselling_sharing_withdrawn")
def learners_who_withdrew_counselling():
    """Learners who withdrew sharing their record with the centre's counsellors: counsellors
    see them in no list and open none of their pages (lms/counselling/sharing.py)."""
    return consent_withdrawn_users(purpose=Purpose.COUNSELLING)


@hooks.register("register_admin_urls")
def register_retention_urls():
    return [
        path("privacy/retention/", views.retention_index, name="privacy_retention"),
        path(
            "privacy/retention/<slug:slug>/",
            views.retention_edit,
            name="privacy_retention_edit",
        ),
    ]


@hooks.register("register_settings_menu_item")
def register_retention_menu_item():
    return CentreAdminMenuItem(
        _("Retention periods"), reverse("privacy_retention"), icon_name="time", order=910
    )
