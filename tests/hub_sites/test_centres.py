"""Centres: creation, branding, catalogues kept apart, and courses offered across centres."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from wagtail.models import Page, Site

import pytest

from courses.models import CoursePage
from hub_sites.models import Centre, CentreSettings
from hub_sites.services import centre_create, course_offer
from tests.conftest import A_HOST, B_HOST
from tests.factories import lessons_of, make_course

pytestmark = pytest.mark.django_db


def test_centre_create_builds_site_pages_settings_and_groups(centre_a):
    assert centre_a.site.hostname == A_HOST
    settings = CentreSettings.for_site(centre_a.site)
    assert settings.name_en == "Dongtan Centre"
    homes = Page.objects.filter(translation_key=centre_a.site.root_page.translation_key)
    assert sorted(homes.values_list("locale__language_code", flat=True)) == ["en", "ko"]
    assert all(home.live for home in homes)
    assert centre_a.admins_group.name == "dongtan: centre admins"
    assert not Site.objects.filter(hostname="localhost", port=80).exists()  # placeholder removed


def test_centre_slug_is_unique(centre_a):
    with pytest.raises(ValidationError):
        centre_create(
            slug="dongtan",
            hostname="other.localhost",
            name_ko="x",
            name_en="x",
            certificate_issuer_name="x",
        )
    assert Centre.objects.count() == 1


def test_centre_settings_reject_a_bad_colour(centre_a):
    settings = CentreSettings.for_site(centre_a.site)
    settings.primary_colour = "blue"
    with pytest.raises(ValidationError):
        settings.full_clean()


def test_each_site_shows_its_own_catalogue_and_branding(client, course_a, centre_b):
    make_course(centre_b, "genai", lessons=1)
    a_home = client.get("/", HTTP_HOST=A_HOST).content.decode()
    b_home = client.get("/", HTTP_HOST=B_HOST).content.decode()
    assert "data-analysis 과정" in a_home and "genai 과정" not in a_home
    assert "genai 과정" in b_home and "data-analysis 과정" not in b_home
    assert "dongtan 센터" in a_home and "gimpo 센터" in b_home
    assert client.get("/courses/data-analysis/", HTTP_HOST=B_HOST).status_code == 404


def test_offered_course_appears_in_the_other_catalogue_in_both_languages(
    client, course_a, centre_b
):
    alias = course_offer(course=course_a, centre=centre_b)
    assert course_offer(course=course_a, centre=centre_b).pk == alias.pk  # idempotent
    assert CoursePage.objects.filter(alias_of=course_a).count() == 1
    assert len(lessons_of(alias)) == 3
    b_home = client.get("/", HTTP_HOST=B_HOST).content.decode()
    assert "data-analysis 과정" in b_home
    assert client.get("/courses/data-analysis/lesson-1/", HTTP_HOST=B_HOST).status_code == 200
    b_english = client.get("/en/", HTTP_HOST=B_HOST).content.decode()
    assert "data-analysis course" in b_english
    # The language switcher on the alias links to the English alias on the same site.
    page = client.get("/courses/data-analysis/", HTTP_HOST=B_HOST).content.decode()
    assert 'href="/en/courses/data-analysis/"' in page


def test_offering_a_course_to_its_own_centre_is_refused(course_a, centre_a):
    with pytest.raises(ValidationError):
        course_offer(course=course_a, centre=centre_a)


def test_alias_follows_the_source_when_republished(client, course_a, centre_b):
    course_offer(course=course_a, centre=centre_b)
    course_a.summary = "새 요약입니다."
    course_a.save_revision().publish()
    page = client.get("/courses/data-analysis/", HTTP_HOST=B_HOST).content.decode()
    assert "새 요약입니다." in page


def test_search_finds_this_centres_courses_and_lessons_only(client, course_a, centre_b):
    make_course(centre_b, "genai", lessons=1)
    a_results = client.get("/search/", {"q": "과정"}, HTTP_HOST=A_HOST).content.decode()
    assert "data-analysis 과정" in a_results and "genai 과정" not in a_results
    lessons = client.get("/search/", {"q": "레슨"}, HTTP_HOST=A_HOST).content.decode()
    assert "레슨 1" in lessons
    empty = client.get("/search/", {"q": "존재하지않는단어"}, HTTP_HOST=A_HOST)
    assert empty.status_code == 200
    assert client.get("/search/", {"q": "x" * 5000}, HTTP_HOST=A_HOST).status_code == 200


def test_a_lesson_added_later_reaches_the_centres_that_offer_the_course(client, course_a, centre_b):
    from courses.models import LessonPage
    from tests.factories import lesson_body

    alias = course_offer(course=course_a, centre=centre_b)
    new = LessonPage(
        title="레슨 4", slug="lesson-4", body=lesson_body("레슨 4"), locale=course_a.locale
    )
    course_a.add_child(instance=new)
    new.save_revision().publish()
    assert [lesson.title for lesson in lessons_of(alias)] == [
        "레슨 1",
        "레슨 2",
        "레슨 3",
        "레슨 4",
    ]
    assert client.get("/courses/data-analysis/lesson-4/", HTTP_HOST=B_HOST).status_code == 200
    new.save_revision().publish()  # publishing again adds nothing
    assert len(lessons_of(alias)) == 4


def test_centre_admin_offers_another_centres_course_from_the_admin(
    client, admin_b, course_a, centre_a, centre_b
):
    from django.urls import reverse

    client.force_login(admin_b)
    page = client.get(reverse("hub_sites_course_exchange")).content.decode()
    assert "data-analysis 과정" in page
    response = client.post(
        reverse("hub_sites_course_exchange"), {"centre": centre_b.pk, "course": course_a.pk}
    )
    assert response.status_code == 302
    assert CoursePage.objects.filter(alias_of=course_a).count() == 1
    assert "data-analysis 과정" in client.get("/", HTTP_HOST=B_HOST).content.decode()
    # Not into a centre they do not run, and not for anyone who is not a centre admin.
    refused = client.post(
        reverse("hub_sites_course_exchange"), {"centre": centre_a.pk, "course": course_a.pk}
    )
    assert refused.status_code in (302, 403) and "/admin/login" not in refused.get("Location", "")
    assert CoursePage.objects.filter(alias_of=course_a).count() == 1
    bad = client.post(reverse("hub_sites_course_exchange"), {"centre": centre_b.pk, "course": "x"})
    assert bad.status_code == 404


def test_instructors_and_learners_cannot_use_the_course_exchange(
    client, instructor_b, learner_b, course_a
):
    from django.urls import reverse

    for user in (instructor_b, learner_b):
        client.force_login(user)
        response = client.get(reverse("hub_sites_course_exchange"))
        assert response.status_code in (302, 403)
        assert (
            response.status_code == 403
            or response["Location"].startswith("/accounts/login/")
            or response["Location"] == "/admin/"
        )
