"""Builders of people: users and their memberships of a centre."""

from __future__ import annotations

import factory

from hub_sites.models import Centre
from lms.accounts.models import User
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


def member(centre: Centre, role: str, **fields) -> User:
    user = UserFactory(**fields)
    membership_create(user=user, centre=centre, role=role)
    return user
