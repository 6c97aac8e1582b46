"""The counsellor cockpit's records: caseloads, agreed plans, private notes and the access log.

Every row belongs to one centre and is only ever read through that centre's scope. Plans and
notes are written once and kept: a new plan is a new row, and a note edited after its first
24 hours keeps the text it replaced as a version.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# A note may be corrected in place this long after it was written; later edits keep versions.
NOTE_EDIT_WINDOW = timedelta(hours=24)


class CaseloadAssignment(models.Model):
    """A learner of a centre followed by one of its counsellors (assigned by a centre admin)."""

    centre = models.ForeignKey(
        "hub_sites.Centre", on_delete=models.CASCADE, related_name="caseload_assignments"
    )
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="caseload"
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="counsellor_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("assigned"), auto_now_add=True)

    class Meta:
        verbose_name = _("caseload assignment")
        verbose_name_plural = _("caseload assignments")
        ordering = ["centre", "counsellor", "learner"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "counsellor", "learner"], name="caseload_assignment_once"
            )
        ]
        indexes = [models.Index(fields=["centre", "learner"])]

    def __str__(self) -> str:
        return f"{self.counsellor_id} → {self.learner_id} @ {self.centre_id}"


class LearnerPlan(models.Model):
    """A plan agreed between a learner and the centre: goal role, target date and what was
    agreed. Never updated: saving a plan adds a row, and the newest row is the plan."""

    centre = models.ForeignKey(
        "hub_sites.Centre", on_delete=models.CASCADE, related_name="learner_plans"
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_plans"
    )
    goal_role = models.ForeignKey(
        "skills.Role",
        verbose_name=_("goal role"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    target_date = models.DateField(_("target date"))
    agreed = models.TextField(_("what was agreed"), max_length=4000)
    next_meeting = models.DateField(_("next meeting"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        verbose_name = _("learner plan")
        verbose_name_plural = _("learner plans")
        ordering = ["centre", "learner", "-created_at", "-pk"]
        indexes = [models.Index(fields=["centre", "learner", "created_at"])]

    def __str__(self) -> str:
        return f"{self.learner_id} · {self.target_date}"


class Note(models.Model):
    """A counselling note about a learner, private to the centre's counsellors and admins.

    `text` is the current text. Its author may correct it in place for NOTE_EDIT_WINDOW;
    after that an edit first keeps the replaced text as a NoteVersion. Never deleted.
    """

    centre = models.ForeignKey("hub_sites.Centre", on_delete=models.CASCADE, related_name="notes")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="counselling_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notes_written"
    )
    text = models.TextField(_("note"), max_length=8000)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last edited"), auto_now=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["centre", "learner", "created_at"])]

    def __str__(self) -> str:
        return f"{self.learner_id} · {self.created_at:%Y-%m-%d}"

    @property
    def edit_window_ends(self):
        return self.created_at + NOTE_EDIT_WINDOW


class NoteVersion(models.Model):
    """The text a note had before an edit made after its edit window (kept for good)."""

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="versions")
    text = models.TextField(_("previous text"))
    written_at = models.DateTimeField(_("written"))
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    replaced_at = models.DateTimeField(_("replaced"), auto_now_add=True)

    class Meta:
        verbose_name = _("note version")
        verbose_name_plural = _("note versions")
        ordering = ["note", "-replaced_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.note_id} · {self.written_at:%Y-%m-%d %H:%M}"


class StaffAccessLog(models.Model):
    """One read of a learner's record by a member of staff (or one caseload export)."""

    class What(models.TextChoices):
        OVERVIEW = "overview", _("Learner overview")
        NOTE = "note", _("Note and its history")
        CASELOAD_EXPORT = "caseload_export", _("Caseload export (CSV)")

    centre = models.ForeignKey(
        "hub_sites.Centre", on_delete=models.CASCADE, related_name="staff_access_log"
    )
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="staff_reads",
        help_text=_("Empty for an export of many learners."),
    )
    what = models.CharField(_("what"), max_length=30, choices=What.choices)
    count = models.PositiveIntegerField(_("learners"), default=1)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("staff access")
        verbose_name_plural = _("staff access log")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["centre", "learner", "at"])]

    def __str__(self) -> str:
        return f"{self.viewer_id} read {self.learner_id} ({self.what})"


class LearnerRisk(models.Model):
    """A learner's stored at-risk assessment at a centre, so that a caseload is a read.

    Written only by `services.risk_rows_store`. A row is current when it was computed today
    (`computed_on`, the centre's local day), under the current rules
    (`rules_version` = risk.RULES_VERSION) and at the learner's current `generation`. Every
    event that changes a learner's risk (progress, grading, plans, activity) adds one
    to `generation` (lms.counselling.receivers), the `counselling.risk_refresh` beat task
    computes stale rows again every minute and every row after midnight, and a read that
    meets a stale or missing row computes it then: a caseload never shows an old "no flag".
    """

    class Level(models.TextChoices):
        NONE = "none", _("No flag")
        WATCH = "watch", _("Watch")
        HIGH = "high", _("High")

    centre = models.ForeignKey(
        "hub_sites.Centre", on_delete=models.CASCADE, related_name="learner_risks"
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="risk_rows"
    )
    level = models.CharField(_("risk"), max_length=8, choices=Level.choices, default=Level.NONE)
    score = models.FloatField(_("risk score"), default=0)
    flags = models.JSONField(
        _("flags"), default=list, blank=True, help_text=_("Each flag with what triggered it.")
    )
    usual_gap_days = models.FloatField(null=True, blank=True)
    projected_finish = models.DateField(null=True, blank=True)
    last_active = models.DateField(_("last active"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    computed_on = models.DateField(_("computed for the day"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed"), null=True, blank=True)
    rules_version = models.PositiveSmallIntegerField(default=0)
    # Events add one to `generation`; a computation records the generation it started from.
    generation = models.PositiveIntegerField(default=0)
    computed_generation = models.IntegerField(default=-1)

    class Meta:
        verbose_name = _("learner risk")
        verbose_name_plural = _("learner risks")
        ordering = ["centre", "-score", "learner"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "learner"], name="learner_risk_once")
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} @ {self.centre_id}: {self.level}"
