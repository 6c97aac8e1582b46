from __future__ import annotations

import json

from django.urls import reverse

import pytest

from lms.learning.models import Enrolment, LessonProgress
from lms.learning.services import enrolment_create
from tests.conftest import A_HOST, B_HOST
from tests.factories import lessons_of, make_course

pytestmark = pytest.mark.django_db


def _enrol_url(page):
    return reverse("learning:enrol", args=[page.pk])


def test_learner_enrols_from_the_course_page(client, learner_a, course_a):
    client.force_login(learner_a)
    response = client.post(_enrol_url(course_a), HTTP_HOST=A_HOST)
    assert response.status_code == 302
    assert Enrolment.objects.filter(user=learner_a, course=course_a).exists()
    page = client.get("/courses/data-analysis/", HTTP_HOST=A_HOST)
    assert page.status_code == 200
    assert "0%" in page.content.decode()


def test_anonymous_visitor_is_offered_a_log_in_not_an_enrol_button(client, course_a):
    page = client.get(course_a.url, HTTP_HOST=A_HOST).content.decode()
    assert _enrol_url(course_a) not in page
    assert f"/accounts/login/?next={course_a.url}" in page and "로그인하고 수강 신청" in page


def test_anonymous_enrol_goes_to_login(client, course_a):
    response = client.post(_enrol_url(course_a), HTTP_HOST=A_HOST)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Enrolment.objects.exists()


def test_enrolling_twice_answers_409_and_changes_nothing(client, learner_a, course_a, centre_a):
    enrolment_create(user=learner_a, course=course_a, centre=centre_a)
    client.force_login(learner_a)
    response = client.post(_enrol_url(course_a), HTTP_HOST=A_HOST)
    assert response.status_code == 409
    assert "이미" in response.content.decode()  # "already", in Korean
    assert Enrolment.objects.count() == 1


def test_enrolling_in_a_draft_answers_400(client, learner_a, centre_a):
    draft = make_course(centre_a, "draft", live=False, translate=False)
    client.force_login(learner_a)
    assert client.post(_enrol_url(draft), HTTP_HOST=A_HOST).status_code == 400
    assert not Enrolment.objects.exists()


def test_enrolling_through_another_centres_site_answers_400(client, learner_b, course_a, centre_b):
    client.force_login(learner_b)
    response = client.post(_enrol_url(course_a), HTTP_HOST=B_HOST)
    assert response.status_code == 400
    assert not Enrolment.objects.exists()


def test_enrolling_in_a_missing_course_answers_404(client, learner_a):
    client.force_login(learner_a)
    assert (
        client.post(reverse("learning:enrol", args=[999999]), HTTP_HOST=A_HOST).status_code == 404
    )


def test_enrol_refuses_get(client, learner_a, course_a):
    client.force_login(learner_a)
    assert client.get(_enrol_url(course_a), HTTP_HOST=A_HOST).status_code == 405


def test_completing_a_lesson_not_enrolled_answers_403(client, learner_a, course_a):
    client.force_login(learner_a)
    lesson = lessons_of(course_a)[0]
    response = client.post(reverse("learning:lesson_complete", args=[lesson.pk]), HTTP_HOST=A_HOST)
    assert response.status_code == 403
    assert not LessonProgress.objects.exists()


def test_complete_lesson_and_continue(client, learner_a, course_a, centre_a):
    enrolment_create(user=learner_a, course=course_a, centre=centre_a)
    client.force_login(learner_a)
    first, second = lessons_of(course_a)[:2]
    response = client.post(
        reverse("learning:lesson_complete", args=[first.pk]),
        {"next": "/courses/data-analysis/lesson-2/"},
        HTTP_HOST=A_HOST,
    )
    assert response.status_code == 302
    assert response["Location"] == "/courses/data-analysis/lesson-2/"
    assert LessonProgress.objects.get(lesson=first).status == "completed"
    evil = client.post(
        reverse("learning:lesson_complete", args=[second.pk]),
        {"next": "//evil.example/"},
        HTTP_HOST=A_HOST,
    )
    assert evil["Location"] == second.url


def test_position_endpoint_rejects_bad_json_and_unknown_sections(
    client, learner_a, course_a, centre_a
):
    enrolment_create(user=learner_a, course=course_a, centre=centre_a)
    client.force_login(learner_a)
    lesson = lessons_of(course_a)[0]
    url = reverse("learning:lesson_position", args=[lesson.pk])
    bad = client.post(url, data="{not json", content_type="application/json", HTTP_HOST=A_HOST)
    assert bad.status_code == 400
    assert "JSON" in bad.json()["error"]
    wrong_type = client.post(
        url, data=json.dumps({"position": 5}), content_type="application/json", HTTP_HOST=A_HOST
    )
    assert wrong_type.status_code == 400
    unknown = client.post(
        url, data=json.dumps({"position": "zzz"}), content_type="application/json", HTTP_HOST=A_HOST
    )
    assert unknown.status_code == 400
    section = lesson.body[2].id
    ok = client.post(
        url,
        data=json.dumps({"position": section}),
        content_type="application/json",
        HTTP_HOST=A_HOST,
    )
    assert ok.status_code == 200
    assert LessonProgress.objects.get().position == section


def test_lesson_body_is_for_enrolled_learners_and_staff(
    client, learner_a, instructor_a, course_a, centre_a
):
    lesson = lessons_of(course_a)[0]
    anonymous = client.get(lesson.url, HTTP_HOST=A_HOST).content.decode()
    assert "판다스로" not in anonymous
    assert "수강" in anonymous or "Enrol" in anonymous
    client.force_login(instructor_a)
    assert "판다스로" in client.get(lesson.url, HTTP_HOST=A_HOST).content.decode()
    client.force_login(learner_a)
    enrolment_create(user=learner_a, course=course_a, centre=centre_a)
    body = client.get(lesson.url, HTTP_HOST=A_HOST).content.decode()
    assert "판다스로" in body
    assert LessonProgress.objects.get().status == "started"


def test_a_lesson_the_learner_may_not_see_records_no_visit(client, learner_a, course_a, centre_a):
    from django.contrib.auth.models import Group

    from wagtail.models import PageViewRestriction

    lesson = lessons_of(course_a)[0]
    restriction = PageViewRestriction.objects.create(
        page=lesson, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="closed"))
    enrolment_create(user=learner_a, course=course_a, centre=centre_a)
    client.force_login(learner_a)
    assert client.get(lesson.url, HTTP_HOST=A_HOST).status_code == 302  # to the login page
    assert not LessonProgress.objects.exists()
    restriction.delete()
    assert client.get(lesson.url, HTTP_HOST=A_HOST).status_code == 200
    assert LessonProgress.objects.get().status == "started"


def test_dashboard_shows_progress_and_next_lesson(client, learner_a, course_a, centre_a):
    from lms.learning.services import lesson_complete

    enrolment_create(user=learner_a, course=course_a, centre=centre_a)
    lesson_complete(user=learner_a, lesson=lessons_of(course_a)[0])
    client.force_login(learner_a)
    page = client.get(reverse("learning:dashboard"), HTTP_HOST=A_HOST).content.decode()
    assert "data-analysis 과정" in page
    assert "33%" in page
    assert "레슨 2" in page  # the next lesson to do
    english = client.get("/en/learning/", HTTP_HOST=A_HOST).content.decode()
    assert "data-analysis course" in english
    assert 'lang="en"' in english


def test_dashboard_requires_login(client, centre_a):
    response = client.get(reverse("learning:dashboard"), HTTP_HOST=A_HOST)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
