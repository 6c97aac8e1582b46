"""Cached pages for visitors who are not logged in (catalogue and lessons).

A visitor's page depends only on the site, the page, the language and the published tree, so
the rendered HTML is kept in the cache under a key that includes a generation number; any
publish, unpublish, move or delete of a page bumps the generation and so retires every entry.
Logged-in users always get a fresh page (it shows their own progress).
"""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

GENERATION_KEY = "dasi:pages:generation"
TIMEOUT = 60 * 60


def generation() -> int:
    return cache.get_or_set(GENERATION_KEY, 1, None)


def page_cache_invalidate() -> None:
    """Retire every cached page (called when the published tree changes)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, None)


def _cacheable(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and not request.GET
        and not request.user.is_authenticated
        and not list(get_messages(request))
    )


class AnonymousPageCacheMixin:
    """Serve a page from the cache to anonymous visitors."""

    def serve(self, request: HttpRequest, *args, **kwargs):
        if not _cacheable(request):
            return super().serve(request, *args, **kwargs)
        site_id = getattr(getattr(request, "centre", None), "site_id", None)
        key = f"dasi:page:{generation()}:{site_id}:{self.pk}:{get_language()}"
        content = cache.get(key)
        if content is not None:
            return HttpResponse(content, content_type="text/html; charset=utf-8")
        response = super().serve(request, *args, **kwargs)
        if hasattr(response, "render"):
            response.render()
        if response.status_code == 200 and not response.cookies:
            cache.set(key, response.content, TIMEOUT)
        return response
