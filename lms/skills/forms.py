"""Forms of the learner's skill pages."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Role, Skill

LEVEL_NAMES = {
    0: _("Not yet"),
    1: _("1 · Aware of it"),
    2: _("2 · Basic, with help"),
    3: _("3 · Independent at work"),
    4: _("4 · Advanced"),
    5: _("5 · Expert, teaches others"),
}


class GoalForm(forms.Form):
    role = forms.ModelChoiceField(
        queryset=Role.objects.filter(is_active=True),
        to_field_name="slug",
        label=_("Goal role"),
    )


class CVForm(forms.Form):
    text = forms.CharField(
        label=_("Your CV or a description of your experience"),
        widget=forms.Textarea(attrs={"rows": 12, "aria-describedby": "cv-help"}),
        max_length=20_000,
        help_text=_(
            "One skill, tool or task per line works best. Text can raise a skill to level 2 "
            "at most; assessments and courses count for more."
        ),
    )


class SelfAssessmentForm(forms.Form):
    """One 0–5 choice per skill; 0 leaves the skill unrated."""

    def __init__(self, *args, skills: Iterable[Skill], initial_levels: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.skills = list(skills)
        for skill in self.skills:
            self.fields[f"skill_{skill.pk}"] = forms.TypedChoiceField(
                label=skill.label,
                choices=list(LEVEL_NAMES.items()),
                coerce=int,
                initial=initial_levels.get(skill.pk, 0),
                required=False,
                empty_value=0,
            )

    def ratings(self) -> list[tuple[Skill, int]]:
        """(skill, level) for every skill rated 1–5 whose rating changed."""
        out = []
        for skill in self.skills:
            level = self.cleaned_data.get(f"skill_{skill.pk}") or 0
            if level and level != self.fields[f"skill_{skill.pk}"].initial:
                out.append((skill, level))
        return out
