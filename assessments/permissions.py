"""Assessments belong to a centre: its instructors and admins author them, nobody else."""

from __future__ import annotations

from django.db.models import QuerySet

from wagtail.permission_policies.base import BasePermissionPolicy

from lms.accounts.models import User
from lms.accounts.selectors import centres_where, holds_role

from .admin_forms import AUTHOR_ROLES
from .models import Assessment

__all__ = ["AUTHOR_ROLES", "CentreAssessmentPermissionPolicy"]


class CentreAssessmentPermissionPolicy(BasePermissionPolicy):
    """Instructors and centre admins may view, add, change and delete their own centres'
    assessments (or any other model with a ``centre``: course runs); superusers any."""

    def _centres(self, user):
        return centres_where(user=user, roles=AUTHOR_ROLES)

    def user_has_permission(self, user, action: str) -> bool:
        if not (user.is_authenticated and user.is_active):
            return False
        return holds_role(user=user, roles=AUTHOR_ROLES)

    def user_has_any_permission(self, user, actions) -> bool:
        return self.user_has_permission(user, "view")

    def users_with_any_permission(self, actions):
        return User.objects.filter(
            memberships__role__in=AUTHOR_ROLES, is_active=True
        ).distinct() | User.objects.filter(is_superuser=True, is_active=True)

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])

    def instances_user_has_any_permission_for(self, user, actions) -> QuerySet[Assessment]:
        if not (user.is_authenticated and user.is_active):
            return self.model._default_manager.none()
        if user.is_superuser:
            return self.model._default_manager.all()
        return self.model._default_manager.filter(centre__in=self._centres(user))

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])

    def user_has_permission_for_instance(self, user, action, instance) -> bool:
        return (
            self.instances_user_has_any_permission_for(user, [action])
            .filter(pk=instance.pk)
            .exists()
        )

    def user_has_any_permission_for_instance(self, user, actions, instance) -> bool:
        return self.user_has_permission_for_instance(user, "view", instance)
