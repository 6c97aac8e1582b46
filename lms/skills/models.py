"""Skills from the ESCO taxonomy, digital-creator roles, and what learners say and show.

ESCO — European Skills, Competences, Qualifications and Occupations, © European Union,
reused with acknowledgement (Commission Decision 2011/833/EU). `build_taxonomy` loads it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, RevisionMixin
from wagtail.search import index

SKILL_LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]
PROJECT_SKILL_PREFIX = "https://dasi.invalid/skill/"


def _korean() -> bool:
    return (get_language() or "ko").startswith("ko")


class SkillGroup(models.Model):
    """A node of ESCO's skills-pillar hierarchy (e.g. S5.6.1 "using digital tools …")."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    label = models.CharField(_("label"), max_length=255)
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("skill group")
        verbose_name_plural = _("skill groups")

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class Skill(index.Indexed, models.Model):
    """One ESCO skill or knowledge concept, or a project skill ESCO lacks.

    A project skill (URI under PROJECT_SKILL_PREFIX) links to its nearest ESCO skill with a
    SKOS mapping relation, so reports can roll it up.
    """

    class Kind(models.TextChoices):
        SKILL = "skill", _("Skill")
        KNOWLEDGE = "knowledge", _("Knowledge")
        TRANSVERSAL = "transversal", _("Transversal skill")
        LANGUAGE = "language", _("Language")
        ATTITUDE = "attitude", _("Attitude")
        PROJECT = "project", _("Project skill")

    esco_uri = models.URLField(_("ESCO URI"), max_length=255, unique=True)
    label_en = models.CharField(_("label (English)"), max_length=255)
    label_ko = models.CharField(_("label (Korean)"), max_length=255, blank=True)
    label_ko_provenance = models.CharField(
        _("Korean label: translated by"),
        max_length=255,
        blank=True,
        help_text=_("Who translated the Korean label, and whether a native speaker reviewed it."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SKILL)
    description = models.TextField(_("description"), blank=True)
    group = models.ForeignKey(
        SkillGroup,
        verbose_name=_("group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="skills",
    )
    nearest_esco = models.ForeignKey(
        "self",
        verbose_name=_("nearest ESCO skill"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("For project skills: the ESCO skill this one maps to."),
    )
    esco_match = models.CharField(
        _("mapping relation"),
        max_length=20,
        blank=True,
        help_text=_("SKOS relation to the nearest ESCO skill, e.g. broadMatch."),
    )

    search_fields = [
        index.SearchField("label_en"),
        index.SearchField("label_ko"),
        index.AutocompleteField("label_en"),
        index.AutocompleteField("label_ko"),
    ]
    panels = [
        FieldPanel("label_en"),
        FieldPanel("label_ko"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("esco_uri", read_only=True), FieldPanel("kind", read_only=True)],
            heading=_("Taxonomy"),
        ),
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
        if _korean() and self.label_ko:
            return self.label_ko
        return self.label_en

    @property
    def is_project_skill(self) -> bool:
        return self.esco_uri.startswith(PROJECT_SKILL_PREFIX)


class SkillLabel(models.Model):
    """An alternative label of a skill (ESCO altLabel, or a project synonym)."""

    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="alt_labels")
    text = models.CharField(_("label"), max_length=255)
    language = models.CharField(_("language"), max_length=8, default="en")
    provenance = models.CharField(_("source"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("alternative label")
        verbose_name_plural = _("alternative labels")
        constraints = [
            models.UniqueConstraint(fields=["skill", "text"], name="skilllabel_once_per_skill")
        ]

    def __str__(self) -> str:
        return self.text


class SkillEvidence(models.Model):
    """One observation that a learner showed a skill at a level: a graded quiz question, a
    notebook cell, a completed course, a self-assessment. Written once and kept."""

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


class Role(RevisionMixin, index.Indexed, ClusterableModel):
    """A digital-creator role a learner can aim for, with weighted skill requirements.

    Loaded from the reviewed files in `lms/skills/data/roles/`; edits in the admin are kept
    as revisions. `data_version` is the version of the file it was last loaded from.
    """

    slug = models.SlugField(_("slug"), unique=True, max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ko = models.CharField(_("name (Korean)"), max_length=120)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_ko = models.TextField(_("description (Korean)"), blank=True)
    esco_occupation_uri = models.URLField(
        _("ESCO occupation"),
        max_length=255,
        blank=True,
        help_text=_("The ESCO occupation the profile was drawn from; empty where none exists."),
    )
    source_note = models.TextField(_("source (English)"), blank=True)
    source_note_ko = models.TextField(_("source (Korean)"), blank=True)
    data_version = models.PositiveIntegerField(_("data file version"), default=1)
    is_active = models.BooleanField(_("shown to learners"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("name_ko"), FieldPanel("name_en"), FieldPanel("slug")],
            heading=_("Name"),
        ),
        FieldPanel("description_ko"),
        FieldPanel("description_en"),
        MultiFieldPanel(
            [
                FieldPanel("esco_occupation_uri"),
                FieldPanel("source_note_ko"),
                FieldPanel("source_note"),
                FieldPanel("is_active"),
            ],
            heading=_("Source"),
        ),
        InlinePanel("requirements", heading=_("Required skills"), label=_("Required skill")),
    ]
    search_fields = [
        index.SearchField("name_en"),
        index.SearchField("name_ko"),
        index.AutocompleteField("name_en"),
        index.AutocompleteField("name_ko"),
    ]

    class Meta:
        ordering = ["slug"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_ko if _korean() and self.name_ko else self.name_en

    @property
    def description(self) -> str:
        return self.description_ko if _korean() and self.description_ko else self.description_en

    @property
    def source(self) -> str:
        """Where the profile comes from, in the active language."""
        return self.source_note_ko if _korean() and self.source_note_ko else self.source_note


class RoleSkill(Orderable):
    """A skill a role requires: the level (1–5) and how much it matters (0 < weight ≤ 1)."""

    role = ParentalKey(Role, on_delete=models.CASCADE, related_name="requirements")
    skill = models.ForeignKey(
        Skill, verbose_name=_("skill"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField(
        _("required level"), default=2, validators=SKILL_LEVEL_VALIDATORS
    )
    weight = models.FloatField(
        _("weight"),
        default=1.0,
        validators=[MinValueValidator(0.05), MaxValueValidator(1.0)],
        help_text=_("How much this skill matters for the role, from 0.05 to 1."),
    )

    panels = [FieldPanel("skill"), FieldPanel("level"), FieldPanel("weight")]

    class Meta(Orderable.Meta):
        verbose_name = _("required skill")
        verbose_name_plural = _("required skills")
        constraints = [
            models.UniqueConstraint(fields=["role", "skill"], name="roleskill_once_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.skill} ≥ {self.level} (×{self.weight:g})"


class LearnerGoal(models.Model):
    """The role a learner has chosen to work towards (one at a time)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="skill_goal"
    )
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="+")
    set_at = models.DateTimeField(_("set"), auto_now=True)

    class Meta:
        verbose_name = _("goal role")
        verbose_name_plural = _("goal roles")

    def __str__(self) -> str:
        return f"{self.user} → {self.role}"


class TextClaim(models.Model):
    """A phrase of a learner's CV or goal text and the skill it was matched to, if any.

    Unmatched phrases are kept (skill empty) with suggestions, so nothing the learner wrote
    is silently dropped. A new CV replaces the previous one's claims. A matched phrase is a
    *suggestion* until the learner or a counsellor of their centre confirms it; only
    confirmed claims count as evidence.
    """

    class Status(models.TextChoices):
        SUGGESTED = "suggested", _("Suggested, not yet checked")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    class Source(models.TextChoices):
        PASTED = "pasted", _("Pasted text")
        PDF = "pdf", _("PDF file")
        DOCX = "docx", _("Word file (DOCX)")

    class Method(models.TextChoices):
        LABEL = "label", _("Exact label")
        TFIDF = "tfidf", _("Similar spelling")
        EMBEDDING = "embedding", _("Similar meaning")
        NONE = "none", _("Not matched")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="skill_claims"
    )
    phrase = models.CharField(_("phrase"), max_length=500)
    skill = models.ForeignKey(
        Skill, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    method = models.CharField(_("matched by"), max_length=20, choices=Method.choices)
    score = models.FloatField(_("similarity"), default=0.0)
    suggestions = models.JSONField(_("suggestions"), default=list, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.PASTED
    )
    document_name = models.CharField(_("file name"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUGGESTED
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("checked"), null=True, blank=True)

    class Meta:
        verbose_name = _("CV phrase")
        verbose_name_plural = _("CV phrases")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.phrase} → {self.skill_id or '—'}"


class JobPosting(models.Model):
    """A local job posting a centre pasted, read for the skills employers ask for.

    Every matched phrase is kept as a `PostingSkill`; the role explorer counts, per skill,
    how many of the centre's postings ask for it.
    """

    centre = models.ForeignKey(
        "hub_sites.Centre", on_delete=models.CASCADE, related_name="job_postings"
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("job posting")
        verbose_name_plural = _("job postings")
        ordering = ["-added_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class PostingSkill(models.Model):
    """A skill a job posting asks for, with the phrase that says so."""

    posting = models.ForeignKey(JobPosting, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="+")
    phrase = models.CharField(_("phrase"), max_length=500)
    score = models.FloatField(_("similarity"), default=0.0)

    class Meta:
        verbose_name = _("skill asked for")
        verbose_name_plural = _("skills asked for")
        constraints = [
            models.UniqueConstraint(fields=["posting", "skill"], name="postingskill_once")
        ]

    def __str__(self) -> str:
        return f"{self.posting_id} → {self.skill_id}"
