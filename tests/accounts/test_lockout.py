"""Failed sign-ins: the lockout of one account from one address, its end, and its lifting."""

from __future__ import annotations

from datetime import timedelta

from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

import pytest
from axes.models import AccessAttempt

from lms.accounts.signin import client_ip, failed_sign_ins
from tests.conftest import A_HOST
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.7"
OWNER = "198.51.100.20"


def _sign_in(client, login, password, ip=ATTACKER, path=None, **extra):
    return client.post(
        path or reverse("account_login"),
        {"login": login, "password": password},
        HTTP_HOST=A_HOST,
        REMOTE_ADDR=ip,
        **extra,
    )


def _fail(client, login, times, ip=ATTACKER):
    return [_sign_in(client, login, "wrong-password", ip=ip).status_code for _ in range(times)]


def test_five_wrong_passwords_lock_the_account_from_that_address(client, learner_a, settings):
    settings.AXES_FAILURE_LIMIT = 5
    statuses = _fail(client, learner_a.username, 5)
    assert statuses == [200, 200, 200, 200, 429]
    # Locked: even the right password is refused, with the reason in Korean, not a 500.
    response = _sign_in(client, learner_a.username, PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "로그인 시도가 너무 많습니다" in page
    assert "15분" in page
    assert response["Retry-After"] == str(15 * 60)
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_speaks_english_under_en(client, learner_a):
    _fail(client, learner_a.username, 5)
    response = _sign_in(client, learner_a.username, PASSWORD, path="/en/accounts/login/")
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()


def test_scripts_get_the_lockout_as_json(client, learner_a):
    _fail(client, learner_a.username, 5)
    response = _sign_in(
        client, learner_a.username, PASSWORD, HTTP_ACCEPT="application/json, text/html"
    )
    assert response.status_code == 429
    assert "error" in response.json()


def test_an_attacker_elsewhere_cannot_lock_the_owner_out(client, learner_a):
    _fail(client, learner_a.username, 8)
    response = _sign_in(client, learner_a.username, PASSWORD, ip=OWNER)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(learner_a.pk)


def test_the_email_address_and_the_username_share_one_count(client, learner_a):
    _fail(client, learner_a.email.upper(), 3)
    statuses = _fail(client, learner_a.username.upper(), 2)
    assert statuses[-1] == 429


def test_the_lock_ends_by_itself_after_the_cooloff(client, learner_a):
    _fail(client, learner_a.username, 5)
    assert _sign_in(client, learner_a.username, PASSWORD).status_code == 429
    # Fifteen minutes later (the attempts' clock moved back instead of waiting).
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )
    response = _sign_in(client, learner_a.username, PASSWORD)
    assert response.status_code == 302


def test_a_successful_sign_in_resets_the_count(client, learner_a):
    _fail(client, learner_a.username, 4)
    assert _sign_in(client, learner_a.username, PASSWORD).status_code == 302
    client.logout()
    assert _fail(client, learner_a.username, 4) == [200, 200, 200, 200]


def test_an_admin_unlocks_an_account_with_the_command(client, learner_a):
    _fail(client, learner_a.username, 5)
    call_command("axes_reset_username", learner_a.username, verbosity=0)
    assert _sign_in(client, learner_a.username, PASSWORD).status_code == 302


def test_the_wagtail_admin_sign_in_goes_through_the_same_lockout(client, admin_a):
    response = client.get("/admin/login/?next=/admin/pages/", HTTP_HOST=A_HOST)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/pages/"
    # A POST straight at the admin's old form is sent there too, and never signs in.
    response = client.post(
        "/admin/login/", {"username": admin_a.username, "password": PASSWORD}, HTTP_HOST=A_HOST
    )
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_admin_sign_in_refuses_a_foreign_return_address(client, admin_a):
    response = client.get("/admin/login/?next=//evil.example/", HTTP_HOST=A_HOST)
    assert response["Location"] == "/accounts/login/?next=/admin/"


def test_failed_sign_ins_are_counted_for_metrics(client, learner_a, instructor_a):
    _fail(client, learner_a.username, 3)
    _fail(client, instructor_a.email, 2, ip=OWNER)
    assert failed_sign_ins() == 5
    assert failed_sign_ins(username=instructor_a.username) == 2
    assert failed_sign_ins(username="nobody") == 0


@pytest.mark.parametrize(
    ("hops", "forwarded", "expected"),
    [
        (0, "1.2.3.4", "10.0.0.1"),  # no proxy: the header is the client's own words
        (1, "1.2.3.4", "1.2.3.4"),
        (1, "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # a forged left part is ignored
        (2, "6.6.6.6, 1.2.3.4, 10.0.0.9", "1.2.3.4"),
        (2, "1.2.3.4", "10.0.0.1"),  # fewer hops than proxies: the connection's address
    ],
)
def test_the_client_address_is_read_only_from_trusted_proxies(settings, hops, forwarded, expected):
    settings.DASI_PROXY_HOPS = hops
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_a_centre_admin_unlocks_only_the_people_of_their_centre(
    client, learner_a, learner_b, admin_a, admin_b
):
    _fail(client, learner_a.username, 5)
    _fail(client, learner_b.username, 5)
    url = reverse("accounts_sign_in_locks")
    lock_a = AccessAttempt.objects.get(username=learner_a.username)

    client.force_login(admin_b)
    page = client.get(url, HTTP_HOST=A_HOST).content.decode()
    assert learner_b.username in page
    assert learner_a.username not in page
    response = client.post(url, {"lock": lock_a.pk}, HTTP_HOST=A_HOST)
    assert response.status_code == 404
    assert AccessAttempt.objects.filter(pk=lock_a.pk).exists()
    for bad in ("", "x", "99999999999999999999", "-1"):
        assert client.post(url, {"lock": bad}, HTTP_HOST=A_HOST).status_code == 404

    client.force_login(admin_a)
    assert learner_a.username in client.get(url, HTTP_HOST=A_HOST).content.decode()
    response = client.post(url, {"lock": lock_a.pk}, HTTP_HOST=A_HOST)
    assert response.status_code == 302
    client.logout()
    assert _sign_in(client, learner_a.username, PASSWORD).status_code == 302
    client.logout()
    assert _sign_in(client, learner_b.username, PASSWORD).status_code == 429


def test_other_staff_and_learners_cannot_see_the_locks(client, instructor_a, learner_a):
    url = reverse("accounts_sign_in_locks")
    for user in (instructor_a, learner_a):
        client.force_login(user)
        assert client.get(url, HTTP_HOST=A_HOST).status_code in (302, 403)
