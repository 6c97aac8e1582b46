"""Admin entries for LTI platform registrations (centre admins of the centre only)."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from lms.accounts.models import Role
from lms.accounts.selectors import holds_role

from . import admin_views


@hooks.register("register_admin_urls")
def register_lti_admin_urls():
    return [
        path("lti/", admin_views.registration_list, name="lti_admin_list"),
        path("lti/add/", admin_views.registration_edit, name="lti_admin_add"),
        path("lti/<int:registration_id>/", admin_views.registration_edit, name="lti_admin_edit"),
    ]


class CentreAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return holds_role(user=request.user, roles=[Role.CENTRE_ADMIN])


@hooks.register("register_admin_menu_item")
def register_lti_menu_item():
    return CentreAdminMenuItem(
        _("LTI platforms"), reverse("lti_admin_list"), icon_name="link", order=270
    )
