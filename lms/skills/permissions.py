"""Who may manage roles and skills in the admin."""

from __future__ import annotations

from wagtail.permission_policies.base import ModelPermissionPolicy

from lms.accounts.models import STAFF_ROLES, User
from lms.accounts.models import Role as MemberRole
from lms.accounts.selectors import holds_role

CENTRE_ADMIN_ACTIONS = {"view", "change"}


class CentreAdminEditPolicy(ModelPermissionPolicy):
    """Centre admins may view and edit (every edit is a revision); adding and deleting stay
    with users holding the Django permission (superusers). Roles and skills are one shared
    catalogue, so an edit reaches every centre — the revision history records who made it."""

    def _is_centre_admin(self, user) -> bool:
        return holds_role(user=user, roles=[MemberRole.CENTRE_ADMIN])

    def user_has_permission(self, user, action: str) -> bool:
        if super().user_has_permission(user, action):
            return True
        return (
            action in CENTRE_ADMIN_ACTIONS
            and user.is_authenticated
            and user.is_active
            and self._is_centre_admin(user)
        )

    def user_has_any_permission(self, user, actions) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        users = super().users_with_any_permission(actions)
        if set(actions) & CENTRE_ADMIN_ACTIONS:
            admins = User.objects.filter(memberships__role=MemberRole.CENTRE_ADMIN, is_active=True)
            users = (users | admins).distinct()
        return users


class SkillPolicy(CentreAdminEditPolicy):
    """As for roles, and every member of staff may also view skills, so instructors can
    choose them for course outcomes and quiz questions."""

    def user_has_permission(self, user, action: str) -> bool:
        staff = (
            user.is_authenticated and user.is_active and holds_role(user=user, roles=STAFF_ROLES)
        )
        return (action == "view" and staff) or super().user_has_permission(user, action)
