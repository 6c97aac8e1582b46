"""Admin areas: the role catalogue (with revisions) and the skill taxonomy."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Role, Skill
from .permissions import CentreAdminEditPolicy, SkillPolicy
from .selectors import dashboard_next_course

register_permission_policy(Role, CentreAdminEditPolicy(Role))
register_permission_policy(Skill, SkillPolicy(Skill))
# "My learning" recommends the next course on the learner's path.
hooks.register("learning_dashboard_context", dashboard_next_course)


class RoleViewSet(SnippetViewSet):
    model = Role
    icon = "user"
    menu_label = _("Roles")
    list_display = ["name_ko", "name_en", "slug", "is_active", "updated_at"]
    list_filter = ["is_active"]
    search_fields = ["name_en", "name_ko", "slug"]
    copy_view_enabled = False
    inspect_view_enabled = True


class SkillViewSet(SnippetViewSet):
    model = Skill
    icon = "tag"
    menu_label = _("Skills")
    list_display = ["label_en", "label_ko", "kind", "esco_uri"]
    list_filter = ["kind"]
    search_fields = ["label_en", "label_ko"]
    copy_view_enabled = False


class SkillsGroup(SnippetViewSetGroup):
    items = (RoleViewSet, SkillViewSet)
    menu_icon = "tag"
    menu_label = _("Skills and roles")
    menu_name = "skills"
    menu_order = 270


register_snippet(SkillsGroup)
