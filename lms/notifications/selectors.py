"""Reads of notifications, preferences, announcements and message threads."""

from __future__ import annotations

from django.db.models import Count, Max, Q, QuerySet

from courses.models import CoursePage
from hub_sites.models import Centre
from lms.accounts.models import Membership, Role, User
from lms.counselling.models import CaseloadAssignment
from lms.learning.models import Enrolment

from .models import (
    DEFAULT_CHANNELS,
    Announcement,
    Kind,
    MessageThread,
    Notification,
    NotificationPreference,
)

STAFF_OF_COURSE = (Role.INSTRUCTOR, Role.CENTRE_ADMIN)


def channel_for(*, user: User, kind: str) -> str:
    """How `user` wants notifications of `kind`: their choice, or the default."""
    chosen = (
        NotificationPreference.objects.filter(user=user, kind=kind)
        .values_list("channel", flat=True)
        .first()
    )
    return chosen or DEFAULT_CHANNELS[kind]


def channels_of(*, user: User) -> dict[str, str]:
    """Every kind with how `user` wants it."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "channel"))
    return {kind: chosen.get(kind, DEFAULT_CHANNELS[kind]) for kind in Kind.values}


def notifications_of(*, user: User) -> QuerySet[Notification]:
    """A person's own notifications, newest first."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_count(*, user: User) -> int:
    """How many of a person's notifications are unread (the header's bell)."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def course_in_centre(*, course_id: int, centre: Centre) -> CoursePage | None:
    """A live course offered on the centre's site (source, translation or alias), or None."""
    roots = centre.site.root_page
    return CoursePage.objects.descendant_of(roots).filter(pk=course_id).first() or (
        CoursePage.objects.filter(
            pk=course_id,
            translation_key__in=CoursePage.objects.descendant_of(roots).values("translation_key"),
        ).first()
    )


def may_announce(*, user: User, centre: Centre) -> bool:
    return (
        user.is_superuser
        or Membership.objects.filter(user=user, centre=centre, role__in=STAFF_OF_COURSE).exists()
    )


def may_read_announcements(*, user: User, centre: Centre, course: CoursePage) -> bool:
    """The course's staff, and its learners enrolled through this centre."""
    if may_announce(user=user, centre=centre):
        return True
    key = course.translation_key
    return Enrolment.objects.filter(
        Q(course__translation_key=key) | Q(course__alias_of__translation_key=key),
        user=user,
        centre=centre,
    ).exists()


def announcements_of_course(*, course: CoursePage, centre: Centre) -> QuerySet[Announcement]:
    """A course's announcements in a centre (in every language of the course), newest first."""
    return (
        Announcement.objects.filter(centre=centre, course__translation_key=course.translation_key)
        .select_related("author")
        .order_by("-created_at", "-pk")
    )


def threads_of(*, user: User, centre: Centre) -> QuerySet[MessageThread]:
    """The threads a person takes part in at a centre, latest message first."""
    return (
        MessageThread.objects.filter(Q(learner=user) | Q(counsellor=user), centre=centre)
        .select_related("learner", "counsellor")
        .annotate(count=Count("messages"), last=Max("messages__created_at"))
        .order_by("-last_message_at", "-pk")
    )


def thread_for(*, user: User, thread_id: int, centre: Centre) -> MessageThread | None:
    """A thread of this centre that `user` takes part in, or None (anyone else's: None)."""
    return (
        MessageThread.objects.filter(Q(learner=user) | Q(counsellor=user), centre=centre)
        .select_related("learner", "counsellor", "centre")
        .filter(pk=thread_id)
        .first()
    )


def correspondents_of(*, user: User, centre: Centre) -> list[User]:
    """Whom `user` may write to at a centre: their counsellors (a learner) or the learners
    of their caseload (a counsellor)."""
    rows = CaseloadAssignment.objects.filter(
        Q(learner=user) | Q(counsellor=user), centre=centre
    ).select_related("learner", "counsellor")
    people = {r.counsellor if r.learner_id == user.pk else r.learner for r in rows}
    return sorted(people, key=lambda p: p.display_name)
