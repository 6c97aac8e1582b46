"""A counsellor of centre A never sees, finds, exports or guesses a learner of centre B; a
learner reaches no counsellor page; notes never reach learners."""

from __future__ import annotations

import json

from django.urls import reverse

import pytest

from lms.accounts.models import Role, User
from lms.counselling.models import StaffAccessLog
from lms.counselling.services import note_create
from tests.conftest import A_HOST, B_HOST
from tests.factories import member

pytestmark = pytest.mark.django_db

SECRET = "비밀 상담 메모: 이직 불안"

LIST_PAGES = [
    "counselling:caseload",
    "counselling:caseload_csv",
    "counselling:at_risk",
    "counselling:cohorts",
    "counselling:assignments",
    "counselling:access_log",
]


@pytest.fixture
def world(centre_a, centre_b, counsellor_a, counsellor_b, learner_a, admin_b):
    learner_b2 = member(centre_b, Role.LEARNER, username="bora", name="김보라")
    note_b = note_create(centre=centre_b, learner=learner_b2, author=counsellor_b, text=SECRET)
    note_a = note_create(centre=centre_a, learner=learner_a, author=counsellor_a, text=SECRET)
    return {"learner_b": learner_b2, "note_b": note_b, "note_a": note_a}


def test_other_centres_learners_are_404_whatever_the_url(client, counsellor_a, world):
    client.force_login(counsellor_a)
    learner_b = world["learner_b"]
    for url in (
        reverse("counselling:learner", args=[learner_b.pk]),
        reverse("counselling:note", args=[world["note_b"].pk]),
    ):
        assert client.get(url, HTTP_HOST=A_HOST).status_code == 404
    for url in (
        reverse("counselling:note_create", args=[learner_b.pk]),
        reverse("counselling:plan_create", args=[learner_b.pk]),
    ):
        response = client.post(
            url, {"text": "x", "target_date": "2099-01-01", "agreed": "x"}, HTTP_HOST=A_HOST
        )
        assert response.status_code == 404
    # Guessing: every user id that is not a learner of centre A answers 404, never 403.
    for user in User.objects.all():
        status = client.get(
            reverse("counselling:learner", args=[user.pk]), HTTP_HOST=A_HOST
        ).status_code
        is_learner_a = user.memberships.filter(centre__slug="dongtan", role="learner").exists()
        assert status == (200 if is_learner_a else 404), user.username
    assert (
        client.get(reverse("counselling:learner", args=[999999]), HTTP_HOST=A_HOST).status_code
        == 404
    )
    assert not StaffAccessLog.objects.filter(learner=learner_b).exists()


def test_search_and_export_never_include_other_centres(client, counsellor_a, world, learner_a):
    client.force_login(counsellor_a)
    page = client.get(reverse("counselling:caseload") + "?scope=all&q=보라", HTTP_HOST=A_HOST)
    assert page.status_code == 200 and "김보라" not in page.content.decode()
    everyone = client.get(reverse("counselling:caseload") + "?scope=all", HTTP_HOST=A_HOST)
    assert learner_a.display_name in everyone.content.decode()
    assert "김보라" not in everyone.content.decode()
    export = client.get(reverse("counselling:caseload_csv") + "?scope=all", HTTP_HOST=A_HOST)
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert learner_a.username in text and "bora" not in text
    cohorts = client.get(reverse("counselling:cohorts"), HTTP_HOST=A_HOST).content.decode()
    assert "김보라" not in cohorts


def test_staff_of_one_centre_are_refused_on_the_other_centres_site(client, counsellor_a, world):
    client.force_login(counsellor_a)
    for name in LIST_PAGES:
        assert client.get(reverse(name), HTTP_HOST=B_HOST).status_code == 403, name
    url = reverse("counselling:learner", args=[world["learner_b"].pk])
    assert client.get(url, HTTP_HOST=B_HOST).status_code == 403


@pytest.mark.parametrize("who", ["learner_a", "instructor_a", "outsider"])
def test_learners_and_other_staff_reach_no_counsellor_page(client, request, world, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    learner = world["note_a"].learner
    for name in LIST_PAGES:
        response = client.get(reverse(name), HTTP_HOST=A_HOST)
        assert response.status_code == 403, name
    for url in (
        reverse("counselling:learner", args=[learner.pk]),
        reverse("counselling:note", args=[world["note_a"].pk]),
    ):
        response = client.get(url, HTTP_HOST=A_HOST)
        assert response.status_code == 403
        assert SECRET not in response.content.decode()
    response = client.post(
        reverse("counselling:note_create", args=[learner.pk]), {"text": "침입"}, HTTP_HOST=A_HOST
    )
    assert response.status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    response = client.get(reverse("counselling:caseload"), HTTP_HOST=A_HOST)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_notes_are_invisible_to_learners(client, learner_a, world):
    client.force_login(learner_a)
    for url in (
        reverse("counselling:my_data"),
        reverse("learning:dashboard"),
        reverse("skills:overview"),
        reverse("profile"),
    ):
        response = client.get(url, HTTP_HOST=A_HOST)
        assert response.status_code == 200, url
        assert SECRET not in response.content.decode(), url
    download = client.get(reverse("counselling:my_data_json"), HTTP_HOST=A_HOST)
    data = json.loads(download.content)
    assert SECRET not in download.content.decode()
    assert data["staff_notes"]["included"] is False
