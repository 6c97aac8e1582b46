"""The one place that decides whether a learner's CV may be used for recommendations.

Every read or write of CV-derived skills goes through `cv_use_allowed`: reading a CV or
posting into suggestions (`services.cv_submit`), counting confirmed CV claims in the
profile (`selectors.learner_profile`) and showing them. When learners can withdraw consent
to CV-based recommendations, this function checks that consent; nothing else needs to change.
"""

from __future__ import annotations


def cv_use_allowed(*, user) -> bool:
    """True when `user`'s CV text may be read and its confirmed skills counted."""
    return bool(getattr(user, "is_authenticated", False))
