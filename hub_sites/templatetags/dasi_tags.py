"""Template helpers for the platform's layout: the language switcher."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

from wagtail.models import Page

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context, page: Page | None = None) -> list[dict]:
    """Each UI language with the address of this page in it (the page's translation where one
    is published, otherwise the same address under the language's prefix)."""
    request = context["request"]
    current = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    translated: dict[str, str] = {}
    if isinstance(page, Page) and page.pk:
        for translation in (
            Page.objects.filter(translation_key=page.translation_key)
            .live()
            .select_related("locale")
        ):
            url = translation.get_url(request)
            if url:
                translated[translation.locale.language_code] = url
    links = []
    for code, name in settings.LANGUAGES:
        url = translated.get(code) or translate_url(request.get_full_path(), code)
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return links
