"""Writes on the page tree shared by centre set-up, demo data and tests."""

from __future__ import annotations

from django.db.models import F

from wagtail.models import Locale, Page

from .models import PublishedVersion

PUBLISHED_VERSION_ID = 1


def page_publish(page: Page, *, user=None) -> Page:
    """Save a revision of a page and publish it; returns the page as stored."""
    page.save_revision(user=user).publish(user=user)
    page.refresh_from_db()
    return page


def page_translate(page: Page, locale: Locale, *, user=None, **fields) -> Page:
    """Create a translation of a page in `locale` (its parent must be translated already),
    set the given fields, and publish it."""
    translated = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save()
    return page_publish(translated, user=user)


def published_version_bump() -> None:
    """Retire every shared cache entry (see PublishedVersion); runs in the caller's
    transaction, so the new version and the change it covers commit together."""
    updated = PublishedVersion.objects.filter(pk=PUBLISHED_VERSION_ID).update(value=F("value") + 1)
    if not updated:
        PublishedVersion.objects.get_or_create(pk=PUBLISHED_VERSION_ID, defaults={"value": 2})
