"""Builders of centres, through the platform's own `centre_create`."""

from __future__ import annotations

from wagtail.models import Collection, Locale, Page

from hub_sites.models import Centre
from hub_sites.services import centre_create


def wagtail_base_ensure() -> None:
    """Recreate the rows Wagtail's migrations add (default locale, root page, root collection):
    a transactional test flushes them away at its end."""
    locale, _created = Locale.objects.get_or_create(language_code="ko")
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(title="Root", slug="root", locale=locale)
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")


def make_centre(slug: str, *, port: int = 80, default: bool = False) -> Centre:
    return centre_create(
        slug=slug,
        hostname=f"{slug}.localhost",
        port=port,
        is_default_site=default,
        name_ko=f"{slug} 센터",
        name_en=f"{slug.title()} Centre",
        certificate_issuer_name=f"{slug.title()} Centre",
    )
