"""Ask signed-in people for the current consent before they use any page."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import get_language

from . import selectors

# Paths that never wait for consent: signing out and in, the consent page itself, language
# switching, the admin (staff), the OAuth endpoints machines call, files and the health check.
EXEMPT_PREFIXES = ("/accounts/", "/en/accounts/", "/privacy/consent/", "/en/privacy/consent/",
                   "/i18n/", "/admin/", "/o/token/", "/o/userinfo/", "/o/.well-known/",
                   "/o/jwks/", "/static/", "/media/", "/healthz")  # fmt: skip


def consent_redirect(request):
    """The redirect to the consent page, coming back to this request's address (for views
    that need consent and are not behind the middleware, such as an LTI launch)."""
    language = get_language() or "ko"
    url = reverse("privacy:consent")
    if language != settings.LANGUAGE_CODE and not url.startswith(f"/{language}/"):
        url = f"/{language}{url}"
    return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")


class ConsentRequiredMiddleware:
    """Sends a signed-in person without a "yes" to the current required consent to the
    consent page first (GET only: a form posted mid-way is not lost, it is answered 403 by
    nothing here and reaches its view)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.DASI_CONSENT_REQUIRED
            and request.method == "GET"
            and user is not None
            and user.is_authenticated
            and not user.is_staff
            and not request.path.startswith(EXEMPT_PREFIXES)
            and selectors.consent_needed(user=user)
        ):
            return consent_redirect(request)
        return self.get_response(request)
