"""Course catalogue pages: CourseIndexPage → CoursePage → LessonPage."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from lms.caching import AnonymousPageCacheMixin, CachedViewRestrictionsMixin
from lms.pages import HookedContextMixin
from lms.skills.models import SKILL_LEVEL_VALIDATORS

from .blocks import LessonStreamBlock


class CourseIndexPage(
    CachedViewRestrictionsMixin, AnonymousPageCacheMixin, HookedContextMixin, Page
):
    """The catalogue section of a centre's site; holds its courses and the ones it offers.

    Its context gets `courses`, the catalogue, from courses' own `wagtail_hooks`.
    """

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["hub_sites.CentreHomePage"]
    subpage_types = ["courses.CoursePage"]

    context_hook = "course_index_page_context"

    class Meta:
        verbose_name = _("course catalogue")


class CourseLevel(models.TextChoices):
    BEGINNER = "beginner", _("Beginner")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class CoursePage(CachedViewRestrictionsMixin, HookedContextMixin, Page):
    """A course: summary, level, effort, prerequisites and the skills it builds.

    Lessons are its children, in tree order. A course offered by another centre is a
    Wagtail alias of this page; enrolments always point at the source page. The learner's
    outline and progress come from learning's `wagtail_hooks`.
    """

    summary = models.TextField(_("summary"), max_length=600)
    description = RichTextField(
        _("description"), blank=True, features=["bold", "italic", "link", "ol", "ul", "h3"]
    )
    level = models.CharField(
        _("level"), max_length=20, choices=CourseLevel.choices, default=CourseLevel.BEGINNER
    )
    estimated_hours = models.PositiveSmallIntegerField(
        _("estimated hours"), default=1, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("course pass mark (%)"),
        default=60,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("The weighted course grade a learner needs to complete the course."),
    )
    attempt_policy = models.CharField(
        _("which attempt counts"),
        max_length=10,
        choices=[("best", _("Best attempt")), ("last", _("Last attempt"))],
        default="best",
    )
    prerequisites = ParentalManyToManyField(
        "courses.CoursePage",
        verbose_name=_("prerequisite courses"),
        blank=True,
        related_name="required_by",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("level"), FieldPanel("estimated_hours"), FieldPanel("prerequisites")],
            heading=_("Course facts"),
        ),
        InlinePanel("skill_outcomes", heading=_("Skill outcomes"), label=_("Skill outcome")),
        MultiFieldPanel(
            [
                FieldPanel("pass_mark"),
                FieldPanel("attempt_policy"),
                InlinePanel("graded_assessments", label=_("Graded assessment")),
            ],
            heading=_("Grading policy"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("description"),
        index.FilterField("level"),
    ]

    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage"]

    context_hook = "course_page_context"

    class Meta:
        verbose_name = _("course")


class CourseSkillOutcome(Orderable):
    """A skill a course builds, and the level (1–5) a learner reaches by completing it."""

    course = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="skill_outcomes")
    skill = models.ForeignKey(
        "skills.Skill", verbose_name=_("skill"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField(
        _("level"), default=1, validators=SKILL_LEVEL_VALIDATORS
    )

    panels = [FieldPanel("skill"), FieldPanel("level")]

    class Meta(Orderable.Meta):
        verbose_name = _("skill outcome")
        constraints = [
            models.UniqueConstraint(fields=["course", "skill"], name="course_skill_once")
        ]

    def __str__(self) -> str:
        return f"{self.skill} ({self.level})"


class LessonPage(CachedViewRestrictionsMixin, AnonymousPageCacheMixin, HookedContextMixin, Page):
    """A lesson: a body of text, media, code and callouts, read in order within its course.

    Learning's `wagtail_hooks` add the learner's place in the course to its context, and
    record the visit before an enrolled learner is served the page.
    """

    intro = models.CharField(_("introduction"), max_length=300, blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"), default=20, validators=[MinValueValidator(1)]
    )
    required = models.BooleanField(
        _("required"), default=True, help_text=_("The course completes only once this is done.")
    )
    body = StreamField(LessonStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("estimated_minutes"),
        FieldPanel("required"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    context_hook = "lesson_page_context"

    class Meta:
        verbose_name = _("lesson")


class PublishedVersion(models.Model):
    """One counter for everything visitors of the sites share: the published page tree, the
    sites and their settings, view restrictions and the snippets lessons show.

    Every change to those bumps it in the same transaction, so a cache key that holds it is
    retired in every process at once, whatever the cache backend (a per-process memory
    cache included): a request reads the counter (one query by primary key), never trusts
    a process-local invalidation.
    """

    value = models.PositiveBigIntegerField(default=1)

    class Meta:
        verbose_name = _("published version")

    def __str__(self) -> str:
        return str(self.value)
