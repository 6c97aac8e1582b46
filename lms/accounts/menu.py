"""Wagtail admin menu items shown by role."""

from __future__ import annotations

from wagtail.admin.menu import MenuItem

from .models import Role
from .selectors import holds_role


class CentreAdminMenuItem(MenuItem):
    """Shown to centre admins (and superusers) only."""

    def is_shown(self, request):
        return holds_role(user=request.user, roles=[Role.CENTRE_ADMIN])
