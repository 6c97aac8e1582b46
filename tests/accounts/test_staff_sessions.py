"""Staff sessions end sooner than learners': after 30 idle minutes, and 8 hours at most."""

from __future__ import annotations

import time

from django.urls import reverse

import pytest

from lms.accounts.middleware import SESSION_SEEN, SESSION_STARTED
from tests.conftest import A_HOST

pytestmark = pytest.mark.django_db


def _age(client, *, started_ago: int, seen_ago: int) -> None:
    """Move the session's clock back instead of waiting."""
    session = client.session
    now = int(time.time())
    session[SESSION_STARTED] = now - started_ago
    session[SESSION_SEEN] = now - seen_ago
    session.save()


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_a_staff_session_ends_after_thirty_idle_minutes(client, instructor_a):
    client.force_login(instructor_a)
    assert client.get("/admin/", HTTP_HOST=A_HOST).status_code == 200
    assert client.session.get_expiry_age() == 30 * 60  # the cookie goes with it
    _age(client, started_ago=40 * 60, seen_ago=31 * 60)
    response = client.get("/admin/pages/", HTTP_HOST=A_HOST)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/pages/"
    assert not _signed_in(client)
    page = client.get(response["Location"], HTTP_HOST=A_HOST).content.decode()
    assert "30분 동안 활동이 없어 로그아웃되었습니다" in page


def test_activity_keeps_a_staff_session_open(client, instructor_a):
    client.force_login(instructor_a)
    client.get("/admin/", HTTP_HOST=A_HOST)
    _age(client, started_ago=3 * 60 * 60, seen_ago=29 * 60)
    assert client.get("/admin/", HTTP_HOST=A_HOST).status_code == 200
    assert time.time() - client.session[SESSION_SEEN] < 60
    assert _signed_in(client)


def test_a_staff_session_ends_after_eight_hours_however_busy(client, admin_a):
    client.force_login(admin_a)
    client.get("/admin/", HTTP_HOST=A_HOST)
    _age(client, started_ago=8 * 60 * 60 + 60, seen_ago=10)
    response = client.get("/admin/", HTTP_HOST=A_HOST)
    assert response.status_code == 302
    assert not _signed_in(client)


def test_scripts_of_an_expired_staff_session_get_401(client, instructor_a):
    client.force_login(instructor_a)
    client.get("/admin/", HTTP_HOST=A_HOST)
    _age(client, started_ago=2 * 60 * 60, seen_ago=2 * 60 * 60)
    response = client.get(
        reverse("learning:dashboard"), HTTP_HOST=A_HOST, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 401
    assert not _signed_in(client)


def test_learners_keep_their_two_week_session(client, learner_a):
    client.force_login(learner_a)
    assert client.get(reverse("learning:dashboard"), HTTP_HOST=A_HOST).status_code == 200
    assert client.session.get_expiry_age() == 14 * 24 * 60 * 60
    _age(client, started_ago=3 * 24 * 60 * 60, seen_ago=2 * 24 * 60 * 60)
    assert client.get(reverse("learning:dashboard"), HTTP_HOST=A_HOST).status_code == 200
    assert _signed_in(client)


def test_the_limits_come_from_settings(client, instructor_a, settings):
    settings.DASI_STAFF_SESSION_IDLE_MINUTES = 5
    client.force_login(instructor_a)
    client.get("/admin/", HTTP_HOST=A_HOST)
    _age(client, started_ago=6 * 60, seen_ago=6 * 60)
    assert client.get("/admin/", HTTP_HOST=A_HOST).status_code == 302
    assert not _signed_in(client)
