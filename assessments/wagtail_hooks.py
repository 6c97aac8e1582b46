"""Admin: the assessment library (per centre) and the course gradebooks."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
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

from . import views
from .admin_forms import AssessmentForm
from .models import Assessment
from .permissions import AUTHOR_ROLES, CentreAssessmentPermissionPolicy
from .selectors import dashboard_grades, grade_completion_status

policy = CentreAssessmentPermissionPolicy(Assessment)
register_permission_policy(Assessment, policy)


class ScopedQuerysetMixin:
    def get_queryset(self):
        return policy.instances_user_has_any_permission_for(self.request.user, ["change"])


class AssessmentIndexView(IndexView):
    def get_base_queryset(self):
        return policy.instances_user_has_any_permission_for(self.request.user, ["view"])


class AssessmentEditView(ScopedQuerysetMixin, EditView):
    pass


class AssessmentDeleteView(ScopedQuerysetMixin, DeleteView):
    pass


class ScopedObjectMixin:
    """Per-object pages find only assessments of the viewer's centres (Wagtail's own look the
    pk up in every centre's library)."""

    def get_base_object_queryset(self):
        return policy.instances_user_has_any_permission_for(self.request.user, ["view"])


class AssessmentUsageView(ScopedObjectMixin, UsageView):
    pass


class AssessmentHistoryView(ScopedObjectMixin, HistoryView):
    pass


class ScopedChooserMixin:
    def get_object_list(self):
        return policy.instances_user_has_any_permission_for(self.request.user, ["view"])


class AssessmentChooseView(ScopedChooserMixin, ChooseView):
    pass


class AssessmentChooseResultsView(ScopedChooserMixin, ChooseResultsView):
    pass


class AssessmentChosenView(SnippetChosenView):
    def get_object(self, pk):
        return policy.instances_user_has_any_permission_for(self.request.user, ["view"]).get(pk=pk)


class AssessmentChosenMultipleView(SnippetChosenMultipleView):
    def get_objects(self, pks):
        scoped = policy.instances_user_has_any_permission_for(self.request.user, ["view"])
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


# A course completes only once its graded assessments allow it (see
# lms.learning.services.completion_status).
hooks.register("course_completion_status", grade_completion_status)
# "My learning" shows each course's grade so far and what is still due.
hooks.register("learning_dashboard_rows", dashboard_grades)
