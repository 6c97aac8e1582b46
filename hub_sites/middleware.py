"""Attach the centre that serves this host name to each request."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from wagtail.models import Site

from .models import Centre


def _centre_for(request) -> Centre | None:
    site = Site.find_for_request(request)
    if site is None:
        return None
    return Centre.objects.select_related("site").filter(site=site).first()


class CentreMiddleware:
    """Sets `request.centre` (lazily) to the Centre of the requested Site, or None."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.centre = SimpleLazyObject(lambda: _centre_for(request))
        return self.get_response(request)
