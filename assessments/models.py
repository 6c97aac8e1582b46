"""Assessments shared by quizzes and notebook exercises, attempts, and the grading policy.

One `Assessment` model serves every kind; an `Attempt` is a learner's try at it, whatever the
kind, so the gradebook reads one table. What an attempt was graded against (its questions)
is snapshotted when it starts, and its answers, score and results are kept once graded.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable
from wagtail.search import index

from lms.storage import private_storage

from .blocks import QuestionStreamBlock
from .lateness import LateRule

PERCENT_VALIDATORS = [MinValueValidator(0), MaxValueValidator(100)]


class Assessment(index.Indexed, models.Model):
    """Something a learner is graded on: a quiz (questions below) or a notebook exercise."""

    class Kind(models.TextChoices):
        QUIZ = "quiz", _("Quiz")
        NOTEBOOK = "notebook", _("Notebook exercise")

    centre = models.ForeignKey(
        "hub_sites.Centre",
        verbose_name=_("centre"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.QUIZ)
    instructions = RichTextField(
        _("instructions"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempt limit"), default=3, help_text=_("0 means no limit.")
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no limit. Enforced by the server."),
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=False)
    shuffle_choices = models.BooleanField(_("shuffle choices"), default=False)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=60, validators=PERCENT_VALIDATORS
    )
    questions = StreamField(
        QuestionStreamBlock(), verbose_name=_("questions"), blank=True, use_json_field=True
    )
    notebook_source = models.FileField(
        _("source notebook"),
        upload_to="exercises/",
        blank=True,
        storage=private_storage,
        help_text=_(
            "For notebook exercises: the instructor's .ipynb with nbgrader metadata, solutions "
            "and hidden tests. Checked (and run against its own tests) when saved."
        ),
    )
    notebook_data = models.FileField(
        _("data files (zip)"),
        upload_to="exercises/",
        blank=True,
        storage=private_storage,
        help_text=_("Optional: a zip of the files the notebook reads, e.g. data/sales.csv."),
    )
    skill_map = models.JSONField(
        _("skills per test"),
        default=dict,
        blank=True,
        help_text=_('For notebooks: {"grade_id": [{"uri": ESCO URI, "level": 1-5}]}.'),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("centre"),
        FieldPanel("title"),
        FieldPanel("kind"),
        FieldPanel("instructions"),
        MultiFieldPanel(
            [
                FieldPanel("max_attempts"),
                FieldPanel("time_limit_minutes"),
                FieldPanel("shuffle_questions"),
                FieldPanel("shuffle_choices"),
                FieldPanel("pass_mark"),
            ],
            heading=_("Rules"),
        ),
        FieldPanel("questions"),
        MultiFieldPanel(
            [FieldPanel("notebook_source"), FieldPanel("notebook_data"), FieldPanel("skill_map")],
            heading=_("Notebook exercise"),
        ),
    ]
    search_fields = [index.SearchField("title"), index.FilterField("centre_id")]

    class Meta:
        ordering = ["title"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return self.title

    def notebook_bytes(self) -> bytes:
        with self.notebook_source.open("rb") as handle:
            return handle.read()

    def data_files(self) -> dict[str, bytes]:
        """The exercise's data files by relative path, from the zip."""
        if not self.notebook_data:
            return {}
        import zipfile

        with self.notebook_data.open("rb") as handle, zipfile.ZipFile(handle) as archive:
            return {
                info.filename: archive.read(info)
                for info in archive.infolist()
                if not info.is_dir()
                and ".." not in info.filename
                and not info.filename.startswith("/")
            }

    @property
    def max_score(self) -> Decimal:
        return sum((Decimal(str(b.value["points"])) for b in self.questions), Decimal(0))


class AttemptPolicy(models.TextChoices):
    BEST = "best", _("Best attempt counts")
    LAST = "last", _("Last attempt counts")


