"""Who may see and manage centre memberships in the admin."""

from __future__ import annotations

from django.db.models import QuerySet

from wagtail.permission_policies.base import BasePermissionPolicy

from .models import Membership, Role, User
from .selectors import centres_where, holds_role, memberships_visible_to

MANAGE_ACTIONS = {"add", "change", "delete"}


class MembershipPermissionPolicy(BasePermissionPolicy):
    """Centre admins manage every membership of their own centres; counsellors may view
    the learners of theirs. Nobody reaches another centre's people. Superusers see all."""

    def user_has_permission(self, user, action: str) -> bool:
        if not (user.is_authenticated and user.is_active):
            return False
        if user.is_superuser:
            return True
        roles = (
            [Role.CENTRE_ADMIN]
            if action in MANAGE_ACTIONS
            else [Role.CENTRE_ADMIN, Role.COUNSELLOR]
        )
        return holds_role(user=user, roles=roles)

    def user_has_any_permission(self, user, actions) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        roles = (
            [Role.CENTRE_ADMIN]
            if set(actions) <= MANAGE_ACTIONS
            else [Role.CENTRE_ADMIN, Role.COUNSELLOR]
        )
        return User.objects.filter(memberships__role__in=roles, is_active=True).distinct() | (
            User.objects.filter(is_superuser=True, is_active=True)
        )

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])

    def instances_user_has_any_permission_for(self, user, actions) -> QuerySet[Membership]:
        if not (user.is_authenticated and user.is_active):
            return Membership.objects.none()
        if user.is_superuser:
            return Membership.objects.select_related("user", "centre__site")
        if set(actions) <= MANAGE_ACTIONS:
            admin_of = centres_where(user=user, roles=[Role.CENTRE_ADMIN])
            return Membership.objects.filter(centre__in=admin_of).select_related(
                "user", "centre__site"
            )
        return memberships_visible_to(user=user)

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])

    def user_has_permission_for_instance(self, user, action, instance) -> bool:
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(self, user, actions, instance) -> bool:
        return (
            self.instances_user_has_any_permission_for(user, actions)
            .filter(pk=instance.pk)
            .exists()
        )
