"""A link to the counsellor cockpit in the Wagtail admin menu, for counsellors and admins."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from lms.accounts.selectors import holds_role

from .selectors import COCKPIT_ROLES


class CockpitMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return holds_role(user=request.user, roles=COCKPIT_ROLES)


@hooks.register("register_admin_menu_item")
def register_cockpit_menu_item():
    return CockpitMenuItem(
        _("Counselling"), reverse("counselling:caseload"), icon_name="group", order=260
    )
