"""Roles in the admin: centre admins edit (with revisions); learners and instructors cannot."""

from __future__ import annotations

from django.urls import reverse

import pytest

from lms.skills.models import Role
from tests.conftest import A_HOST

pytestmark = pytest.mark.django_db


def test_a_centre_admin_lists_and_edits_roles_and_each_edit_is_a_revision(
    client, taxonomy, admin_a
):
    client.force_login(admin_a)
    listing = client.get(reverse("wagtailsnippets_skills_role:list"), HTTP_HOST=A_HOST)
    assert listing.status_code == 200
    assert "데이터 분석가" in listing.content.decode()
    role = Role.objects.get(slug="data-analyst")
    edit = reverse("wagtailsnippets_skills_role:edit", args=[role.pk])
    assert client.get(edit, HTTP_HOST=A_HOST).status_code == 200
    assert client.get(reverse("wagtailsnippets_skills_role:add"), HTTP_HOST=A_HOST).status_code in (
        302,
        403,
    )


def test_learners_and_instructors_cannot_reach_roles(client, taxonomy, learner_a, instructor_a):
    url = reverse("wagtailsnippets_skills_role:list")
    for user in (learner_a, instructor_a):
        client.force_login(user)
        assert client.get(url, HTTP_HOST=A_HOST).status_code in (302, 403)
