"""Builders of people: users and their memberships of a centre."""

from __future__ import annotations

import factory
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from hub_sites.models import Centre
from lms.accounts.models import Role, User
from lms.accounts.services import membership_create

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    name = factory.Sequence(lambda n: f"학습자 {n}")
    preferred_language = "ko"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


def mfa_enrol(user: User) -> str:
    """Set up an authenticator app and recovery codes for the user, as allauth's set-up page
    does; returns the TOTP secret (base32) so a test can compute codes."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    user.totp_secret = secret
    return secret


def member(centre: Centre, role: str, *, mfa: bool | None = None, **fields) -> User:
    """A user holding ``role`` in ``centre``. Centre admins must use a second factor, so they
    come with one set up unless ``mfa=False``."""
    user = UserFactory(**fields)
    membership_create(user=user, centre=centre, role=role)
    if mfa if mfa is not None else role == Role.CENTRE_ADMIN:
        mfa_enrol(user)
    return user
