"""Writes of notifications: record an event for its people, send its e-mail once, the daily
digest, preferences, read marks, course announcements and private messages.

Recording is idempotent: `notification_record` makes at most one notification per person
and event key (a unique constraint, so two workers racing on the same event make one row),
and an e-mail is claimed (pending → sending) by one conditional UPDATE before it is sent, so a
retried or duplicated task never sends it twice. E-mails are queued after the commit of the
transaction that recorded them; the beat task `notifications.emails_resume` sends any whose
queued message was lost.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wagtail.models import Page

from celery import current_app

from assessments.models import Attempt, GradingResult
from courses.models import CoursePage, LessonPage
from hub_sites.models import Centre
from lms.accounts.models import Membership, Role, User
from lms.certificates.models import Certificate
from lms.counselling.models import CaseloadAssignment, LearnerPlan
from lms.learning.models import Enrolment

from .models import (
    DEFAULT_CHANNELS,
    Announcement,
    Channel,
    CourseUpdate,
    Kind,
    Message,
    MessageThread,
    Notification,
    NotificationPreference,
)
from .selectors import channel_for
from .texts import render

log = logging.getLogger(__name__)

EMAIL_TASK = "notifications.send_email"
ANNOUNCER_ROLES = (Role.INSTRUCTOR, Role.CENTRE_ADMIN)


# --- Recording and sending -----------------------------------------------------------------


def _queue_email(notification_id: int) -> None:
    # By name: the task module imports this one to run the sending.
    current_app.tasks[EMAIL_TASK].delay(notification_id)


def notification_record(
    *,
    recipient: User,
    kind: str,
    key: str,
    values: dict,
    centre: Centre | None = None,
    thread: MessageThread | None = None,
) -> Notification | None:
    """Tell `recipient` about one event, once: returns the new notification, or None when the
    person already has one for `key` or has turned this kind off.

    Runs in the caller's transaction (a savepoint guards the unique key); the e-mail, when
    the person wants one at once, is queued after that transaction commits.
    """
    channel = channel_for(user=recipient, kind=kind)
    if channel == Channel.OFF or not recipient.is_active:
        return None
    email = {
        Channel.EMAIL: Notification.Email.PENDING,
        Channel.DIGEST: Notification.Email.DIGEST,
    }.get(channel, Notification.Email.NONE)
    if not recipient.email:
        email = Notification.Email.NONE
    notification = Notification(
        recipient=recipient,
        centre=centre,
        kind=kind,
        key=key[:200],
        values=values,
        email=email,
        thread=thread,
    )
    try:
        with transaction.atomic():
            notification.save()
    except IntegrityError:
        return None  # this person already has this event
    if email == Notification.Email.PENDING:
        transaction.on_commit(lambda: _queue_email(notification.pk), robust=True)
    return notification


def _absolute(notification: Notification, path: str) -> str:
    centre = notification.centre
    base = centre.site.root_url if centre is not None else settings.WAGTAILADMIN_BASE_URL
    return base.rstrip("/") + path if path else ""


def notification_email_send(*, notification_id: int) -> bool:
    """Send one notification's e-mail, in the recipient's language, at most once.

    The row is claimed (pending → sending) before the send; a failed send puts it back to
    pending and raises, so the task's retry sends it then. Returns whether it was sent now.
    """
    claimed = Notification.objects.filter(
        pk=notification_id, email=Notification.Email.PENDING
    ).update(email=Notification.Email.SENDING)
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient", "centre__site").get(
        pk=notification_id
    )
    recipient = notification.recipient
    try:
        with translation.override(recipient.preferred_language or settings.LANGUAGE_CODE):
            text = render(notification)
            body = render_to_string(
                "notifications/email/notification.txt",
                {
                    "recipient": recipient,
                    "text": text,
                    "url": _absolute(notification, text.path),
                    "preferences_url": _absolute(notification, _preferences_path()),
                },
            )
        EmailMessage(subject=text.title, body=body, to=[recipient.email]).send()
    except Exception:
        Notification.objects.filter(pk=notification_id).update(email=Notification.Email.PENDING)
        raise
    Notification.objects.filter(pk=notification_id).update(
        email=Notification.Email.SENT, emailed_at=timezone.now()
    )
    return True


def _preferences_path() -> str:
    # reverse() adds the prefix of the active language (none for Korean).
    return reverse("notifications:preferences")


def digest_send(*, user: User) -> int:
    """E-mail one person the notifications waiting for their digest, in their language, and
    mark them sent in it. Each is claimed first, so two runs never send one twice. Returns
    how many the digest held (0: no e-mail)."""
    with transaction.atomic():
        # Only the notification rows are locked (PostgreSQL locks no outer-joined centre).
        waiting = list(
            Notification.objects.select_for_update(of=("self",))
            .filter(recipient=user, email=Notification.Email.DIGEST)
            .select_related("centre__site")
            .order_by("created_at", "pk")
        )
        if not waiting:
            return 0
        Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(
            email=Notification.Email.DIGESTED, emailed_at=timezone.now()
        )
    if not user.email:
        return 0
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        items = []
        for notification in waiting:
            text = render(notification)
            items.append({"text": text, "url": _absolute(notification, text.path)})
        subject = _("Your Dasi digest: %(count)d new") % {"count": len(items)}
        body = render_to_string(
            "notifications/email/digest.txt",
            {
                "recipient": user,
                "items": items,
                "preferences_url": _absolute(waiting[0], _preferences_path()),
            },
        )
    EmailMessage(subject=subject, body=body, to=[user.email]).send()
    return len(items)


def emails_pending_older_than(*, age: timedelta) -> list[int]:
    """Ids of e-mails still waiting after `age` (their queued message was lost)."""
    return list(
        Notification.objects.filter(
            email=Notification.Email.PENDING, created_at__lt=timezone.now() - age
        ).values_list("pk", flat=True)[:500]
    )


# --- The people's own choices ------------------------------------------------------------


def preferences_set(*, user: User, channels: dict[str, str]) -> None:
    """Save how `user` wants each kind (unknown kinds or channels are refused)."""
    for kind, channel in channels.items():
        if kind not in Kind.values or channel not in Channel.values:
            raise ValidationError(_("Unknown notification setting."), code="invalid")
    with transaction.atomic():
        for kind, channel in channels.items():
            if channel == DEFAULT_CHANNELS[kind]:
                NotificationPreference.objects.filter(user=user, kind=kind).delete()
            else:
                NotificationPreference.objects.update_or_create(
                    user=user, kind=kind, defaults={"channel": channel}
                )


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark some (or, with ids=None, all) of `user`'s own notifications read; ids of other
    people's notifications match nothing. Returns how many changed."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


# --- Events of the layers below ----------------------------------------------------------


def graded_record(*, attempt: Attempt, grading: GradingResult | None) -> Notification | None:
    """A notebook submission was graded (quizzes are graded in front of the learner and are
    not notified). One notification per grading: a regrade is a new event."""
    if grading is None or grading.status != GradingResult.Status.DONE:
        return None
    return notification_record(
        recipient=attempt.user,
        kind=Kind.GRADED,
        key=f"graded:{grading.pk}",
        centre=attempt.assessment.centre,
        values={
            "assessment": attempt.assessment.title,
            "score": _number(grading.score),
            "max": _number(grading.max_score),
            "link": ["assessments:attempt", [attempt.pk]],
        },
    )


def _number(value: Decimal | None) -> str:
    if value is None:
        return "–"
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def certificate_record(*, certificate: Certificate) -> Notification | None:
    """A certificate was issued to a learner."""
    return notification_record(
        recipient=certificate.user,
        kind=Kind.CERTIFICATE,
        key=f"certificate:{certificate.pk}",
        centre=certificate.centre,
        values={"course": certificate.course_title, "link": ["certificates:mine", []]},
    )


def plan_record(*, plan: LearnerPlan) -> Notification | None:
    """A counsellor recorded a new plan with a learner."""
    author = plan.created_by
    return notification_record(
        recipient=plan.learner,
        kind=Kind.PLAN,
        key=f"plan:{plan.pk}",
        centre=plan.centre,
        values={
            "counsellor": author.display_name if author else "",
            "target": plan.target_date.isoformat(),
            "link": ["counselling:my_data", []],
        },
    )


@dataclass(frozen=True)
class DueItem:
    """Something a learner must hand in by a time, as the deadline source gives it.

    `key` names the item and the due time (e.g. `due:<assessment>:<cohort>:<iso time>`), so a
    moved due date is a new reminder and the same one is reminded once."""

    learner: User
    centre: Centre
    key: str
    title: str
    due_at: datetime
    link: tuple[str, list]  # URL name and args of the page to hand it in


def deadline_remind(*, item: DueItem) -> Notification | None:
    """Remind a learner that `item` is due (within 48 h); once per item and due time."""
    if item.due_at <= timezone.now():
        return None
    return notification_record(
        recipient=item.learner,
        kind=Kind.DEADLINE,
        key=f"deadline:{item.key}",
        centre=item.centre,
        values={
            "title": item.title,
            "due": item.due_at.isoformat(),
            "link": [item.link[0], list(item.link[1])],
        },
    )


def _course_of(page: Page) -> CoursePage | None:
    specific = page.specific_deferred
    if isinstance(specific, CoursePage):
        return specific
    if isinstance(specific, LessonPage):
        return CoursePage.objects.parent_of(specific).first()
    return None


def course_update_record(*, page: Page, when: datetime | None = None) -> CourseUpdate | None:
    """Note that a course (or one of its lessons) has a newly published revision; learners
    are told by `course_updates_flush` once the course has been quiet for the debounce time."""
    course = _course_of(page)
    if course is None:
        return None
    update, _created = CourseUpdate.objects.update_or_create(
        translation_key=course.translation_key,
        defaults={
            "course": course,
            "published_at": when or timezone.now(),
            "page_title": page.title[:255],
        },
    )
    return update


def _enrolments_of_course(course: CoursePage):
    """Enrolments in the course, its translations and the centres' aliases of them."""
    key = course.translation_key
    return Enrolment.objects.filter(
        Q(course__translation_key=key) | Q(course__alias_of__translation_key=key)
    ).select_related("user", "centre")


