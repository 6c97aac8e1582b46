"""Signal receivers: each only hands over to a service."""

from __future__ import annotations

from django.db.models.signals import post_delete

from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from lms.caching import page_cache_invalidate


def tree_changed(sender, **kwargs) -> None:
    page_cache_invalidate()


def connect() -> None:
    page_published.connect(tree_changed, dispatch_uid="dasi-page-cache-published")
    page_unpublished.connect(tree_changed, dispatch_uid="dasi-page-cache-unpublished")
    post_page_move.connect(tree_changed, dispatch_uid="dasi-page-cache-moved")
    post_delete.connect(_page_deleted, dispatch_uid="dasi-page-cache-deleted")


def _page_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        tree_changed(sender)
