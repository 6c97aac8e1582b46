"""The admin's start page, per role: instructors see their courses and the grading that needs
them, centre admins their centre's week, counsellors their learners at risk."""

from __future__ import annotations

from django.templatetags.static import static
from django.utils.html import format_html

from wagtail import hooks
from wagtail.admin.ui.components import Component

from lms.accounts.models import Role
from lms.accounts.selectors import holds_role

from . import selectors


class _Panel(Component):
    role: str = ""
    select = None

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["items"] = type(self).select(
            user=self.request.user, request_centre=getattr(self.request, "centre", None)
        )
        return context


class InstructorPanel(_Panel):
    name = "dasi_instructor"
    order = 50
    template_name = "staffhome/instructor_panel.html"
    select = staticmethod(selectors.instructor_courses)


class CentreAdminPanel(_Panel):
    name = "dasi_centre_admin"
    order = 40
    template_name = "staffhome/centre_admin_panel.html"
    select = staticmethod(selectors.centre_summaries)


class CounsellorPanel(_Panel):
    name = "dasi_counsellor"
    order = 45
    template_name = "staffhome/counsellor_panel.html"
    select = staticmethod(selectors.counsellor_caseloads)


PANELS = ((Role.CENTRE_ADMIN, CentreAdminPanel), (Role.COUNSELLOR, CounsellorPanel),
          (Role.INSTRUCTOR, InstructorPanel))  # fmt: skip


@hooks.register("construct_homepage_panels")
def staff_panels(request, panels) -> None:
    """Each role's panel for the staff who hold it (superusers see the platform's summary
    Wagtail already gives them, and the panels of roles they hold)."""
    for role, panel in PANELS:
        if holds_role(user=request.user, roles=[role]) and not request.user.is_superuser:
            panels.append(panel(request))


@hooks.register("insert_global_admin_css")
def staff_panels_css() -> str:
    return format_html('<link rel="stylesheet" href="{}">', static("staffhome/staffhome.css"))