def course_updates_flush(*, now: datetime | None = None) -> int:
    """Tell the learners of each course published and then quiet for the debounce time
    about its update; returns the notifications made."""
    now = now or timezone.now()
    quiet = now - timedelta(seconds=settings.DASI_COURSE_UPDATE_DEBOUNCE)
    made = 0
    due = CourseUpdate.objects.filter(published_at__lte=quiet).filter(
        Q(notified_at__isnull=True) | Q(notified_at__lt=F("published_at"))
    )
    for update in due.select_related("course"):
        with transaction.atomic():
            claimed = (
                CourseUpdate.objects.filter(pk=update.pk, published_at=update.published_at)
                .exclude(notified_at__gte=update.published_at)
                .update(notified_at=update.published_at)
            )
            if not claimed:
                continue
            stamp = int(update.published_at.timestamp())
            for enrolment in _enrolments_of_course(update.course):
                made += bool(
                    notification_record(
                        recipient=enrolment.user,
                        kind=Kind.COURSE_UPDATE,
                        key=f"course-update:{update.translation_key}:{stamp}",
                        centre=enrolment.centre,
                        values={
                            "course": update.course.title,
                            "page": update.page_title,
                            "link": ["learning:dashboard", []],
                        },
                    )
                )
    return made


# --- Announcements -------------------------------------------------------------------------


