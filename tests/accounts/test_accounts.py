"""Sign-up as a learner of the centre, log in, password reset, profile and language."""

from __future__ import annotations

import re

from django.core import mail
from django.urls import reverse

import pytest

from lms.accounts.models import Membership, Role, User
from lms.privacy.texts import CURRENT_VERSION
from tests.conftest import A_HOST, B_HOST
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _signup(client, host, username="newcomer", **extra):
    data = {
        "username": username,
        "email": f"{username}@example.org",
        "password1": "a-long-passphrase-2026",
        "password2": "a-long-passphrase-2026",
        "name": "신입 학습자",
        "preferred_language": "ko",
        # the required consent (lms/privacy), which sign-up records with the account
        "consent_course": "on",
        "text_version": CURRENT_VERSION,
        **extra,
    }
    return client.post(reverse("account_signup"), data, HTTP_HOST=host)


def test_signup_on_a_centre_site_makes_a_learner_of_that_centre(client, centre_a, centre_b):
    response = _signup(client, B_HOST)
    assert response.status_code == 302
    user = User.objects.get(username="newcomer")
    assert user.name == "신입 학습자"
    assert list(Membership.objects.filter(user=user).values_list("centre__slug", "role")) == [
        ("gimpo", Role.LEARNER)
    ]
    assert response["Location"] == reverse("learning:dashboard")


def test_signup_with_english_goes_to_the_english_dashboard(client, centre_a):
    response = _signup(client, A_HOST, username="english", preferred_language="en")
    assert response["Location"] == "/en/learning/"


def test_signup_rejects_mismatched_passwords_and_creates_nothing(client, centre_a):
    response = _signup(client, A_HOST, password2="something-else-2026")
    assert response.status_code == 200
    assert not User.objects.filter(username="newcomer").exists()
    assert not Membership.objects.exists()


def test_signup_rejects_duplicate_username(client, centre_a, learner_a):
    response = _signup(client, A_HOST, username=learner_a.username)
    assert response.status_code == 200
    assert User.objects.filter(username=learner_a.username).count() == 1


def test_login_by_username_or_email_and_logout(client, learner_a):
    response = client.post(
        reverse("account_login"),
        {"login": learner_a.username, "password": PASSWORD},
        HTTP_HOST=A_HOST,
    )
    assert response.status_code == 302
    client.post(reverse("account_logout"), HTTP_HOST=A_HOST)
    response = client.post(
        reverse("account_login"), {"login": learner_a.email, "password": PASSWORD}, HTTP_HOST=A_HOST
    )
    assert response.status_code == 302
    client.post(reverse("account_logout"), HTTP_HOST=A_HOST)
    wrong = client.post(
        reverse("account_login"),
        {"login": learner_a.username, "password": "wrong"},
        HTTP_HOST=A_HOST,
    )
    assert wrong.status_code == 200


def test_password_reset_sends_a_working_link(client, learner_a):
    client.post(reverse("account_reset_password"), {"email": learner_a.email}, HTTP_HOST=A_HOST)
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/accounts/password/reset/key/\S+", mail.outbox[0].body).group(0)
    path = link.split(A_HOST, 1)[1] if A_HOST in link else link.split("://", 1)[1].split("/", 1)[1]
    path = path if path.startswith("/") else "/" + path
    form = client.get(path, HTTP_HOST=A_HOST, follow=True)
    assert form.status_code == 200
    response = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else path,
        {"password1": "brand-new-passphrase-9", "password2": "brand-new-passphrase-9"},
        HTTP_HOST=A_HOST,
    )
    assert response.status_code == 302
    learner_a.refresh_from_db()
    assert learner_a.check_password("brand-new-passphrase-9")


def test_profile_changes_name_and_language(client, learner_a):
    client.force_login(learner_a)
    page = client.get(reverse("profile"), HTTP_HOST=A_HOST)
    assert page.status_code == 200
    response = client.post(
        reverse("profile"), {"name": "Kim Dasi", "preferred_language": "en"}, HTTP_HOST=A_HOST
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/profile/"
    learner_a.refresh_from_db()
    assert (learner_a.name, learner_a.preferred_language) == ("Kim Dasi", "en")


def test_profile_rejects_unknown_language(client, learner_a):
    client.force_login(learner_a)
    response = client.post(
        reverse("profile"), {"name": "X", "preferred_language": "fr"}, HTTP_HOST=A_HOST
    )
    assert response.status_code == 200
    learner_a.refresh_from_db()
    assert learner_a.preferred_language == "ko"


def test_joining_a_second_centre(client, learner_a, centre_b):
    client.force_login(learner_a)
    response = client.post(reverse("join_centre"), {"next": "//evil.example"}, HTTP_HOST=B_HOST)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert Membership.objects.filter(user=learner_a, centre=centre_b, role=Role.LEARNER).exists()
    client.post(reverse("join_centre"), HTTP_HOST=B_HOST)
    assert Membership.objects.filter(user=learner_a, centre=centre_b).count() == 1


def test_interface_is_korean_by_default_and_english_under_en(client, centre_a):
    korean = client.get("/", HTTP_HOST=A_HOST).content.decode()
    assert 'lang="ko"' in korean and "로그인" in korean
    english = client.get("/en/", HTTP_HOST=A_HOST).content.decode()
    assert 'lang="en"' in english and "Log in" in english
