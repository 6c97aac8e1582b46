"""Admin: the assessment library and course runs with their due dates (per centre), the
course gradebooks and the extensions granted."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, ObjectList
from wagtail.admin.ui.tables import DateColumn
from wagtail.admin.views.generic.models import DeleteView, EditView, IndexView
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
)
from wagtail.snippets.views.snippets import HistoryView, SnippetViewSet, UsageView

from lms.accounts.selectors import holds_role
from lms.learning.models import Cohort

from . import deadline_views, views
from .admin_forms import AssessmentForm, CohortForm
from .deadlines import dashboard_deadlines
from .models import Assessment
from .permissions import AUTHOR_ROLES, CentreAssessmentPermissionPolicy
from .selectors import dashboard_grades, grade_completion_status

policy = CentreAssessmentPermissionPolicy(Assessment)
register_permission_policy(Assessment, policy)
cohort_policy = CentreAssessmentPermissionPolicy(Cohort)
register_permission_policy(Cohort, cohort_policy)


class ScopedQuerysetMixin:
    scope_policy = policy

    def get_queryset(self):
        return self.scope_policy.instances_user_has_any_permission_for(
            self.request.user, ["change"]
        )


class AssessmentIndexView(IndexView):
    scope_policy = policy

    def get_base_queryset(self):
        return self.scope_policy.instances_user_has_any_permission_for(self.request.user, ["view"])


class AssessmentEditView(ScopedQuerysetMixin, EditView):
    pass


class AssessmentDeleteView(ScopedQuerysetMixin, DeleteView):
    pass


class ScopedObjectMixin:
    """Per-object pages find only assessments of the viewer's centres (Wagtail's own look the
    pk up in every centre's library)."""

    scope_policy = policy

    def get_base_object_queryset(self):
        return self.scope_policy.instances_user_has_any_permission_for(self.request.user, ["view"])


class AssessmentUsageView(ScopedObjectMixin, UsageView):
    pass


class AssessmentHistoryView(ScopedObjectMixin, HistoryView):
    pass


class ScopedChooserMixin:
    scope_policy = policy

    def get_object_list(self):
        return self.scope_policy.instances_user_has_any_permission_for(self.request.user, ["view"])


class AssessmentChooseView(ScopedChooserMixin, ChooseView):
    pass


class AssessmentChooseResultsView(ScopedChooserMixin, ChooseResultsView):
    pass


class AssessmentChosenView(SnippetChosenView):
    scope_policy = policy

    def get_object(self, pk):
        scoped = self.scope_policy.instances_user_has_any_permission_for(
            self.request.user, ["view"]
        )
        return scoped.get(pk=pk)


class AssessmentChosenMultipleView(SnippetChosenMultipleView):
    scope_policy = policy

    def get_objects(self, pks):
        scoped = self.scope_policy.instances_user_has_any_permission_for(
            self.request.user, ["view"]
        )
        return scoped.filter(pk__in=pks)


class AssessmentChooserViewSet(SnippetChooserViewSet):
    choose_view_class = AssessmentChooseView
    choose_results_view_class = AssessmentChooseResultsView
    chosen_view_class = AssessmentChosenView
    chosen_multiple_view_class = AssessmentChosenMultipleView


class AssessmentViewSet(SnippetViewSet):
    model = Assessment
    icon = "help"
    menu_label = _("Assessments")
    menu_order = 240
    add_to_admin_menu = True
    index_view_class = AssessmentIndexView
    edit_view_class = AssessmentEditView
    delete_view_class = AssessmentDeleteView
    usage_view_class = AssessmentUsageView
    history_view_class = AssessmentHistoryView
    chooser_viewset_class = AssessmentChooserViewSet
    edit_handler = ObjectList(Assessment.panels, base_form_class=AssessmentForm)
    list_display = ["title", "kind", "centre", DateColumn("updated_at", label=_("updated"))]
    list_filter = ["kind"]
    search_fields = ["title"]
    search_backend_name = None
    copy_view_enabled = False


