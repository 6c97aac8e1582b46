"""Signal receivers: each only hands over to a service."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from lms.caching import page_cache_invalidate
from lms.skills.models import Skill

from .services import published_version_bump


def tree_changed(sender, **kwargs) -> None:
    published_version_bump()
    page_cache_invalidate()


def shared_content_changed(sender, **kwargs) -> None:
    published_version_bump()


def connect() -> None:
    page_published.connect(tree_changed, dispatch_uid="dasi-page-cache-published")
    page_unpublished.connect(tree_changed, dispatch_uid="dasi-page-cache-unpublished")
    post_page_move.connect(tree_changed, dispatch_uid="dasi-page-cache-moved")
    post_delete.connect(_page_deleted, dispatch_uid="dasi-page-cache-deleted")
    # Restrictions are checked from the cached route (hub_sites.middleware); skill labels
    # are shown on cached course pages, quiz and exercise titles in cached lesson bodies
    # (named by label: assessments stand above courses).
    for model in (PageViewRestriction, Skill, "assessments.Assessment"):
        post_save.connect(shared_content_changed, sender=model, dispatch_uid=f"dasi-v-{model}")
        post_delete.connect(shared_content_changed, sender=model, dispatch_uid=f"dasi-d-{model}")


def _page_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        tree_changed(sender)
