"""Skills from the ESCO taxonomy that courses teach and learners build up."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wagtail.search import index

SKILL_LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class Skill(index.Indexed, models.Model):
    """One ESCO skill or knowledge concept, labelled in Korean and English.

    ESCO — European Commission, reused with acknowledgement. The recommender extends this
    model with the taxonomy's alternative labels and hierarchy.
    """

    esco_uri = models.URLField(_("ESCO URI"), max_length=255, unique=True)
    label_en = models.CharField(_("label (English)"), max_length=255)
    label_ko = models.CharField(_("label (Korean)"), max_length=255, blank=True)

    search_fields = [
        index.SearchField("label_en"),
        index.SearchField("label_ko"),
        index.AutocompleteField("label_en"),
        index.AutocompleteField("label_ko"),
    ]

    class Meta:
        ordering = ["label_en"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The label in the active language, falling back to English."""
        if (get_language() or "ko").startswith("ko") and self.label_ko:
            return self.label_ko
        return self.label_en


class SkillEvidence(models.Model):
    """One observation that a learner showed a skill at a level: a graded quiz question, a
    notebook cell, a completed course. Written once and kept; the recommender reads it."""

    class Source(models.TextChoices):
        QUIZ_QUESTION = "quiz_question", _("Quiz question")
        NOTEBOOK_CELL = "notebook_cell", _("Notebook cell")
        COURSE_COMPLETION = "course_completion", _("Completed course")
        SELF_ASSESSMENT = "self_assessment", _("Self-assessment")

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="skill_evidence"
    )
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="evidence")
    level = models.PositiveSmallIntegerField(_("level"), validators=SKILL_LEVEL_VALIDATORS)
    score = models.FloatField(
        _("score"),
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=_("Share of the item's points earned, 0–1."),
    )
    source_type = models.CharField(_("source"), max_length=30, choices=Source.choices)
    source_id = models.CharField(_("source id"), max_length=120)
    source_label = models.CharField(_("source label"), max_length=255, blank=True)
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("skill evidence")
        verbose_name_plural = _("skill evidence")
        ordering = ["-recorded_at"]
        indexes = [models.Index(fields=["user", "skill"])]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.skill_id} · L{self.level} · {self.score:.2f}"
