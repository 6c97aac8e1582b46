"""Sign-in protection: who is signing in from where, the lockout page, failed-sign-in counts.

django-axes calls the first three (settings AXES_*_CALLABLE) on every sign-in through
Django's ``authenticate``: allauth's login form, the Wagtail admin's (redirected to
allauth's) and anything else that authenticates with a password. See docs/security.md.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from axes.backends import AxesBackend
from axes.models import AccessFailureLog

from .models import User


def client_ip(request: HttpRequest) -> str:
    """The address a request came from: the connection's, or with DASI_PROXY_HOPS trusted
    proxies in front, the address that many entries from the right of X-Forwarded-For (the
    left part is whatever the client wrote, so it is never trusted)."""
    hops = getattr(settings, "DASI_PROXY_HOPS", 0)
    remote = request.META.get("REMOTE_ADDR", "") or "0.0.0.0"  # noqa: S104 — a key, not a bind
    if hops <= 0:
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [part for part in chain if part]
    return chain[-hops] if len(chain) >= hops else remote


def attempted_username(request: HttpRequest, credentials: dict | None) -> str:
    """The account a sign-in tried, one name per account: an e-mail address counts as the
    username it belongs to, and case does not matter (usernames are stored in lower case)."""
    credentials = credentials or {}
    data = getattr(request, "POST", {}) if request is not None else {}
    value = (
        credentials.get("username")
        or credentials.get("email")
        or data.get("login")
        or data.get("username")
        or ""
    )
    value = str(value).strip().lower()
    if "@" in value:
        username = (
            User.objects.filter(email__iexact=value).values_list("username", flat=True).first()
        )
        if username:
            return username.lower()
    return value[:150]


def cooloff_minutes() -> int:
    return max(1, math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60))


def lockout_message() -> str:
    minutes = cooloff_minutes()
    return ngettext(
        "Too many failed sign-ins for this account from your address. Try again in %(minutes)d "
        "minute, or reset your password.",
        "Too many failed sign-ins for this account from your address. Try again in %(minutes)d "
        "minutes, or reset your password.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(
    request: HttpRequest, original_response=None, credentials: dict | None = None
) -> HttpResponse:
    """The answer to a locked-out sign-in: 429 with the reason and when to try again, and a
    Retry-After header; JSON for scripts."""
    message = lockout_message()
    retry_after = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    if request.headers.get("Accept", "").startswith("application/json"):
        response = JsonResponse({"error": message}, status=429)
    else:
        response = render(
            request,
            "accounts/locked_out.html",
            {"message": message, "title": _("Sign-in paused")},
            status=429,
        )
    response["Retry-After"] = retry_after
    return response


def failed_sign_ins(*, since: datetime | None = None, username: str | None = None) -> int:
    """How many sign-ins failed (every web process writes them to the database), for metrics.
    Listeners that want each failure as it happens connect to Django's ``user_login_failed``
    and to ``axes.signals.user_locked_out``."""
    qs = AccessFailureLog.objects.all()
    if since is not None:
        qs = qs.filter(attempt_time__gte=since)
    if username is not None:
        qs = qs.filter(username=username.lower())
    return qs.count()


def failed_sign_ins_last(minutes: int = 60) -> int:
    return failed_sign_ins(since=timezone.now() - timedelta(minutes=minutes))


class LockoutBackend(AxesBackend):
    """django-axes' backend, which refuses a locked-out sign-in before any password is
    checked. A call of ``authenticate`` without an HTTP request (Django's test client,
    a script) has no address to count against and is left to the next backend; every sign-in
    page passes its request."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
