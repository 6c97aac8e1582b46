"""Account pages beyond allauth's: the profile, joining a centre, the language switch."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from lms.views import problem

from .forms import ProfileForm
from .models import Role
from .redirects import safe_return_path
from .selectors import holds_role, sign_in_locks_visible_to, user_roles_in_centre
from .services import membership_create, sign_in_lock_clear, user_profile_update


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                user_profile_update(user=user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Your profile is saved."))
                with override(user.preferred_language):
                    return redirect(reverse("profile"))
    else:
        form = ProfileForm(
            initial={"name": user.name, "preferred_language": user.preferred_language}
        )
    memberships = user.memberships.select_related("centre__site").order_by("centre__slug", "role")
    return render(request, "accounts/profile.html", {"form": form, "memberships": memberships})


@require_POST
@login_required
def join_centre(request: HttpRequest) -> HttpResponse:
    centre = request.centre
    if centre is None:
        return problem(request, _("This address does not belong to a centre."), 404)
    if Role.LEARNER not in user_roles_in_centre(user=request.user, centre=centre):
        membership_create(user=request.user, centre=centre, role=Role.LEARNER)
        messages.success(request, _("Welcome to %(centre)s.") % {"centre": centre})
    return redirect(safe_return_path(request, request.POST.get("next"), fallback="/"))


def admin_login(request: HttpRequest) -> HttpResponse:
    """The Wagtail admin's sign-in address sends people to allauth's sign-in, so every staff
    sign-in passes the same lockout and second-factor steps (docs/security.md)."""
    target = safe_return_path(
        request, request.GET.get("next"), fallback=reverse("wagtailadmin_home")
    )
    if request.user.is_authenticated:
        return redirect(target)
    return redirect_to_login(target, reverse("account_login"))


def sign_in_locks(request: HttpRequest) -> HttpResponse:
    """Admin page: accounts of the user's centres locked out after failed sign-ins, each with
    an "Unlock" button. Centre admins and superusers only."""
    if not holds_role(user=request.user, roles=[Role.CENTRE_ADMIN]):
        raise PermissionDenied
    locks = sign_in_locks_visible_to(user=request.user)
    if request.method == "POST":
        lock = request.POST.get("lock", "")
        attempt = locks.filter(pk=int(lock)).first() if lock.isdigit() and len(lock) < 12 else None
        if attempt is None:
            return problem(request, _("That lock does not exist or is not yours to lift."), 404)
        username = sign_in_lock_clear(attempt=attempt)
        messages.success(request, _("%(username)s may sign in again.") % {"username": username})
        return redirect("accounts_sign_in_locks")
    return TemplateResponse(request, "accounts/admin/sign_in_locks.html", {"locks": locks})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, its `next=` checked like every return address in Dasi (a
    refused one falls back to the Referer, then "/", as Django does)."""
    post = request.POST.copy()
    post["next"] = safe_return_path(request, post.get("next"), fallback="")
    request.POST = post
    return django_set_language(request)
