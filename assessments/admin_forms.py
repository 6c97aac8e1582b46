"""Admin forms: assessments, course runs and extensions offer only the centres (and their
courses, learners and assessments) the author works for."""

from __future__ import annotations

import io
import zipfile

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.forms import WagtailAdminModelForm

from hub_sites.models import Centre
from lms.accounts.models import Role, User
from lms.accounts.selectors import centres_where
from lms.learning.models import Enrolment
from lms.learning.services import cohort_learners_set

from .deadlines import cohorts_for_staff, local_text
from .grader import NotebookError, SandboxUnavailable
from .grader.check import check_source
from .models import Assessment, CourseAssessment, DueDate
from .selectors import gradebook_courses

AUTHOR_ROLES = [Role.INSTRUCTOR, Role.CENTRE_ADMIN]


class AssessmentForm(WagtailAdminModelForm):
    """Checks what makes an assessment usable: a quiz has questions; a notebook exercise has a
    source notebook that is valid and passes its own tests in the sandbox."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and "centre" in self.fields:
            centres = centres_where(user=self.for_user, roles=AUTHOR_ROLES)
            self.fields["centre"].queryset = centres
            if not self.instance.pk and centres.count() == 1:
                self.fields["centre"].initial = centres.first().pk

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == "quiz" and not cleaned.get("questions"):
            self.add_error("questions", _("A quiz needs at least one question."))
        if kind == "notebook":
            self._clean_notebook(cleaned)
        return cleaned

    def _clean_notebook(self, cleaned) -> None:
        upload = cleaned.get("notebook_source")
        if not upload:
            self.add_error("notebook_source", _("Upload the exercise's source notebook."))
            return
        upload.seek(0)
        source = upload.read()
        upload.seek(0)
        data_files = {}
        archive = cleaned.get("notebook_data")
        if archive:
            archive.seek(0)
            try:
                with zipfile.ZipFile(io.BytesIO(archive.read())) as zipped:
                    data_files = {
                        i.filename: zipped.read(i) for i in zipped.infolist() if not i.is_dir()
                    }
            except zipfile.BadZipFile:
                self.add_error("notebook_data", _("The data files must be a zip archive."))
                return
            finally:
                archive.seek(0)
        try:
            report = check_source(source, data_files=data_files)
        except NotebookError as exc:
            self.add_error("notebook_source", str(exc))
            return
        except SandboxUnavailable as exc:
            self.add_error(
                "notebook_source",
                _("The grading sandbox is not available: %(error)s") % {"error": exc},
            )
            return
        for problem in report.problems:
            self.add_error("notebook_source", problem)


class CohortForm(WagtailAdminModelForm):
    """A course run: centre and course among those the author works for, its learners (the
    course's enrolments at that centre) and its due dates (assessments graded in the course)."""

    learners = forms.ModelMultipleChoiceField(
        label=gettext_lazy("learners"),
        queryset=Enrolment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "The course's learners at this centre; a new enrolment joins the run going on."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        centres = centres_where(user=user, roles=AUTHOR_ROLES) if user else Centre.objects.none()
        if "centre" in self.fields:
            self.fields["centre"].queryset = centres
            if not self.instance.pk and centres.count() == 1:
                self.fields["centre"].initial = centres.first().pk
        if "course" in self.fields:
            self.fields["course"].queryset = gradebook_courses(
                centres=None if user and user.is_superuser else list(centres)
            )
        if self.instance.pk:
            self.fields["learners"].queryset = Enrolment.objects.filter(
                course_id=self.instance.course_id, centre_id=self.instance.centre_id
            ).select_related("user")
            self.fields["learners"].initial = list(
                self.instance.enrolments.values_list("pk", flat=True)
            )
            self.fields["learners"].label_from_instance = lambda e: (
                f"{e.user.get_full_name() or e.user.username} ({e.user.username})"
            )
        else:
            self.fields["learners"].widget = forms.MultipleHiddenInput()
        if user and user.is_superuser:
            scoped = Assessment.objects.all()
        else:
            scoped = Assessment.objects.filter(centre__in=centres)
        formset = self.formsets.get("due_dates")
        if formset is not None:
            for form in [*formset.forms, formset.empty_form]:
                if "assessment" in form.fields:
                    form.fields["assessment"].queryset = scoped

    def clean(self):
        cleaned = super().clean()
        centre, course = cleaned.get("centre"), cleaned.get("course")
        if centre and course and not gradebook_courses(centres=[centre]).filter(pk=course.pk):
            self.add_error(
                "course", _("%(centre)s does not offer this course.") % {"centre": centre}
            )
        if (
            self.instance.pk
            and (centre != self.instance.centre or course != self.instance.course)
            and self.instance.enrolments.exists()
        ):
            self.add_error(
                None, _("A run with learners keeps its centre and course; start a new run.")
            )
        self._clean_due_dates(ends_on=cleaned.get("ends_on"), course=course)
        return cleaned

    def _clean_due_dates(self, *, ends_on, course) -> None:
        """Each due date within the run and of an assessment graded in its course (the run's
        new dates and course are not on the due dates' instances yet)."""
        formset = self.formsets.get("due_dates")
        if formset is None:
            return
        for form in formset.forms:
            if not form.is_valid() or form.cleaned_data.get("DELETE"):
                continue
            due_at, assessment = (
                form.cleaned_data.get("due_at"),
                form.cleaned_data.get("assessment"),
            )
            if ends_on and due_at and timezone.localdate(due_at) > ends_on:
                form.add_error(
                    "due_at",
                    _("The due date is after the end of the course run (%(end)s).")
                    % {"end": ends_on.isoformat()},
                )
            if (
                course
                and assessment
                and not CourseAssessment.objects.filter(
                    course=course, assessment=assessment
                ).exists()
            ):
                form.add_error(
                    "assessment", _("This assessment is not graded in the run's course.")
                )

    def save(self, commit=True):
        cohort = super().save(commit=commit)
        if commit and self.instance.pk and "learners" in self.changed_data:
            cohort_learners_set(cohort=cohort, enrolments=list(self.cleaned_data["learners"]))
        return cohort


def _local_datetime_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ExtensionForm(forms.Form):
    """Grant one learner of a course run a later due date (the due date and the learner are
    chosen among the granter's centres' runs; the service checks the rest)."""

    due_date = forms.ModelChoiceField(
        label=gettext_lazy("due date"), queryset=DueDate.objects.none()
    )
    learner = forms.ModelChoiceField(label=gettext_lazy("learner"), queryset=User.objects.none())
    due_at = forms.DateTimeField(label=gettext_lazy("new due date"), widget=_local_datetime_input())
    reason = forms.CharField(
        label=gettext_lazy("reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        cohorts = cohorts_for_staff(user=user)
        self.fields["due_date"].queryset = (
            DueDate.objects.filter(cohort__in=cohorts)
            .select_related("assessment", "cohort")
            .order_by("due_at")
        )
        self.fields["due_date"].label_from_instance = lambda d: (
            f"{d.cohort.title} · {d.assessment.title} · {local_text(d.due_at)}"
        )
        self.fields["learner"].queryset = (
            User.objects.filter(enrolments__cohort__in=cohorts).distinct().order_by("username")
        )
        self.fields["learner"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username} ({u.username})"
        )
