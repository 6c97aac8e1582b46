"""Response headers that tell browsers what a Dasi page may do (docs/security.md).

Django's SecurityMiddleware sets HSTS, X-Content-Type-Options, Referrer-Policy and
Cross-Origin-Opener-Policy; XFrameOptionsMiddleware sets X-Frame-Options. This module adds
Permissions-Policy and the Content Security Policy with a nonce per response (django-csp).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from csp.middleware import CSPMiddleware, PolicyParts

# The Wagtail admin (lms/urls.py mounts it at /admin/). Its form widgets (date and time
# choosers, inline panels, choosers outside StreamField) print an inline <script> per field,
# built from the field's id and options, and its modals insert HTML with inline scripts: no
# nonce reaches them (widgets render without the request) and no hash fits (the text changes
# per field). So its pages allow inline scripts and styles, and only there; every other
# directive stays as strict as on the public pages. Only staff reach those pages.
ADMIN_PREFIX = "/admin/"
ADMIN_REPLACE = {
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
}


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with Dasi's two scopes: public pages (nonces only) and the
    Wagtail admin (see ADMIN_REPLACE). Sign-ins for the notebook hub end in a redirect to
    the hub, so its origin is a permitted form target."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        hub = _origin(getattr(settings, "DASI_HUB_URL", ""))
        if hub:
            update = dict(parts.update or {})
            # A view's own form targets (an LTI platform's return address) stay as well.
            update["form-action"] = [*update.get("form-action", []), hub]
            parts.update = update
        if request.path_info.startswith(ADMIN_PREFIX):
            parts.replace = {**ADMIN_REPLACE, **(parts.replace or {})}
            # A nonce in the header would switch 'unsafe-inline' off again.
            parts.nonce = None
        return parts


class SecurityHeadersMiddleware:
    """Adds Permissions-Policy (features no Dasi page uses) to every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        policy = getattr(settings, "DASI_PERMISSIONS_POLICY", "")
        if policy:
            response.headers.setdefault("Permissions-Policy", policy)
        return response
