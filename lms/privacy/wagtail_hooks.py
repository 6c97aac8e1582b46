"""Privacy's answers to the hooks of lower layers."""

from __future__ import annotations

from wagtail import hooks

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
