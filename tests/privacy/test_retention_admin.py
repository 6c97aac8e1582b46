"""A centre's retention periods in the Wagtail admin: its admins (and superusers) only,
validated, audited, with the nightly task's dry-run figures; and the task is scheduled."""

from __future__ import annotations

from django.conf import settings
from django.test import Client
from django.urls import reverse

from wagtail.users.models import UserProfile

import pytest

from lms.privacy.models import AuditEvent, CentrePrivacyPolicy
from lms.privacy.tasks import daily
from tests.privacy.test_retention import _age
from tests.security.world import superuser

GOOD = {
    "inactive_account_days": "365",
    "submission_days": "365",
    "access_log_days": "730",
    "erasure_grace_days": "14",
    "notes_in_export": "on",
}


def _client(user, host="dongtan.localhost") -> Client:
    client = Client(HTTP_HOST=host)
    client.force_login(user)
    return client


def _edit_url(centre) -> str:
    return reverse("privacy_retention_edit", args=[centre.slug])


def test_the_admin_sees_the_periods_and_what_the_task_would_delete_now(world):
    a = _age(world)
    page = _client(a.people["admin"]).get(_edit_url(a.centre))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="365"' in html
    assert '<dd data-category="inactive_accounts">1</dd>' in html
    assert '<dd data-category="submissions">1</dd>' in html
    assert '<dd data-category="access_logs">1</dd>' in html
    listing = _client(a.people["admin"]).get(reverse("privacy_retention")).content.decode()
    assert 'data-centre="dongtan"' in listing and 'data-centre="gimpo"' not in listing


def test_saving_changes_the_periods_and_writes_the_audit_log(world):
    a, _b = world
    admin = a.people["admin"]
    response = _client(admin).post(_edit_url(a.centre), GOOD)
    assert response.status_code == 302
    policy = CentrePrivacyPolicy.objects.get(centre=a.centre)
    assert (policy.inactive_account_days, policy.submission_days, policy.access_log_days) == (
        365,
        365,
        730,
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.EDIT, centre=a.centre)
    assert event.actor == admin
    assert "submission_days 730→365" in event.what and "access_log_days 1095→730" in event.what
    # The same values again change nothing and log nothing.
    _client(admin).post(_edit_url(a.centre), GOOD)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EDIT).count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("inactive_account_days", "-1"),
        ("inactive_account_days", "3"),
        ("submission_days", "99999"),
        ("submission_days", "2147483648"),
        ("access_log_days", "30"),  # access records are kept a year at least
        ("access_log_days", "1e3"),
        ("erasure_grace_days", "0"),
        ("erasure_grace_days", "365"),
        ("inactive_account_days", ""),
    ],
)
def test_bad_periods_are_refused_with_a_message_and_change_nothing(world, field, value):
    a, _b = world
    response = _client(a.people["admin"]).post(_edit_url(a.centre), {**GOOD, field: value})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="errorlist' in html
    assert not CentrePrivacyPolicy.objects.filter(centre=a.centre).exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EDIT).exists()


def test_the_message_says_what_to_enter_in_korean_and_english(world):
    a, _b = world
    admin = a.people["admin"]
    bad = {**GOOD, "access_log_days": "30"}
    html = _client(admin).post(_edit_url(a.centre), bad).content.decode()
    assert "0(계정이 있는 동안 보관) 또는 365일에서 3650일 사이의 일수를 입력하세요." in html
    profile = UserProfile.get_for_user(admin)
    profile.preferred_language = "en"
    profile.save()
    html = _client(admin).post(_edit_url(a.centre), bad).content.decode()
    assert "or a number of days from 365 to 3650." in html


def test_zero_keeps_for_as_long_as_the_account_exists(world):
    a, _b = world
    zeros = {**GOOD, "inactive_account_days": "0", "submission_days": "0", "access_log_days": "0"}
    assert _client(a.people["admin"]).post(_edit_url(a.centre), zeros).status_code == 302
    assert CentrePrivacyPolicy.objects.get(centre=a.centre).access_log_days == 0


def test_other_centres_admins_and_other_staff_are_refused(world):
    a, b = world
    url = _edit_url(a.centre)
    other = _client(b.people["admin"], "gimpo.localhost")
    assert other.get(url).status_code == 404
    assert other.post(url, GOOD).status_code == 404
    for key in ("counsellor", "instructor"):
        response = _client(a.people[key]).post(url, GOOD)
        assert response.status_code == 302 and "/admin/" in response["Location"]
    assert _client(a.people["owner"]).get(url).status_code == 302  # to sign in
    assert _client(a.people["admin"]).get("/admin/privacy/retention/nowhere/").status_code == 404
    assert not CentrePrivacyPolicy.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EDIT).exists()


def test_superusers_set_any_centres_periods(world):
    a, b = world
    root = _client(superuser())
    listing = root.get(reverse("privacy_retention")).content.decode()
    assert 'data-centre="dongtan"' in listing and 'data-centre="gimpo"' in listing
    assert root.post(_edit_url(b.centre), GOOD).status_code == 302
    assert CentrePrivacyPolicy.objects.get(centre=b.centre).submission_days == 365


def test_the_nightly_beat_task_applies_the_periods(world):
    schedule = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "privacy.daily"]
    assert len(schedule) == 1
    a = _age(world)
    counts = daily()
    assert counts["submissions"] == 1 and counts["access_logs"] == 1
    assert counts["inactive_accounts"] == 1
    assert AuditEvent.objects.filter(action=AuditEvent.Action.RETENTION, centre=a.centre).exists()
