"""Course runs (cohorts), enrolments and lesson progress.

Progress belongs to the learner and the course's source page: a course offered in another
centre (a Wagtail alias) or read in another language (a translation) shares one record.
A cohort is one run of a course at one centre, with start and end dates; an enrolment may
belong to one cohort, whose due dates then apply to the learner (see assessments.DueDate).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.models import ClusterableModel


class Cohort(ClusterableModel):
    """One run of a course at a centre: learners who take it together between two dates.

    The due dates of its graded work are kept by assessments (``due_dates``).
    """

    centre = models.ForeignKey(
        "hub_sites.Centre",
        verbose_name=_("centre"),
        on_delete=models.PROTECT,
        related_name="cohorts",
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        related_name="cohorts",
        help_text=_("The course's source page (not a centre's alias or a translation)."),
    )
    title = models.CharField(_("name"), max_length=120, help_text=_("e.g. 2027 spring, evening"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("course run (cohort)")
        verbose_name_plural = _("course runs (cohorts)")
        ordering = ["-starts_on", "title"]
        indexes = [models.Index(fields=["centre", "course", "starts_on"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_on:%Y-%m-%d} – {self.ends_on:%Y-%m-%d})"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A course run cannot end before it starts.")})


class Enrolment(models.Model):
    """A learner taking a course, enrolled through one centre."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("In progress")
        COMPLETED = "completed", _("Completed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.PROTECT, related_name="enrolments"
    )
    centre = models.ForeignKey(
        "hub_sites.Centre", on_delete=models.PROTECT, related_name="enrolments"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    cohort = models.ForeignKey(
        Cohort,
        verbose_name=_("course run (cohort)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrolments",
    )
    enrolled_at = models.DateTimeField(_("enrolled"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    last_lesson = models.ForeignKey(
        "courses.LessonPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    last_activity_at = models.DateTimeField(_("last activity"), auto_now_add=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="enrolment_unique_per_course")
        ]
        indexes = [models.Index(fields=["centre", "status"])]

    def __str__(self) -> str:
        return f"{self.user} → {self.course_id}"


class LessonProgress(models.Model):
    """How far a learner is in one lesson: started, completed, and where they left off."""

    class Status(models.TextChoices):
        STARTED = "started", _("Started")
        COMPLETED = "completed", _("Completed")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="progress")
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.PROTECT, related_name="progress"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.STARTED
    )
    position = models.CharField(
        _("where you left off"),
        max_length=64,
        blank=True,
        help_text=_("The anchor of the last section the learner reached."),
    )
    started_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "lesson"], name="lessonprogress_unique_per_lesson"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} · {self.lesson_id} · {self.status}"
