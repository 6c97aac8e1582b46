"""Background jobs for the course catalogue."""

from __future__ import annotations

from django.core.management import call_command

from celery import shared_task


@shared_task(name="courses.publish_scheduled", ignore_result=True)
def publish_scheduled() -> None:
    """Publish pages whose scheduled go-live time has come and unpublish expired ones.

    Celery beat runs it every minute (CELERY_BEAT_SCHEDULE), which makes Wagtail's scheduled
    publishing work without a separate cron entry.
    """
    call_command("publish_scheduled")
