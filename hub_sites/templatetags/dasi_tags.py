"""Template helpers for the platform's layout: the language switcher."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from wagtail.models import Page

from courses.selectors import shared_cached

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context, page: Page | None = None) -> list[dict]:
    """Each UI language with the address of this page in it (the page's translation where one
    is published, otherwise the same address under the language's prefix)."""
    request = context["request"]
    current = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    translated: dict[str, str] = {}
    if isinstance(page, Page) and page.pk:

        def find() -> dict[str, str]:
            found = {}
            for translation in (
                Page.objects.filter(translation_key=page.translation_key)
                .live()
                .select_related("locale")
            ):
                url = translation.get_url(request)
                if url:
                    found[translation.locale.language_code] = url
            return found

        if getattr(request, "is_preview", False):
            translated = find()
        else:  # the same for every visitor: cached with the published version
            translated = shared_cached(request, ("translations", page.pk), find)
    links = []
    for code, name in settings.LANGUAGES:
        url = translated.get(code) or translate_url(request.get_full_path(), code)
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return links


@register.simple_tag
def lesson_outline(items) -> str:
    """The items of a course outline (title, url, status, current) as list items: built
    with format_html, since a template per item cost more than the rest of a lesson page
    for a course of a few hundred lessons."""
    badges = {
        "completed": format_html('<span class="badge badge-done">{}</span>', gettext("Completed")),
        "started": format_html('<span class="badge">{}</span>', gettext("In progress")),
    }
    return format_html_join(
        "\n",
        '<li class="lesson-item status-{}"><a href="{}"{}>{}</a>'
        '<span class="lesson-state">{}</span></li>',
        (
            (
                item.status or "todo",
                item.url,
                mark_safe(' aria-current="page"') if item.current else "",  # noqa: S308
                item.title,
                badges.get(item.status, ""),
            )
            for item in items
        ),
    )
