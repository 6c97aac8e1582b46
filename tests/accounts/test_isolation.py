"""Staff of one centre never reach another centre's pages, settings or people."""

from __future__ import annotations

from django.urls import reverse

from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection

import pytest

from courses.models import CoursePage
from lms.accounts.models import Membership, Role
from tests.factories import make_course, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def course_b(centre_b):
    return make_course(centre_b, "genai", lessons=1)


def _denied(response) -> bool:
    """Wagtail answers a refused admin request with 403, 404 or a redirect away from the page."""
    return response.status_code in (403, 404) or (
        response.status_code == 302 and "/admin/login" not in response["Location"]
    )


def test_instructor_edits_own_centres_course_only(client, instructor_a, course_a, course_b):
    client.force_login(instructor_a)
    own = client.get(reverse("wagtailadmin_pages:edit", args=[course_a.pk]))
    assert own.status_code == 200
    other = client.get(reverse("wagtailadmin_pages:edit", args=[course_b.pk]))
    assert _denied(other)
    posted = client.post(
        reverse("wagtailadmin_pages:edit", args=[course_b.pk]),
        {
            "title": "hijacked",
            "slug": "genai",
            "summary": "x",
            "level": "beginner",
            "estimated_hours": 1,
        },
    )
    assert _denied(posted)
    course_b.refresh_from_db()
    assert course_b.title == "genai 과정"
    assert not CoursePage.objects.get(pk=course_b.pk).has_unpublished_changes


def test_instructor_cannot_add_pages_under_another_centre(client, instructor_a, centre_b):
    from hub_sites.services import centre_course_indexes

    index_b = centre_course_indexes(centre_b)["ko"]
    client.force_login(instructor_a)
    response = client.get(
        reverse("wagtailadmin_pages:add", args=["courses", "coursepage", index_b.pk])
    )
    assert _denied(response)


def test_instructor_drafts_go_through_the_centres_moderation_workflow(
    instructor_a, course_a, admin_a, centre_a
):
    workflow = course_a.get_workflow()
    assert workflow is not None
    assert workflow.name.endswith(" 검토")  # "<centre> 검토": named in the admin's language
    task = workflow.tasks.first().specific
    assert list(task.groups.all()) == [centre_a.admins_group]
    from wagtail.models import PagePermissionTester

    assert PagePermissionTester(instructor_a, course_a).can_edit()
    assert not PagePermissionTester(instructor_a, course_a).can_publish()
    assert PagePermissionTester(admin_a, course_a).can_publish()


def test_admin_explorer_and_search_hide_other_centres(client, admin_b, course_a, course_b):
    client.force_login(admin_b)
    search = client.get(reverse("wagtailadmin_pages:search"), {"q": "과정"}).content.decode()
    assert "genai 과정" in search
    assert "data-analysis 과정" not in search
    home_a = course_a.get_parent().get_parent()
    explorer = client.get(reverse("wagtailadmin_explore_root")).content.decode()
    assert reverse("wagtailadmin_explore", args=[home_a.pk]) not in explorer
    listing = client.get(reverse("wagtailadmin_explore", args=[course_a.get_parent().pk]))
    assert _denied(listing) or "data-analysis" not in listing.content.decode()


def test_centre_admin_edits_only_own_centre_settings(client, admin_a, centre_a, centre_b):
    client.force_login(admin_a)
    own = client.get(
        reverse("wagtailsettings:edit", args=["hub_sites", "centresettings", centre_a.site.pk])
    )
    assert own.status_code == 200
    other = client.get(
        reverse("wagtailsettings:edit", args=["hub_sites", "centresettings", centre_b.site.pk])
    )
    assert _denied(other)


def test_staff_of_b_cannot_list_or_open_a_learners(
    client, learner_a, admin_b, counsellor_b, learner_b, instructor_b
):
    a_membership = Membership.objects.get(user=learner_a)
    for staff in (admin_b, counsellor_b):
        client.force_login(staff)
        listing = client.get(reverse("memberships:index"))
        assert listing.status_code == 200
        body = listing.content.decode()
        assert learner_b.display_name in body
        assert learner_a.display_name not in body
        searched = client.get(
            reverse("memberships:index"), {"q": learner_a.username}
        ).content.decode()
        assert learner_a.display_name not in searched
        for view in ("memberships:edit", "memberships:inspect", "memberships:delete"):
            assert _denied(client.get(reverse(view, args=[a_membership.pk]))), view
    client.force_login(instructor_b)
    assert _denied(client.get(reverse("memberships:index")))
    client.force_login(counsellor_b)
    staff_view = client.get(reverse("memberships:index")).content.decode()
    assert instructor_b.display_name not in staff_view  # counsellors see learners only
    assert _denied(client.get(reverse("memberships:add")))


def test_centre_admin_adds_staff_only_to_own_centre(client, admin_b, centre_a, centre_b, outsider):
    client.force_login(admin_b)
    refused = client.post(
        reverse("memberships:add"),
        {"person": outsider.username, "centre": centre_a.pk, "role": Role.INSTRUCTOR},
    )
    assert refused.status_code == 200  # the form comes back with an error
    assert not Membership.objects.filter(user=outsider).exists()
    added = client.post(
        reverse("memberships:add"),
        {"person": outsider.email, "centre": centre_b.pk, "role": Role.INSTRUCTOR},
    )
    assert added.status_code == 302
    assert outsider.groups.filter(pk=centre_b.instructors_group_id).exists()
    unknown = client.post(
        reverse("memberships:add"),
        {"person": "nobody-here", "centre": centre_b.pk, "role": Role.INSTRUCTOR},
    )
    assert unknown.status_code == 200
    assert "nobody-here" not in Membership.objects.values_list("user__username", flat=True)


def test_deleting_a_staff_membership_removes_the_group(client, admin_b, instructor_b, centre_b):
    membership = Membership.objects.get(user=instructor_b)
    client.force_login(admin_b)
    response = client.post(reverse("memberships:delete", args=[membership.pk]))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert not instructor_b.groups.filter(pk=centre_b.instructors_group_id).exists()


def test_centre_admin_cannot_reach_the_user_admin(client, admin_b, learner_a):
    client.force_login(admin_b)
    response = client.get(reverse("wagtailusers_users:index"))
    assert _denied(response)


def test_image_library_is_per_centre(client, admin_a, admin_b, centre_a):
    collection = Collection.objects.get(name=f"{centre_a.slug.title()} Centre")
    Image.objects.create(title="dongtan-logo", file=get_test_image_file(), collection=collection)
    client.force_login(admin_b)
    assert "dongtan-logo" not in client.get(reverse("wagtailimages:index")).content.decode()
    client.force_login(admin_a)
    assert "dongtan-logo" in client.get(reverse("wagtailimages:index")).content.decode()


def test_learners_cannot_enter_the_admin(client, learner_a):
    client.force_login(learner_a)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_staff_member_in_two_centres_sees_both(client, centre_a, centre_b, learner_a, learner_b):
    both = member(centre_a, Role.CENTRE_ADMIN, username="both")
    from lms.accounts.services import membership_create

    membership_create(user=both, centre=centre_b, role=Role.CENTRE_ADMIN)
    client.force_login(both)
    body = client.get(reverse("memberships:index")).content.decode()
    assert learner_a.display_name in body and learner_b.display_name in body
