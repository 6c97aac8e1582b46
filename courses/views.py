"""Search over the courses and lessons of the centre serving the request."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from wagtail.models import Site

from .selectors import search_site


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    site = Site.find_for_request(request)
    results = []
    if query and site is not None:
        root = site.root_page.localized
        results = search_site(root=root, query=query)
    return render(request, "courses/search.html", {"query": query, "results": results})
