"""Staff sign-ins: a shorter session, and multi-factor authentication where a role needs it.

Both run after Django's AuthenticationMiddleware and allauth's AccountMiddleware and act
only on signed-in people who hold a staff role (or are superusers). See docs/security.md.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from allauth.mfa.models import Authenticator

from .models import STAFF_ROLES, Membership
from .selectors import holds_role, user_roles

SESSION_STARTED = "dasi_staff_session_started"
SESSION_SEEN = "dasi_staff_session_seen"
# Writing the last-seen time on every request would save the session each time; a minute's
# precision is enough for a 30-minute idle limit.
SEEN_PRECISION = 60


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("Accept", "").startswith("application/json")


def mfa_required(user) -> bool:
    """Whether this person must use a second factor: superusers and the roles listed in
    DASI_MFA_REQUIRED_ROLES (centre admins by default)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    required = set(getattr(settings, "DASI_MFA_REQUIRED_ROLES", ()))
    return bool(required & user_roles(user))


def mfa_enrolled(user) -> bool:
    """Whether the user has an authenticator app (TOTP) set up."""
    cached = getattr(user, "_dasi_mfa_enrolled", None)
    if cached is None:
        cached = user._dasi_mfa_enrolled = Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).exists()
    return cached


@receiver(user_logged_in)
def staff_session_start(sender, request, user, **kwargs):
    """Stamp a staff session when it begins, so the limits count from the sign-in itself."""
    session = getattr(request, "session", None)
    # Read afresh, not through the per-request role cache kept on the user object.
    staff = user.is_superuser or Membership.objects.filter(user=user, role__in=STAFF_ROLES).exists()
    if session is not None and staff:
        session[SESSION_STARTED] = session[SESSION_SEEN] = int(time.time())
        session.set_expiry(settings.DASI_STAFF_SESSION_IDLE_MINUTES * 60)


class StaffSessionMiddleware:
    """Ends a staff session after DASI_STAFF_SESSION_IDLE_MINUTES without a request, and
    DASI_STAFF_SESSION_MAX_HOURS after it began, whatever happened in between. Learners keep
    Django's SESSION_COOKIE_AGE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and holds_role(user=user, roles=STAFF_ROLES):
            expired = self._expired(request)
            if expired:
                return expired
        return self.get_response(request)

    def _expired(self, request: HttpRequest) -> HttpResponse | None:
        now = int(time.time())
        session = request.session
        idle = settings.DASI_STAFF_SESSION_IDLE_MINUTES * 60
        longest = settings.DASI_STAFF_SESSION_MAX_HOURS * 60 * 60
        started = session.get(SESSION_STARTED)
        seen = session.get(SESSION_SEEN)
        if started is None or seen is None:
            session[SESSION_STARTED] = session[SESSION_SEEN] = now
            session.set_expiry(idle)
            return None
        if now - seen > idle or now - started > longest:
            message = (
                _("You were signed out after %(minutes)d minutes without activity.")
                % {"minutes": settings.DASI_STAFF_SESSION_IDLE_MINUTES}
                if now - seen > idle
                else _("Staff sessions last at most %(hours)d hours. Please sign in again.")
                % {"hours": settings.DASI_STAFF_SESSION_MAX_HOURS}
            )
            logout(request)
            if _wants_json(request):
                return JsonResponse({"error": message}, status=401)
            messages.info(request, message)
            return redirect_to_login(
                request.get_full_path() if request.method == "GET" else "/",
                reverse("account_login"),
            )
        if now - seen >= SEEN_PRECISION:
            session[SESSION_SEEN] = now
            session.set_expiry(idle)
        return None


class StaffMFAMiddleware:
    """Sends people whose role requires a second factor and who have none to allauth's
    authenticator set-up, with a message, from every page but their account pages (signing
    out, setting up the factor, the password) and the language switch."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and mfa_required(user)
            and not mfa_enrolled(user)
            and not self._exempt(request)
        ):
            message = _(
                "Your role needs a second sign-in step. Set up an authenticator app to continue."
            )
            if _wants_json(request):
                return JsonResponse({"error": message}, status=403)
            messages.warning(request, message)
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _exempt(request: HttpRequest) -> bool:
        path = request.path_info
        exempt = [reverse("account_login").rsplit("login/", 1)[0], reverse("set_language")]
        static = [settings.STATIC_URL, "/healthz"]
        return path.startswith(tuple(exempt + static))
