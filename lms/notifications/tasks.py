"""Queued work of notifications: e-mails, announcements, the digest, course updates and the
deadline reminders. Every task is safe to run twice (see services)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from celery import shared_task

from lms.accounts.models import User

from . import services
from .models import Announcement, Notification


@shared_task(
    name="notifications.send_email",  # services.EMAIL_TASK (a literal: tests/ops reads it)
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=8,
)
def send_email(notification_id: int) -> bool:
    """Send one notification's e-mail (a second run finds it claimed and sends nothing)."""
    return services.notification_email_send(notification_id=notification_id)


@shared_task(name="notifications.emails_resume", ignore_result=True)
def emails_resume() -> int:
    """E-mails whose queued message was lost (still waiting after five minutes), sent now."""
    ids = services.emails_pending_older_than(age=timedelta(minutes=5))
    for notification_id in ids:
        send_email.delay(notification_id)
    return len(ids)


@shared_task(name="notifications.announcement_deliver", ignore_result=True)
def announcement_deliver(announcement_id: int) -> int:
    """Tell an announcement's learners (again safely: each has it once)."""
    announcement = Announcement.objects.select_related("course", "centre").filter(
        pk=announcement_id
    )
    found = announcement.first()
    return services.announcement_deliver(announcement=found) if found else 0


@shared_task(name="notifications.daily_digest", ignore_result=True)
def daily_digest() -> int:
    """Each person's waiting digest notifications, in one e-mail; returns e-mails sent."""
    waiting = (
        Notification.objects.filter(email=Notification.Email.DIGEST)
        .values_list("recipient", flat=True)
        .distinct()
    )
    sent = 0
    for user in User.objects.filter(pk__in=waiting):
        sent += bool(services.digest_send(user=user))
    return sent


@shared_task(name="notifications.course_updates_flush", ignore_result=True)
def course_updates_flush() -> int:
    """Tell learners of courses published and then quiet for the debounce time."""
    return services.course_updates_flush()


def course_updates_flush_later() -> None:
    """Queue a flush for when a course published now will have been quiet long enough (the
    beat runs it every five minutes too, so a lost message only delays the notification)."""
    course_updates_flush.apply_async(countdown=settings.DASI_COURSE_UPDATE_DEBOUNCE + 5)


def due_items_soon(*, within: timedelta):
    """What is due within `within`, from the deadline source named by DASI_DUE_ITEMS_SOURCE
    (a dotted path to a callable `(start, end) -> iterable of services.DueItem`); nothing
    while no source is configured (due dates do not exist yet)."""
    source = settings.DASI_DUE_ITEMS_SOURCE
    if not source:
        return []
    now = timezone.now()
    return import_string(source)(now, now + within)


@shared_task(name="notifications.deadline_reminders", ignore_result=True)
def deadline_reminders() -> int:
    """Remind learners of what is due in the next 48 hours (each item once per due time)."""
    made = 0
    for item in due_items_soon(within=timedelta(hours=48)):
        made += bool(services.deadline_remind(item=item))
    return made
