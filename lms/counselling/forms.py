"""Forms of the counsellor cockpit: caseload filters, notes, plans, assignments, cohorts."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hub_sites.models import Centre
from lms.skills.models import Role as SkillRole

from .models import LearnerPlan, Note
from .selectors import CaseloadFilters, caseload_options, counsellors_of, learners_of


class DateInput(forms.DateInput):
    input_type = "date"


SCOPE_CHOICES = [("mine", _("My caseload")), ("all", _("All learners of the centre"))]
RISK_CHOICES = [
    ("", _("Any")),
    ("flagged", _("Any flag")),
    ("high", _("High")),
    ("watch", _("Watch")),
    ("none", _("No flag")),
]
ACTIVITY_CHOICES = [
    ("", _("Any time")),
    ("7", _("In the last 7 days")),
    ("30", _("In the last 30 days")),
    ("over30", _("More than 30 days ago")),
    ("never", _("Never")),
]
SORT_CHOICES = [
    ("risk", _("Risk, highest first")),
    ("name", _("Name")),
    ("activity", _("Longest without activity")),
    ("progress", _("Least progress")),
]


class CaseloadFilterForm(forms.Form):
    """The caseload's filters, read from the query string; unknown values are errors."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    scope = forms.ChoiceField(label=_("Learners"), choices=SCOPE_CHOICES, required=False)
    course = forms.TypedChoiceField(label=_("Course"), coerce=int, required=False, empty_value=None)
    role = forms.ChoiceField(label=_("Goal role"), required=False)
    risk = forms.ChoiceField(label=_("Risk"), choices=RISK_CHOICES, required=False)
    activity = forms.ChoiceField(label=_("Last activity"), choices=ACTIVITY_CHOICES, required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    def __init__(self, data=None, *, centre: Centre, default_scope: str = "mine", **kwargs):
        super().__init__(data, **kwargs)
        self.default_scope = default_scope
        self.options = options = caseload_options(centre=centre)  # the reads reuse it
        self.fields["course"].choices = [("", _("All courses")), *options["courses"]]
        self.fields["role"].choices = [("", _("Any goal role"))] + [
            (role.slug, role.name) for role in options["roles"]
        ]

    def filters(self) -> CaseloadFilters:
        data = self.cleaned_data
        return CaseloadFilters(
            scope=data.get("scope") or self.default_scope,
            course=data.get("course"),
            role=data.get("role") or "",
            risk=data.get("risk") or "",
            activity=data.get("activity") or "",
            q=data.get("q") or "",
            sort=data.get("sort") or "risk",
        )


class NoteForm(forms.ModelForm):
    class Meta:
        model = Note
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
        labels = {"text": _("Note text")}
        help_texts = {
            "text": _(
                "Seen only by this centre's counsellors and centre admins, never by the "
                "learner. You can correct it for 24 hours; later edits keep the earlier text."
            )
        }


class PlanForm(forms.ModelForm):
    goal_role = forms.ModelChoiceField(
        label=_("Goal role"),
        queryset=SkillRole.objects.filter(is_active=True).order_by("name_ko"),
        required=False,
        to_field_name="slug",
        empty_label=_("— none —"),
    )

    class Meta:
        model = LearnerPlan
        fields = ["goal_role", "target_date", "next_meeting", "agreed"]
        widgets = {
            "target_date": DateInput(),
            "next_meeting": DateInput(),
            "agreed": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "agreed": _("What you and the learner agreed, in words the learner would use."),
            "target_date": _(
                "When the learner aims to be ready; risk compares their pace with it."
            ),
        }


class AssignForm(forms.Form):
    counsellor = forms.ModelChoiceField(label=_("Counsellor"), queryset=None)
    learners = forms.ModelMultipleChoiceField(
        label=_("Learners"),
        queryset=None,
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=_("Hold Ctrl (⌘ on a Mac) to choose several."),
    )

    def __init__(self, *args, centre: Centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counsellor"].queryset = counsellors_of(centre=centre)
        self.fields["learners"].queryset = learners_of(centre=centre).order_by("name", "username")
        self.fields["counsellor"].label_from_instance = lambda u: u.display_name
        self.fields["learners"].label_from_instance = lambda u: f"{u.display_name} ({u.username})"


class CohortForm(forms.Form):
    course = forms.TypedChoiceField(label=_("Course"), coerce=int, required=False, empty_value=None)
    month = forms.DateField(
        label=_("Enrolled in (month)"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    scope = forms.ChoiceField(label=_("Learners"), choices=SCOPE_CHOICES, required=False)

    def __init__(self, data=None, *, centre: Centre, **kwargs):
        super().__init__(data, **kwargs)
        self.options = options = caseload_options(centre=centre)  # the reads reuse it
        self.fields["course"].choices = [("", _("Choose a course")), *options["courses"]]
