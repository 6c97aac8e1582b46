"""Return addresses (`next=`) that a view may send a browser on to: one check for every view."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def _is_local_path(target: str) -> bool:
    """A path on this site: starts with one "/", no scheme, host, backslash or control byte.

    Browsers read "\\" as "/" and some servers decode "%2F"/"%5C" before routing, so the
    decoded form must pass too: "/\\evil.example" and "/%5Cevil.example" both mean
    "//evil.example" to someone.
    """
    for form in (target, unquote(target)):
        if not form.startswith("/") or form.startswith("//") or "\\" in form:
            return False
        if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in form):
            return False
        parts = urlsplit(form)
        if parts.scheme or parts.netloc:
            return False
    return True


def safe_return_path(request: HttpRequest, target: str | None, *, fallback: str = "/") -> str:
    """The return address ``target`` if it is a path on the requesting centre's site, else
    ``fallback``.

    Only path-only targets are accepted (no absolute URL, not even to this host), checked with
    Django's ``url_has_allowed_host_and_scheme`` against the request's own host and by
    :func:`_is_local_path`. ``fallback`` is the view's own choice and is not checked.
    """
    target = (target or "").strip()
    if not target:
        return fallback
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return fallback
    if not _is_local_path(target):
        return fallback
    return target
