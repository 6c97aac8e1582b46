"""Admin entries for centres: the course exchange between centres."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from lms.accounts.models import Role
from lms.accounts.selectors import holds_role

from . import views


@hooks.register("register_admin_urls")
def register_course_exchange_url():
    return [path("centres/offer/", views.course_exchange, name="hub_sites_course_exchange")]


class CentreAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return holds_role(user=request.user, roles=[Role.CENTRE_ADMIN])


@hooks.register("register_admin_menu_item")
def register_course_exchange_menu_item():
    return CentreAdminMenuItem(
        _("Offer courses"), reverse("hub_sites_course_exchange"), icon_name="link", order=260
    )


@hooks.register("register_log_actions")
def register_course_offer_log_action(actions):
    actions.register_action(
        "dasi.course_offer", _("Offer course"), _("Course offered at this centre")
    )
