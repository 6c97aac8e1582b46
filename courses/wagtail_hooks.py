"""What courses adds to the pages of the layer below: the catalogue on a centre's home page
and on its course index (see `lms.pages`)."""

from __future__ import annotations

from django.http import HttpRequest

from wagtail import hooks
from wagtail.models import Page

from .selectors import catalogue_for_site_root


@hooks.register("centre_home_page_context")
@hooks.register("course_index_page_context")
def catalogue_context(*, page: Page, request: HttpRequest) -> dict:
    return {"courses": catalogue_for_site_root(root=page, user=request.user)}