class CourseAssessment(Orderable):
    """An assessment that counts towards a course grade, with its weight and pass mark."""

    course = ParentalKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="graded_assessments"
    )
    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.PROTECT, related_name="+"
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal(0))],
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        null=True,
        blank=True,
        validators=PERCENT_VALIDATORS,
        help_text=_("Leave empty to use the assessment's own pass mark."),
    )
    required = models.BooleanField(
        _("must pass"), default=True, help_text=_("The course completes only once this is passed.")
    )

    panels = [
        FieldPanel("assessment"),
        FieldPanel("weight"),
        FieldPanel("pass_mark"),
        FieldPanel("required"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("graded assessment")
        constraints = [
            models.UniqueConstraint(fields=["course", "assessment"], name="course_assessment_once")
        ]

    def __str__(self) -> str:
        return f"{self.assessment} × {self.weight}"

    @property
    def effective_pass_mark(self) -> int:
        return self.assessment.pass_mark if self.pass_mark is None else self.pass_mark


class Attempt(models.Model):
    """A learner's try at an assessment. Answers are saved as they go; once submitted the
    attempt is graded and its score and results never change (a regrade adds a new result)."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")
        GRADING = "grading", _("Grading")
        GRADED = "graded", _("Graded")

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="attempts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts"
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.PROTECT,
        related_name="attempts",
        help_text=_("The source course the attempt was taken in."),
    )
    lesson = models.ForeignKey(
        "courses.LessonPage",
        verbose_name=_("lesson"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The lesson page the attempt was started from, to lead the learner on."),
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IN_PROGRESS
    )
    questions = models.JSONField(
        _("questions as taken"),
        default=list,
        help_text=_("The questions in the order shown, frozen when the attempt started."),
    )
    answers = models.JSONField(_("answers"), default=dict)
    results = models.JSONField(_("results"), default=dict)
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=2, null=True)
    max_score = models.DecimalField(_("max score"), max_digits=8, decimal_places=2, null=True)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    graded_at = models.DateTimeField(_("graded"), null=True, blank=True)
    timed_out = models.BooleanField(_("closed at the time limit"), default=False)
    submission = models.FileField(
        _("submitted notebook"), upload_to="submissions/%Y/%m/", blank=True, storage=private_storage
    )
    submission_sha256 = models.CharField(max_length=64, blank=True)
    # Lateness, judged once when the work was accepted (see assessments.lateness): the due
    # date it was held to, started days late and the percent taken off. ``score`` is what
    # counts; ``score_before_penalty`` keeps the original.
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    days_late = models.PositiveSmallIntegerField(_("days late"), default=0)
    late_penalty = models.DecimalField(
        _("late penalty (%)"), max_digits=5, decimal_places=2, default=Decimal(0)
    )
    score_before_penalty = models.DecimalField(
        _("score before the late penalty"), max_digits=8, decimal_places=2, null=True
    )

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        ordering = ["assessment", "user", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "user", "course", "number"], name="attempt_number_once"
            ),
            models.UniqueConstraint(
                fields=["assessment", "user", "course"],
                condition=Q(status="in_progress"),
                name="attempt_one_open",
            ),
        ]
        indexes = [models.Index(fields=["course", "assessment", "status"])]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.assessment_id} · #{self.number} · {self.status}"

    @property
    def percent(self) -> float | None:
        if self.score is None or not self.max_score:
            return None if self.score is None else 100.0
        return float(self.score / self.max_score * 100)


class GradingResult(models.Model):
    """One grading run of a notebook submission. A regrade adds a new result; the attempt
    shows the newest finished one, and older ones are kept."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Graded")
        FAILED = "failed", _("Could not be graded")

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="gradings")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    score = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    max_score = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    cells = models.JSONField(default=list)
    duration_s = models.FloatField(null=True)
    limits_hit = models.JSONField(default=list)
    error = models.CharField(max_length=500, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["attempt", "-created_at"]

    def __str__(self) -> str:
        return f"{self.attempt_id} · {self.status}"


# --- Due dates, late policies and extensions ------------------------------------------------


class DueDate(Orderable):
    """When one assessment is due for a course run (cohort), and what happens after.

    Late policy (see ``assessments.lateness``): accept with a penalty (per started day or
    flat, capped), accept until a hard cut-off, or refuse once due. Checked when saved: a new
    due date is in the future, within the run, and the assessment belongs to its course.
    """

    class Policy(models.TextChoices):
        PENALTY = "penalty", _("Accept late work with a penalty")
        CUTOFF = "cutoff", _("Accept late work until a hard cut-off")
        REFUSE = "refuse", _("Refuse late work")

    class PenaltyKind(models.TextChoices):
        PER_DAY = "per_day", _("Percent per started day late")
        FLAT = "flat", _("Flat percent, once")

    cohort = ParentalKey(
        "learning.Cohort",
        verbose_name=_("course run (cohort)"),
        on_delete=models.CASCADE,
        related_name="due_dates",
    )
    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.PROTECT, related_name="+"
    )
    due_at = models.DateTimeField(_("due"))
    policy = models.CharField(
        _("late work"), max_length=10, choices=Policy.choices, default=Policy.PENALTY
    )
    penalty_kind = models.CharField(
        _("penalty"), max_length=10, choices=PenaltyKind.choices, default=PenaltyKind.PER_DAY
    )
    penalty_percent = models.DecimalField(
        _("penalty (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(10),
        validators=PERCENT_VALIDATORS,
    )
    penalty_cap = models.DecimalField(
        _("largest penalty (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(50),
        validators=PERCENT_VALIDATORS,
    )
    cutoff_at = models.DateTimeField(
        _("hard cut-off"),
        null=True,
        blank=True,
        help_text=_("With “until a hard cut-off”: nothing is accepted after this moment."),
    )

    panels = [
        FieldPanel("assessment"),
        FieldPanel("due_at"),
        FieldPanel("policy"),
        FieldPanel("penalty_kind"),
        FieldPanel("penalty_percent"),
        FieldPanel("penalty_cap"),
        FieldPanel("cutoff_at"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("due date")
        verbose_name_plural = _("due dates")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "assessment"], name="due_date_once_per_run")
        ]
        indexes = [models.Index(fields=["assessment", "due_at"])]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.due_at:%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        try:
            cohort = self.cohort
        except ObjectDoesNotExist:
            cohort = None
        if self.due_at:
            if self._state.adding and self.due_at <= timezone.now():
                errors["due_at"] = _("A new due date must be in the future.")
            elif (
                cohort is not None
                and cohort.ends_on
                and timezone.localdate(self.due_at) > cohort.ends_on
            ):
                errors["due_at"] = _(
                    "The due date is after the end of the course run (%(end)s)."
                ) % {"end": cohort.ends_on.isoformat()}
        if (
            cohort is not None
            and self.assessment_id
            and not CourseAssessment.objects.filter(
                course_id=cohort.course_id, assessment_id=self.assessment_id
            ).exists()
        ):
            errors["assessment"] = _("This assessment is not graded in the run's course.")
        if self.policy == self.Policy.CUTOFF:
            if self.cutoff_at is None:
                errors["cutoff_at"] = _("Give the hard cut-off for this late policy.")
            elif self.due_at and self.cutoff_at < self.due_at:
                errors["cutoff_at"] = _("The hard cut-off cannot be before the due date.")
        if self.penalty_cap is not None and self.penalty_cap < 0:
            errors["penalty_cap"] = _("The largest penalty cannot be negative.")
        if errors:
            raise ValidationError(errors)

    def rule(self):
        """This due date as a late rule (``assessments.lateness``)."""
        return LateRule(
            due_at=self.due_at,
            policy=self.policy,
            penalty_kind=self.penalty_kind,
            percent=self.penalty_percent,
            cap=self.penalty_cap,
            cutoff_at=self.cutoff_at if self.policy == self.Policy.CUTOFF else None,
        )


class Extension(models.Model):
    """A later due date for one learner, granted by an instructor with a reason.

    Rows are never edited: a new grant for the same learner and due date supersedes the
    earlier one, which stays as the record of what was granted, by whom and why.
    """

    due_date = models.ForeignKey(
        DueDate, verbose_name=_("due date"), on_delete=models.CASCADE, related_name="extensions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="extensions",
    )
    due_at = models.DateTimeField(_("new due date"))
    reason = models.TextField(_("reason"), max_length=1000)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        ordering = ["-granted_at", "-pk"]
        indexes = [models.Index(fields=["user", "due_date", "-granted_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.due_date} → {self.due_at:%Y-%m-%d %H:%M}"


class CalendarFeed(models.Model):
    """A learner's secret iCalendar address. Only the token's SHA-256 is kept; a new address
    revokes the earlier one, and a revoked one answers 404."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.user_id} · {'revoked' if self.revoked_at else 'active'}"
