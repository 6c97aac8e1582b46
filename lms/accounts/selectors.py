"""Reads about who holds which role where."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from axes.models import AccessAttempt

from hub_sites.models import Centre

from .models import STAFF_ROLES, Membership, Role, User


def _memberships(user) -> frozenset[tuple[int, str]]:
    """(centre id, role) of each membership of a user, read once per request and kept on
    the user."""
    cached = getattr(user, "_dasi_memberships", None)
    if cached is None:
        cached = user._dasi_memberships = frozenset(
            Membership.objects.filter(user=user).values_list("centre_id", "role")
        )
    return cached


def user_roles_in_centre(*, user, centre: Centre | None) -> set[str]:
    """The roles a user holds in one centre (empty for anonymous users or no centre)."""
    if centre is None or not user.is_authenticated:
        return set()
    return {role for centre_id, role in _memberships(user) if centre_id == centre.pk}


def user_is_staff_of(*, user, centre: Centre | None) -> bool:
    """Whether a user holds a staff role in the centre (superusers count as staff everywhere)."""
    if not user.is_authenticated or centre is None:
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(user=user, centre=centre, role__in=STAFF_ROLES).exists()


def user_roles(user) -> set[str]:
    """Every role the user holds in any centre, read once per request and kept on the user."""
    if not user.is_authenticated:
        return set()
    return {role for _centre_id, role in _memberships(user)}


def holds_role(*, user, roles) -> bool:
    """Whether the user holds any of the roles in some centre (superusers always do)."""
    return user.is_authenticated and (user.is_superuser or bool(user_roles(user) & set(roles)))


def centres_where(*, user, roles) -> QuerySet[Centre]:
    """Centres in which a user holds any of the given roles; every centre for superusers."""
    if user.is_superuser:
        return Centre.objects.all()
    return Centre.objects.filter(memberships__user=user, memberships__role__in=roles).distinct()


def memberships_visible_to(*, user) -> QuerySet[Membership]:
    """Memberships a staff user may list: all roles of centres they administer, and the
    learners of centres where they counsel. Nothing of any other centre."""
    qs = Membership.objects.select_related("user", "centre__site")
    if user.is_superuser:
        return qs
    admin_of = centres_where(user=user, roles=[Role.CENTRE_ADMIN])
    counsel_of = centres_where(user=user, roles=[Role.COUNSELLOR])
    return qs.filter(centre__in=admin_of) | qs.filter(centre__in=counsel_of, role=Role.LEARNER)


def learners_of_centre(*, centre: Centre) -> QuerySet[User]:
    return User.objects.filter(
        memberships__centre=centre, memberships__role=Role.LEARNER
    ).distinct()


def sign_in_locks_visible_to(*, user) -> QuerySet[AccessAttempt]:
    """Accounts locked out now (django-axes) that a staff user may unlock: those of people of
    the centres they administer; every one for superusers."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    qs = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).order_by("-attempt_time")
    if user.is_superuser:
        return qs
    admin_of = centres_where(user=user, roles=[Role.CENTRE_ADMIN])
    usernames = User.objects.filter(memberships__centre__in=admin_of).values("username")
    return qs.filter(username__in=usernames)
