"""Receivers of Django's authentication signals."""

from __future__ import annotations

from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from lms.metrics import LOGIN_FAILURES


@receiver(user_login_failed, dispatch_uid="dasi-login-failures-metric")
def count_login_failure(sender, credentials=None, request=None, **kwargs) -> None:
    """One more failed sign-in on the dasi_login_failures metric (no user name kept)."""
    LOGIN_FAILURES.inc()
