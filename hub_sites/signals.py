"""Signal receivers: each only hands over to a service."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from wagtail.models import Site
from wagtail.signals import page_published

from courses.models import LessonPage
from courses.services import published_version_bump

from .models import Centre, CentreSettings
from .services import lesson_aliases_sync


def lesson_published(sender, instance: LessonPage, **kwargs) -> None:
    if instance.alias_of_id is None:
        lesson_aliases_sync(lesson=instance)


def centre_changed(sender, **kwargs) -> None:
    published_version_bump()  # routes, centres and their settings are cached with it


def connect() -> None:
    page_published.connect(lesson_published, sender=LessonPage, dispatch_uid="dasi-lesson-aliases")
    for model in (Site, Centre, CentreSettings):
        post_save.connect(centre_changed, sender=model, dispatch_uid=f"dasi-v-{model}")
        post_delete.connect(centre_changed, sender=model, dispatch_uid=f"dasi-d-{model}")