register_snippet(AssessmentViewSet)


class CohortIndexView(AssessmentIndexView):
    scope_policy = cohort_policy


class CohortEditView(ScopedQuerysetMixin, EditView):
    scope_policy = cohort_policy


class CohortDeleteView(ScopedQuerysetMixin, DeleteView):
    scope_policy = cohort_policy


class CohortUsageView(ScopedObjectMixin, UsageView):
    scope_policy = cohort_policy


class CohortHistoryView(ScopedObjectMixin, HistoryView):
    scope_policy = cohort_policy


class CohortChooseView(ScopedChooserMixin, ChooseView):
    scope_policy = cohort_policy


class CohortChooseResultsView(ScopedChooserMixin, ChooseResultsView):
    scope_policy = cohort_policy


class CohortChosenView(AssessmentChosenView):
    scope_policy = cohort_policy


class CohortChosenMultipleView(AssessmentChosenMultipleView):
    scope_policy = cohort_policy


class CohortChooserViewSet(SnippetChooserViewSet):
    choose_view_class = CohortChooseView
    choose_results_view_class = CohortChooseResultsView
    chosen_view_class = CohortChosenView
    chosen_multiple_view_class = CohortChosenMultipleView


class CohortViewSet(SnippetViewSet):
    """Course runs of the author's centres, each with its learners and due dates."""

    model = Cohort
    icon = "date"
    menu_label = _("Course runs")
    menu_order = 242
    add_to_admin_menu = True
    index_view_class = CohortIndexView
    edit_view_class = CohortEditView
    delete_view_class = CohortDeleteView
    usage_view_class = CohortUsageView
    history_view_class = CohortHistoryView
    chooser_viewset_class = CohortChooserViewSet
    edit_handler = ObjectList(
        [
            FieldPanel("centre"),
            FieldPanel("course"),
            FieldPanel("title"),
            FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
            FieldPanel("learners"),
            InlinePanel("due_dates", heading=_("Due dates"), label=_("Due date")),
        ],
        base_form_class=CohortForm,
    )
    list_display = ["title", "course", "centre", "starts_on", "ends_on"]
    search_fields = ["title"]
    search_backend_name = None
    copy_view_enabled = False


register_snippet(CohortViewSet)


@hooks.register("register_admin_urls")
def register_gradebook_urls():
    return [
        path("gradebook/", views.gradebook_index, name="assessments_gradebook_index"),
        path("gradebook/<int:course_id>/", views.gradebook, name="assessments_gradebook"),
        path(
            "assessments/<int:assessment_id>/submissions/",
            views.submissions,
            name="assessments_submissions",
        ),
        path("attempts/<int:attempt_id>/regrade/", views.regrade, name="assessments_regrade"),
        path("extensions/", deadline_views.extensions, name="assessments_extensions"),
        path(
            "gradebook/<int:course_id>/export.csv",
            views.gradebook_csv,
            name="assessments_gradebook_csv",
        ),
    ]


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return holds_role(user=request.user, roles=AUTHOR_ROLES)


@hooks.register("register_admin_menu_item")
def register_gradebook_menu_item():
    return StaffMenuItem(
        _("Gradebook"), reverse("assessments_gradebook_index"), icon_name="table", order=245
    )


@hooks.register("register_admin_menu_item")
def register_extensions_menu_item():
    return StaffMenuItem(
        _("Extensions"), reverse("assessments_extensions"), icon_name="time", order=246
    )


# A course completes only once its graded assessments allow it (see
# lms.learning.services.completion_status).
hooks.register("course_completion_status", grade_completion_status)
# "My learning" shows each course's grade so far and what is still due.
hooks.register("learning_dashboard_rows", dashboard_grades)
# ... and the next due dates of the learner's course runs, with what is overdue.
hooks.register("learning_dashboard_context", dashboard_deadlines)
