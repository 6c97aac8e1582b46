"""Attach the centre that serves this host name to each request, and route the pages of
Dasi's own types from the shared cache."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult
from wagtail.views import serve as wagtail_serve

from courses.models import CourseIndexPage, CoursePage, LessonPage
from courses.selectors import shared_cached

from .models import Centre, CentreHomePage, CentreSettings

# Page types routed from the cache: Wagtail's own `route` (no routable sub-pages), and a
# `get_view_restrictions` that reads the ids recorded here (courses.models).
CACHED_ROUTE_TYPES = (CentreHomePage, CourseIndexPage, CoursePage, LessonPage)


def _centre_for(request) -> Centre | None:
    site = Site.find_for_request(request)
    if site is None:
        return None
    return Centre.objects.select_related("site").filter(site=site).first()


def _route(request, path: str) -> dict | None:
    """What routing `path` gives on this host: the site, the page (with its parent and the
    ids of the view restrictions over it), the centre and its settings; None when the
    page is not of a type routed from the cache."""
    route = Page.route_for_request(request, path)
    if route is None:
        return None
    page, args, kwargs = route
    if args or kwargs or type(page) not in CACHED_ROUTE_TYPES:
        return None
    if type(page).route is not Page.route:
        return None
    site = Site.find_for_request(request)
    if isinstance(page, LessonPage):
        page._cached_parent_obj = page.get_parent().specific
    page.view_restriction_ids = list(Page.get_view_restrictions(page).values_list("pk", flat=True))
    return {
        "site": site,
        "page": page,
        "centre": _centre_for(request),
        "settings": CentreSettings.for_site(site),
    }


class CentreMiddleware:
    """Sets `request.centre` (lazily) to the Centre of the requested Site, or None.

    For a GET of a Wagtail page it also fills, from the shared cache keyed by the published
    version, what Wagtail's routing would read from the database (site, page, view
    restrictions) and the centre with its settings.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.centre = SimpleLazyObject(lambda: _centre_for(request))
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not wagtail_serve or request.method not in ("GET", "HEAD"):
            return None
        path = view_args[0] if view_args else view_kwargs.get("path", "")
        entry = shared_cached(request, ("route", path), lambda: _route(request, path))
        if entry and not hasattr(request, "_wagtail_route_for_request"):
            request._wagtail_site = entry["site"]
            request._wagtail_route_for_request = RouteResult(entry["page"])
            request.centre = entry["centre"]
            settings = entry["settings"]
            settings._request = request
            setattr(request, CentreSettings.get_cache_attr_name(), settings)
        return None
