"""Due dates over HTTP: "My learning" and the calendar page, the iCalendar feed (and its
token, as an attacker would try it), the extensions page and the course-run admin form."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

import pytest
from icalendar import Calendar

from assessments.deadlines import calendar_feed_create, calendar_feed_revoke
from assessments.models import DueDate, Extension
from lms.learning.models import Cohort, Enrolment
from lms.learning.services import enrolment_create
from tests.conftest import A_HOST, B_HOST
from tests.factories import make_course, make_quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(centre_a, course_a):
    today = timezone.localdate()
    return Cohort.objects.create(
        centre=centre_a,
        course=course_a,
        title="2027 봄 야간반",
        starts_on=today - timedelta(days=10),
        ends_on=today + timedelta(days=50),
    )


@pytest.fixture
def quiz(centre_a, course_a):
    return make_quiz(centre_a, course_a, title="판다스 확인 퀴즈")


@pytest.fixture
def due_date(run, quiz):
    return DueDate.objects.create(
        cohort=run, assessment=quiz, due_at=timezone.now() + timedelta(days=3)
    )


@pytest.fixture
def enrolled(learner_a, course_a, centre_a, run):
    return enrolment_create(user=learner_a, course=course_a, centre=centre_a)


@pytest.fixture
def run_b(centre_b):
    course = make_course(centre_b, slug="b-course")
    quiz = make_quiz(centre_b, course, title="B quiz")
    today = timezone.localdate()
    cohort = Cohort.objects.create(
        centre=centre_b,
        course=course,
        title="B run",
        starts_on=today,
        ends_on=today + timedelta(days=30),
    )
    due = DueDate.objects.create(
        cohort=cohort, assessment=quiz, due_at=timezone.now() + timedelta(days=2)
    )
    return cohort, due, course


def test_dashboard_and_calendar_show_what_is_due(client, learner_a, enrolled, due_date):
    DueDate.objects.filter(pk=due_date.pk).update(due_at=timezone.now() - timedelta(hours=1))
    client.force_login(learner_a)
    page = client.get(reverse("learning:dashboard"), HTTP_HOST=A_HOST).content.decode()
    assert "data-deadlines" in page and "판다스 확인 퀴즈" in page
    assert 'data-state="overdue"' in page and "data-overdue" in page
    calendar = client.get(reverse("assessments:calendar"), HTTP_HOST=A_HOST)
    assert calendar.status_code == 200
    assert calendar.content.decode().count("판다스 확인 퀴즈") >= 2  # list and month grid


def test_calendar_page_in_english(client, learner_a, enrolled, due_date):
    client.force_login(learner_a)
    page = client.get(
        reverse("assessments:calendar"), HTTP_HOST=A_HOST, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "What is due" in page or "할 일" in page


def test_a_bad_month_falls_back_to_this_month(client, learner_a, enrolled, due_date):
    client.force_login(learner_a)
    response = client.get(reverse("assessments:calendar") + "?month=2027-99", HTTP_HOST=A_HOST)
    assert response.status_code == 200


def _feed_url(client, learner) -> str:
    client.force_login(learner)
    client.post(reverse("assessments:calendar_feed_new"), HTTP_HOST=A_HOST)
    page = client.get(reverse("assessments:calendar"), HTTP_HOST=A_HOST).content.decode()
    start = page.index('value="', page.index('id="feed-url"')) + len('value="')
    url = page[start : page.index('"', start)]
    assert "/calendar/" in url and url.endswith(".ics")
    # Shown once: the next visit does not show it again.
    again = client.get(reverse("assessments:calendar"), HTTP_HOST=A_HOST).content.decode()
    assert url not in again
    return url.split(A_HOST, 1)[-1]


def test_ical_feed_is_valid_rfc5545_in_both_languages(client, learner_a, enrolled, due_date):
    path = _feed_url(client, learner_a)
    client.logout()  # calendar apps send no session
    response = client.get(path, HTTP_HOST=A_HOST)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content
    assert body.startswith(b"BEGIN:VCALENDAR\r\n") and body.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))  # folded lines (RFC 5545 3.1)
    calendar = Calendar.from_ical(body)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    (event,) = calendar.walk("VEVENT")
    for required in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
        assert required in event
    assert event.decoded("DTSTART") == due_date.due_at.replace(microsecond=0)
    assert "판다스 확인 퀴즈" in str(event["SUMMARY"])
    english = Calendar.from_ical(client.get(path + "?lang=en", HTTP_HOST=A_HOST).content)
    assert str(english.walk("VEVENT")[0]["SUMMARY"]).startswith("Due: ")


def test_ical_feed_refuses_forged_and_revoked_tokens(client, learner_a, learner_b, enrolled):
    _feed, token = calendar_feed_create(user=learner_a)
    url = reverse("assessments:calendar_ics", args=[token])
    assert client.get(url, HTTP_HOST=A_HOST).status_code == 200
    forged = reverse(
        "assessments:calendar_ics", args=[token[:-1] + ("A" if token[-1] != "A" else "B")]
    )
    assert client.get(forged, HTTP_HOST=A_HOST).status_code == 404
    assert (
        client.get(
            reverse("assessments:calendar_ics", args=["x" * 500]), HTTP_HOST=A_HOST
        ).status_code
        == 404
    )
    # Another learner signed in gets nothing more from someone else's address than the feed.
    client.force_login(learner_b)
    assert client.get(url, HTTP_HOST=B_HOST).status_code == 200
    calendar_feed_revoke(user=learner_a)
    assert client.get(url, HTTP_HOST=A_HOST).status_code == 404
    learner_a.is_active = False
    learner_a.save()
    _feed, fresh = calendar_feed_create(user=learner_a)
    assert (
        client.get(reverse("assessments:calendar_ics", args=[fresh]), HTTP_HOST=A_HOST).status_code
        == 404
    )


def test_ical_feed_of_a_learner_holds_only_their_runs(
    client, learner_a, enrolled, due_date, run_b, learner_b
):
    _cohort, _due, course_b = run_b
    enrolment_create(user=learner_b, course=course_b, centre=learner_b.memberships.first().centre)
    _feed, token = calendar_feed_create(user=learner_a)
    body = client.get(reverse("assessments:calendar_ics", args=[token]), HTTP_HOST=A_HOST).content
    assert b"B quiz" not in body


def test_feed_buttons_are_post_only(client, learner_a):
    client.force_login(learner_a)
    assert client.get(reverse("assessments:calendar_feed_new"), HTTP_HOST=A_HOST).status_code == 405
    assert (
        client.get(reverse("assessments:calendar_feed_revoke"), HTTP_HOST=A_HOST).status_code == 405
    )


# --- Extensions page ---------------------------------------------------------------------


def _grant(client, user, **data):
    client.force_login(user)
    return client.post(reverse("assessments_extensions"), data, HTTP_HOST=A_HOST)


def _later(days: int) -> str:
    return timezone.localtime(timezone.now() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def test_instructor_grants_an_extension_on_record(
    client, instructor_a, learner_a, enrolled, due_date
):
    response = _grant(
        client,
        instructor_a,
        due_date=due_date.pk,
        learner=learner_a.pk,
        due_at=_later(7),
        reason="가족 돌봄",
    )
    assert response.status_code == 302
    (extension,) = Extension.objects.all()
    assert (extension.user, extension.granted_by, extension.reason) == (
        learner_a,
        instructor_a,
        "가족 돌봄",
    )
    page = client.get(reverse("assessments_extensions"), HTTP_HOST=A_HOST).content.decode()
    assert "가족 돌봄" in page


def test_extension_attacks_change_nothing(
    client, instructor_a, instructor_b, learner_a, learner_b, enrolled, due_date, run_b
):
    _cohort_b, due_b, course_b = run_b
    enrolment_create(user=learner_b, course=course_b, centre=learner_b.memberships.first().centre)
    cases = [
        # Centre B's instructor names centre A's due date and learner (forged ids).
        (instructor_b, {"due_date": due_date.pk, "learner": learner_a.pk}),
        # Centre A's instructor names centre B's learner on an A due date...
        (instructor_a, {"due_date": due_date.pk, "learner": learner_b.pk}),
        # ... or B's due date with B's learner.
        (instructor_a, {"due_date": due_b.pk, "learner": learner_b.pk}),
        # An A learner on B's due date.
        (instructor_a, {"due_date": due_b.pk, "learner": learner_a.pk}),
        # No reason; a date in the past; not a date.
        (instructor_a, {"due_date": due_date.pk, "learner": learner_a.pk, "reason": ""}),
        (instructor_a, {"due_date": due_date.pk, "learner": learner_a.pk, "due_at": _later(-1)}),
        (instructor_a, {"due_date": due_date.pk, "learner": learner_a.pk, "due_at": "내일"}),
        (instructor_a, {"due_date": "9999999", "learner": learner_a.pk}),
    ]
    for user, data in cases:
        response = _grant(client, user, **{"due_at": _later(5), "reason": "사유", **data})
        assert response.status_code == 400, data
    assert not Extension.objects.exists()


def test_a_learner_in_the_centre_but_not_the_run_is_refused(
    client, instructor_a, learner_a, enrolled, due_date, centre_a
):
    Enrolment.objects.filter(pk=enrolled.pk).update(cohort=None)
    response = _grant(
        client,
        instructor_a,
        due_date=due_date.pk,
        learner=learner_a.pk,
        due_at=_later(3),
        reason="x",
    )
    assert response.status_code == 400
    assert not Extension.objects.exists()


def test_counsellors_and_learners_cannot_grant(client, counsellor_b, learner_a, enrolled, due_date):
    response = _grant(
        client, learner_a, due_date=due_date.pk, learner=learner_a.pk, due_at=_later(3), reason="x"
    )
    assert response.status_code in (302, 403)
    assert not Extension.objects.exists()


# --- The course-run admin form -----------------------------------------------------------


def _run_form(cohort, quiz, *, due_at, extra=None) -> dict:
    data = {
        "centre": cohort.centre_id,
        "course": cohort.course_id,
        "title": cohort.title,
        "starts_on": cohort.starts_on.isoformat(),
        "ends_on": cohort.ends_on.isoformat(),
        "due_dates-TOTAL_FORMS": "1",
        "due_dates-INITIAL_FORMS": "0",
        "due_dates-MIN_NUM_FORMS": "0",
        "due_dates-MAX_NUM_FORMS": "1000",
        "due_dates-0-assessment": quiz.pk,
        "due_dates-0-due_at": due_at,
        "due_dates-0-policy": "penalty",
        "due_dates-0-penalty_kind": "per_day",
        "due_dates-0-penalty_percent": "10",
        "due_dates-0-penalty_cap": "50",
        "due_dates-0-cutoff_at": "",
        "due_dates-0-ORDER": "1",
        "due_dates-0-id": "",
        "due_dates-0-DELETE": "",
    }
    data.update(extra or {})
    return data


def _edit(client, user, cohort, data):
    client.force_login(user)
    return client.post(
        reverse("wagtailsnippets_learning_cohort:edit", args=[cohort.pk]), data, HTTP_HOST=A_HOST
    )


def test_admin_adds_a_due_date_to_a_run(client, admin_a, run, quiz, enrolled):
    response = _edit(client, admin_a, run, _run_form(run, quiz, due_at=_later(10)))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert DueDate.objects.filter(cohort=run, assessment=quiz).exists()


@pytest.mark.parametrize(
    ("days", "extra", "message"),
    [
        (-1, {}, "새 마감일은 지금 이후여야 합니다."),
        (200, {}, "마감일이 기수 종료일"),
        (5, {"due_dates-0-policy": "cutoff"}, "최종 마감을 정해 주세요"),
    ],
)
def test_admin_due_date_bad_input_changes_nothing(client, admin_a, run, quiz, days, extra, message):
    response = _edit(client, admin_a, run, _run_form(run, quiz, due_at=_later(days), extra=extra))
    assert response.status_code == 200  # the form again, with the message
    assert message in response.content.decode()
    assert not DueDate.objects.exists()


def test_admin_of_another_centre_cannot_edit_or_attach_their_work(
    client, admin_b, instructor_a, run, quiz, run_b
):
    _cohort_b, due_b, _course = run_b
    response = _edit(client, admin_b, run, _run_form(run, quiz, due_at=_later(5)))
    assert response.status_code == 404
    # Centre A's instructor cannot attach centre B's quiz to their run.
    response = _edit(client, instructor_a, run, _run_form(run, due_b.assessment, due_at=_later(5)))
    assert response.status_code == 200
    assert not DueDate.objects.filter(cohort=run).exists()
