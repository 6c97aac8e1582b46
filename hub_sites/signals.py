"""Signal receivers: each only hands over to a service."""

from __future__ import annotations

from wagtail.signals import page_published

from courses.models import LessonPage

from .services import lesson_aliases_sync


def lesson_published(sender, instance: LessonPage, **kwargs) -> None:
    if instance.alias_of_id is None:
        lesson_aliases_sync(lesson=instance)


def connect() -> None:
    page_published.connect(lesson_published, sender=LessonPage, dispatch_uid="dasi-lesson-aliases")
