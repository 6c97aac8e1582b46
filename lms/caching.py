"""Cached pages for visitors who are not logged in (home, catalogue and lessons).

A visitor's page depends only on the host, the path (which carries the language) and the
published tree, so the rendered HTML is kept under a key that includes a generation number;
any publish, unpublish, move or delete of a page bumps the generation and so retires every
entry. The middleware answers before Wagtail routes the request; pages opt in with the mixin.
Logged-in users always get a fresh page (it shows their own progress).
"""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from wagtail.models import PageViewRestriction

GENERATION_KEY = "dasi:pages:generation"
TIMEOUT = 60 * 60
# A cached page keeps this in place of the nonce of the Content Security Policy; each answer
# from the cache gets the nonce of its own response (lms/security_headers.py).
NONCE_PLACEHOLDER = b"dasi-csp-nonce-placeholder"


def generation() -> int:
    return cache.get_or_set(GENERATION_KEY, 1, None)


def page_cache_invalidate() -> None:
    """Retire every cached page (called when the published tree changes)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, None)


# Never through the page cache: the probes must not depend on the cache's server (liveness
# asks nothing outside the process; readiness checks the cache itself).
UNCACHED_PREFIXES = ("/health/",)


def _cacheable(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and not request.path.startswith(UNCACHED_PREFIXES)
        and not request.GET
        and not request.user.is_authenticated
        and not list(get_messages(request))
    )


def _key(request: HttpRequest) -> str:
    return f"dasi:page:{generation()}:{request.get_host()}:{get_language()}:{request.path}"


class AnonymousPageCacheMixin:
    """Marks a page type whose anonymous responses may be cached."""

    def serve(self, request: HttpRequest, *args, **kwargs):
        request._dasi_cache_page = True
        return super().serve(request, *args, **kwargs)


class CachedViewRestrictionsMixin:
    """A page routed from the shared cache carries the ids of the view restrictions over it
    (`view_restriction_ids`, recorded when the route was cached, retired with the published
    version when a restriction changes); Wagtail's check then reads only those, and none at
    all when there are none."""

    def get_view_restrictions(self):
        ids = getattr(self, "view_restriction_ids", None)
        if ids is None:
            return super().get_view_restrictions()
        return PageViewRestriction.objects.filter(pk__in=ids)


class AnonymousPageCacheMiddleware:
    """Answers anonymous GETs of cacheable pages from the cache, and fills it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if not _cacheable(request):
            return self.get_response(request)
        key = _key(request)
        content = cache.get(key)
        if content is not None:
            nonce = getattr(request, "csp_nonce", None)
            if nonce is not None and NONCE_PLACEHOLDER in content:
                content = content.replace(NONCE_PLACEHOLDER, str(nonce).encode())
            return HttpResponse(content, content_type="text/html; charset=utf-8")
        response = self.get_response(request)
        if (
            getattr(request, "_dasi_cache_page", False)
            and response.status_code == 200
            and not response.cookies
            and not getattr(response, "streaming", False)
        ):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            content = response.content
            nonce = getattr(request, "_csp_nonce", None)
            if isinstance(nonce, str):
                content = content.replace(nonce.encode(), NONCE_PLACEHOLDER)
            cache.set(key, content, TIMEOUT)
        return response
