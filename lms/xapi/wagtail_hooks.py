"""Admin entry for the learning record stores (centre admins of their centre, superusers)."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from lms.accounts.models import Role
from lms.accounts.selectors import holds_role

from . import admin_views


@hooks.register("register_admin_urls")
def register_xapi_admin_urls():
    return [path("learning-records/", admin_views.stores, name="xapi_admin_stores")]


class StoresMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser or holds_role(user=request.user, roles=[Role.CENTRE_ADMIN])


@hooks.register("register_settings_menu_item")
def register_stores_menu_item():
    return StoresMenuItem(
        _("Learning record stores"), reverse("xapi_admin_stores"), icon_name="upload", order=900
    )