def _require_announcer(*, user: User, centre: Centre) -> None:
    if user.is_superuser:
        return
    if not Membership.objects.filter(user=user, centre=centre, role__in=ANNOUNCER_ROLES).exists():
        raise PermissionDenied(
            _("Only this centre's instructors and admins can post announcements.")
        )


def announcement_create(
    *, centre: Centre, course: CoursePage, author: User, title: str, body: str
) -> Announcement:
    """Post an announcement to a course of the centre; its learners are told by the queued
    `announcement_deliver`."""
    _require_announcer(user=author, centre=centre)
    announcement = Announcement(
        centre=centre, course=course, author=author, title=title.strip(), body=body.strip()
    )
    announcement.full_clean()
    announcement.save()
    return announcement


def announcement_audience(*, announcement: Announcement):
    """The enrolments an announcement reaches: the course's learners in its centre.

    Extension point: when course runs (cohorts) exist, an announcement with a cohort keeps
    only that cohort's enrolments here; nothing else changes."""
    return _enrolments_of_course(announcement.course).filter(centre=announcement.centre)


def announcement_deliver(*, announcement: Announcement) -> int:
    """Tell each learner of the announcement's audience, once; safe to run again."""
    made = 0
    values = {
        "course": announcement.course.title,
        "title": announcement.title,
        "body": announcement.body,
        "link": ["notifications:announcements", [announcement.course_id]],
    }
    for enrolment in announcement_audience(announcement=announcement):
        with transaction.atomic():
            made += bool(
                notification_record(
                    recipient=enrolment.user,
                    kind=Kind.ANNOUNCEMENT,
                    key=f"announcement:{announcement.pk}",
                    centre=announcement.centre,
                    values=values,
                )
            )
    return made


