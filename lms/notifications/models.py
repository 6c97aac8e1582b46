"""Notifications, the preferences that route them, course announcements and private messages.

A notification is one event told to one person. Its `key` names the event (`graded:42`,
`announcement:7`), and a person holds at most one notification per key: recording the same
event again — a retried task, a receiver run twice, a beat run overlapping a queued run —
changes nothing, and the e-mail it carries is claimed once before it is sent. Texts are not
stored: a notification keeps its kind and a few values, and is rendered in the language of
whoever reads it (the recipient's preferred language for e-mail).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    GRADED = "graded", _("A submission is graded")
    CERTIFICATE = "certificate", _("A certificate is issued")
    DEADLINE = "deadline", _("Something is due in 48 hours")
    PLAN = "plan", _("A counsellor records a new plan")
    MESSAGE = "message", _("A new private message")
    ANNOUNCEMENT = "announcement", _("A course announcement")
    COURSE_UPDATE = "course_update", _("A course I take is updated")


class Channel(models.TextChoices):
    EMAIL = "email", _("On the site and by e-mail")
    SITE = "site", _("On the site only")
    DIGEST = "digest", _("On the site, and in a daily e-mail digest")
    OFF = "off", _("Off")


#: How each kind reaches a person who has not chosen: course updates are frequent and least
#: urgent, so they wait for the digest; the rest go out at once.
DEFAULT_CHANNELS: dict[str, str] = {
    Kind.GRADED: Channel.EMAIL,
    Kind.CERTIFICATE: Channel.EMAIL,
    Kind.DEADLINE: Channel.EMAIL,
    Kind.PLAN: Channel.EMAIL,
    Kind.MESSAGE: Channel.EMAIL,
    Kind.ANNOUNCEMENT: Channel.EMAIL,
    Kind.COURSE_UPDATE: Channel.DIGEST,
}


class NotificationPreference(models.Model):
    """How one person wants one kind of notification (a missing row: DEFAULT_CHANNELS)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    channel = models.CharField(_("how"), max_length=10, choices=Channel.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.kind} · {self.channel}"


class Notification(models.Model):
    """One event told to one person, on the site and (as their preference says) by e-mail."""

    class Email(models.TextChoices):
        NONE = "none", _("Not by e-mail")
        PENDING = "pending", _("To send")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        DIGEST = "digest", _("Waiting for the digest")
        DIGESTED = "digested", _("Sent in a digest")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    centre = models.ForeignKey(
        "hub_sites.Centre", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=200, help_text="The event, e.g. graded:42.")
    # A message's notification goes with its thread: erasing a learner's conversations also
    # removes the counsellor's notices naming them.
    thread = models.ForeignKey(
        "MessageThread", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # What the text names (titles, scores, a sender) and the page it links to, as
    # {"link": [url name, [args]]}; reversed in the reader's language.
    values = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    email = models.CharField(max_length=10, choices=Email.choices, default=Email.NONE)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_event")
        ]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(
                fields=["recipient"], condition=models.Q(email="digest"), name="notification_digest"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} · {self.key}"


class Announcement(models.Model):
    """A message from a course's instructors to its learners, told to each as a notification.

    `course` is the audience today; a cohort (a course run) narrows it once course runs
    exist (see services.announcement_audience)."""

    centre = models.ForeignKey(
        "hub_sites.Centre", on_delete=models.CASCADE, related_name="announcements"
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="announcements",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("announcement"), max_length=4000)
    created_at = models.DateTimeField(_("posted"), auto_now_add=True)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["course", "created_at"])]

    def __str__(self) -> str:
        return self.title


class MessageThread(models.Model):
    """The private conversation between a learner and one of the counsellors following them
    in a centre; only those two read it."""

    centre = models.ForeignKey(
        "hub_sites.Centre", on_delete=models.CASCADE, related_name="message_threads"
    )
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="counsellor_threads"
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_threads"
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    last_message_at = models.DateTimeField(_("last message"), null=True, blank=True)

    class Meta:
        verbose_name = _("message thread")
        verbose_name_plural = _("message threads")
        ordering = ["-last_message_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "counsellor", "learner"], name="message_thread_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.counsellor_id} ↔ {self.learner_id} @ {self.centre_id}"


class Message(models.Model):
    """One message of a thread, written by its learner or its counsellor. Never edited."""

    thread = models.ForeignKey(MessageThread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("message"), max_length=4000)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.thread_id} · {self.author_id} · {self.created_at:%Y-%m-%d %H:%M}"


class CourseUpdate(models.Model):
    """The last publication of a course (or one of its lessons) not yet told to its learners.

    One row per course in all its languages (its translation key). Publications within
    DASI_COURSE_UPDATE_DEBOUNCE of each other make one notification: the flush tells
    learners only once the course has been quiet that long."""

    translation_key = models.UUIDField(primary_key=True)
    course = models.ForeignKey("courses.CoursePage", on_delete=models.CASCADE, related_name="+")
    published_at = models.DateTimeField()
    page_title = models.CharField(max_length=255)
    notified_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.course_id} · {self.published_at:%Y-%m-%d %H:%M}"
