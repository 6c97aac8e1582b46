"""Admin areas: the role catalogue (with revisions) and the skill taxonomy."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Role, Skill
from .permissions import CentreAdminEditPolicy, SkillPolicy
from .selectors import dashboard_next_course


class EnglishColumn(Column):
    """A column of English text (a role's or skill's English name): marked lang="en", so
    screen readers read it as English and Korean pages say where English is meant."""

    cell_template_name = "skills/admin/english_cell.html"


register_permission_policy(Role, CentreAdminEditPolicy(Role))
register_permission_policy(Skill, SkillPolicy(Skill))
# "My learning" recommends the next course on the learner's path.
hooks.register("learning_dashboard_context", dashboard_next_course)


class RoleViewSet(SnippetViewSet):
    model = Role
    icon = "user"
    menu_label = _("Roles")
    list_display = [
        "name_ko",
        EnglishColumn("name_en", label=_("name (English)")),
        "slug",
        Column(
            "is_active",
            label=_("shown to learners"),
            accessor=lambda role: _("yes") if role.is_active else _("no"),
        ),
        "updated_at",
    ]
    list_filter = ["is_active"]
    search_fields = ["name_en", "name_ko", "slug"]
    copy_view_enabled = False
    inspect_view_enabled = True


class SkillViewSet(SnippetViewSet):
    model = Skill
    icon = "tag"
    menu_label = _("Skills")
    list_display = [
        EnglishColumn("label_en", label=_("label (English)")),
        "label_ko",
        "kind",
        "esco_uri",
    ]
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
