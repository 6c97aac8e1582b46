"""The one place that decides whether a learner's CV may be used for recommendations.

Every read or write of CV-derived skills goes through `cv_use_allowed`: reading a CV or
posting into suggestions (`services.cv_submit`), counting confirmed CV claims in the
profile (`selectors.learner_profile`) and showing them. The learner's consent lives in a
higher layer (lms/privacy), which registers its check to the `skills_cv_use_allowed` hook.
"""

from __future__ import annotations

from wagtail import hooks


def cv_use_allowed(*, user) -> bool:
    """True when `user`'s CV text may be read and its confirmed skills counted: a signed-in
    learner none of whose consents (the hook's checks) forbids it."""
    if not getattr(user, "is_authenticated", False):
        return False
    return all(check(user=user) for check in hooks.get_hooks("skills_cv_use_allowed"))