# --- Private messages ----------------------------------------------------------------------


def _follows(*, centre: Centre, counsellor: User, learner: User) -> bool:
    return CaseloadAssignment.objects.filter(
        centre=centre, counsellor=counsellor, learner=learner
    ).exists()


class NotAllowed(ValidationError):
    """The two people may not write to each other in this centre."""


@transaction.atomic
def message_send(*, centre: Centre, sender: User, to: User, body: str) -> Message:
    """Send a private message between a counsellor and a learner of their caseload in this
    centre (either way round), starting their thread on the first one, and tell the other.

    Refuses, changing nothing, an empty body, and two people who are not a counsellor and a
    learner of that counsellor's caseload in the centre."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a message first.")}, code="empty")
    if _follows(centre=centre, counsellor=sender, learner=to):
        counsellor, learner = sender, to
    elif _follows(centre=centre, counsellor=to, learner=sender):
        counsellor, learner = to, sender
    else:
        raise NotAllowed(
            _("You can only write to your counsellor, or to learners of your caseload."),
            code="not_allowed",
        )
    thread, _created = MessageThread.objects.get_or_create(
        centre=centre, counsellor=counsellor, learner=learner
    )
    message = Message(thread=thread, author=sender, body=body)
    message.full_clean()
    message.save()
    thread.last_message_at = message.created_at
    thread.save(update_fields=["last_message_at"])
    notification_record(
        recipient=to,
        kind=Kind.MESSAGE,
        key=f"message:{thread.pk}:{message.pk}",
        centre=centre,
        thread=thread,
        values={"sender": sender.display_name, "link": ["notifications:thread", [thread.pk]]},
    )
    return message


def thread_reply(*, thread: MessageThread, sender: User, body: str) -> Message:
    """Answer in a thread (its learner or its counsellor only)."""
    if sender.pk == thread.learner_id:
        other = thread.counsellor
    elif sender.pk == thread.counsellor_id:
        other = thread.learner
    else:
        raise PermissionDenied
    return message_send(centre=thread.centre, sender=sender, to=other, body=body)


def thread_notifications_read(*, user: User, thread: MessageThread) -> int:
    """Mark read the notifications of a thread's messages to `user` (they opened it)."""
    return Notification.objects.filter(recipient=user, thread=thread, read_at__isnull=True).update(
        read_at=timezone.now()
    )
