"""The admin's start page, per role: instructors see their courses and the grading that needs
them, centre admins their centre's week, counsellors their learners at risk."""

from __future__ import annotations

from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.sidebar import PageExplorerMenuItem

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


class CentreExplorerMenuItem(MenuItem):
    """ "Pages" opening at the centre's home in the admin's language, not at the tree's Root:
    staff hold permissions on both language homes, whose first common ancestor is Root."""

    def __init__(self, item: MenuItem, home):
        super().__init__(
            item.label,
            reverse("wagtailadmin_explore", args=[home.pk]),
            name=item.name,
            icon_name=item.icon_name,
            order=item.order,
        )
        self.home = home

    def render_component(self, request):
        return PageExplorerMenuItem(
            self.name, self.label, self.url, self.home.pk, icon_name=self.icon_name
        )


@hooks.register("construct_main_menu")
def explorer_at_centre_home(request, menu_items) -> None:
    home = selectors.explorer_home(
        user=request.user, request_centre=getattr(request, "centre", None)
    )
    if home is None:
        return
    for index, item in enumerate(menu_items):
        if item.name == "explorer":
            menu_items[index] = CentreExplorerMenuItem(item, home)
