"""Writes on users and their centre memberships."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from axes.models import AccessAttempt

from hub_sites.models import Centre

from .models import Membership, Role, User


def _role_group(centre: Centre, role: str):
    return {
        Role.CENTRE_ADMIN: centre.admins_group,
        Role.INSTRUCTOR: centre.instructors_group,
        Role.COUNSELLOR: centre.counsellors_group,
    }.get(role)


@transaction.atomic
def membership_create(*, user: User, centre: Centre, role: str) -> Membership:
    """Give a user a role in a centre (idempotent) and the centre's staff group for that role."""
    if role not in Role.values:
        raise ValidationError(_("Unknown role “%(role)s”.") % {"role": role})
    membership, created = Membership.objects.get_or_create(user=user, centre=centre, role=role)
    if created:
        membership.full_clean()
    group = _role_group(centre, role)
    if group is not None:
        user.groups.add(group)
    return membership


@transaction.atomic
def membership_delete(*, membership: Membership) -> None:
    """End a role in a centre and take away the staff group that came with it."""
    group = _role_group(membership.centre, membership.role)
    if group is not None:
        membership.user.groups.remove(group)
    membership.delete()


def learner_register(*, user: User, centre: Centre | None) -> Membership | None:
    """Make a newly signed-up user a learner of the centre whose site they signed up on."""
    if centre is None:
        return None
    return membership_create(user=user, centre=centre, role=Role.LEARNER)


def user_profile_update(*, user: User, name: str, preferred_language: str) -> User:
    """Change a user's printed name and preferred language."""
    user.name = name.strip()
    user.preferred_language = preferred_language
    user.full_clean()
    user.save(update_fields=["name", "preferred_language"])
    return user


def user_create(
    *, username: str, email: str, password: str, name: str = "", preferred_language: str = "ko"
) -> User:
    """Create a user with a usable password (used by demo data and admin commands)."""
    user = User(username=username, email=email, name=name, preferred_language=preferred_language)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


def sign_in_lock_clear(*, attempt: AccessAttempt) -> str:
    """Lift a lockout now (the person may sign in again from that address); returns the
    username. The failure log stays for metrics."""
    username = attempt.username
    attempt.delete()
    return username
