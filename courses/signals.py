"""Signal receivers: each only hands over to a service."""

from __future__ import annotations

from wagtail.signals import page_published, page_unpublished, post_page_move

from .models import LessonPage


def lesson_published(sender, instance: LessonPage, **kwargs) -> None:
    from hub_sites.services import lesson_aliases_sync

    if instance.alias_of_id is None:
        lesson_aliases_sync(lesson=instance)


def tree_changed(sender, **kwargs) -> None:
    from .caching import page_cache_invalidate

    page_cache_invalidate()


def connect() -> None:
    from django.db.models.signals import post_delete

    page_published.connect(lesson_published, sender=LessonPage, dispatch_uid="dasi-lesson-aliases")
    page_published.connect(tree_changed, dispatch_uid="dasi-page-cache-published")
    page_unpublished.connect(tree_changed, dispatch_uid="dasi-page-cache-unpublished")
    post_page_move.connect(tree_changed, dispatch_uid="dasi-page-cache-moved")
    post_delete.connect(_page_deleted, dispatch_uid="dasi-page-cache-deleted")


def _page_deleted(sender, instance, **kwargs) -> None:
    from wagtail.models import Page

    if isinstance(instance, Page):
        tree_changed(sender)
