"""The "People" admin area: each centre admin manages the staff and learners of their centre."""

from __future__ import annotations

from django.contrib.admin.utils import unquote
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.views.generic.models import DeleteView, EditView, IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from . import views
from .admin_forms import MembershipForm
from .menu import CentreAdminMenuItem
from .models import Membership
from .permissions import MembershipPermissionPolicy
from .services import membership_delete

register_permission_policy(Membership, MembershipPermissionPolicy(Membership))


class CentreScopedObjectMixin:
    """Look objects up only among those the user may act on, so another centre's
    memberships answer 404 whatever the URL."""

    scoped_actions = ("change",)

    def get_queryset(self):
        return self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, self.scoped_actions
        )


class MembershipEditView(CentreScopedObjectMixin, EditView):
    pass


class MembershipInspectView(CentreScopedObjectMixin, InspectView):
    scoped_actions = ("view", "change")

    def get_object(self, queryset=None):
        return get_object_or_404(self.get_queryset(), pk=unquote(str(self.pk)))


class MembershipIndexView(IndexView):
    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, ["view"]
        )


class MembershipDeleteView(CentreScopedObjectMixin, DeleteView):
    scoped_actions = ("delete",)

    def delete_action(self):
        membership_delete(membership=self.object)


class MembershipViewSet(ModelViewSet):
    model = Membership
    icon = "group"
    menu_label = _("People")
    menu_order = 250
    add_to_admin_menu = True
    form_class = MembershipForm
    index_view_class = MembershipIndexView
    delete_view_class = MembershipDeleteView
    edit_view_class = MembershipEditView
    inspect_view_class = MembershipInspectView
    list_display = ["user", "role", "centre", "created_at"]
    list_filter = ["role", "centre"]
    search_fields = ["user__username", "user__name", "user__email"]
    search_backend_name = None
    inspect_view_enabled = True
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return MembershipForm


@hooks.register("register_admin_viewset")
def register_membership_viewset():
    return MembershipViewSet("memberships")


@hooks.register("register_admin_urls")
def register_sign_in_lock_urls():
    return [path("sign-in-locks/", views.sign_in_locks, name="accounts_sign_in_locks")]


@hooks.register("register_settings_menu_item")
def register_sign_in_locks_menu_item():
    return CentreAdminMenuItem(
        _("Sign-in locks"), reverse("accounts_sign_in_locks"), icon_name="lock", order=900
    )
