"""Skills in the admin: everyone who authors may choose them; the taxonomy is edited by
platform superusers only."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from lms.accounts.models import STAFF_ROLES
from lms.accounts.selectors import holds_role

from .models import Skill


class SkillPermissionPolicy(BasePermissionPolicy):
    """View (and choose) for centre staff; add, change and delete for superusers."""

    def _is_staff(self, user) -> bool:
        return holds_role(user=user, roles=STAFF_ROLES)

    def user_has_permission(self, user, action):
        if not (user.is_authenticated and user.is_active):
            return False
        if user.is_superuser:
            return True
        return action == "view" and self._is_staff(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        from lms.accounts.models import User

        if set(actions) <= {"view"}:
            return User.objects.filter(memberships__role__in=STAFF_ROLES).distinct()
        return User.objects.filter(is_superuser=True)

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions)

    def instances_user_has_any_permission_for(self, user, actions):
        if self.user_has_any_permission(user, actions):
            return Skill.objects.all()
        return Skill.objects.none()

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])


register_permission_policy(Skill, SkillPermissionPolicy(Skill))


class SkillViewSet(SnippetViewSet):
    model = Skill
    icon = "tag"
    menu_label = _("Skills")
    menu_order = 270
    add_to_admin_menu = True
    list_display = ["label_en", "label_ko", "esco_uri"]
    search_fields = ["label_en", "label_ko"]


register_snippet(SkillViewSet)
