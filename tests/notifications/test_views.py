"""The pages: the header's bell, the list, read marks, settings, announcements and messages;
and what an attacker gets from them (another person's ids, another centre, forged forms)."""

from __future__ import annotations

from django.core import mail
from django.test import Client

import pytest

from lms.accounts.models import Role
from lms.counselling.services import caseload_assign
from lms.notifications import services
from lms.notifications.models import (
    Announcement,
    Channel,
    Kind,
    Message,
    MessageThread,
    Notification,
    NotificationPreference,
)
from tests.conftest import A_HOST, B_HOST
from tests.factories import member

pytestmark = pytest.mark.django_db


def _client(user, host=A_HOST) -> Client:
    client = Client(HTTP_HOST=host)
    client.force_login(user)
    return client


def _notify(user, key="graded:1", centre=None):
    return services.notification_record(
        recipient=user,
        kind=Kind.GRADED,
        key=key,
        centre=centre,
        values={"assessment": "Pandas", "score": "8", "max": "10"},
    )


def test_the_bell_counts_unread_and_the_list_marks_read(learner):
    _notify(learner, "graded:1")
    second = _notify(learner, "graded:2")
    client = _client(learner)
    page = client.get("/notifications/").content.decode()
    assert "“Pandas” 제출물이 채점되었습니다" in page
    assert '<span class="badge">2<span class="visually-hidden"> 읽지 않음' in page
    response = client.post("/notifications/read/", {"id": second.pk})
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=learner, read_at__isnull=True).count() == 1
    client.post("/notifications/read/", {"all": "1"})
    assert not Notification.objects.filter(recipient=learner, read_at__isnull=True).exists()
    english = client.get("/en/notifications/").content.decode()
    assert "Your submission to “Pandas” is graded" in english


def test_another_persons_notification_cannot_be_marked(learner, learner_b):
    theirs = _notify(learner_b)
    response = _client(learner).post("/notifications/read/", {"id": theirs.pk})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert _client(learner).post("/notifications/read/", {"id": "x"}).status_code == 400
    assert "Pandas" not in _client(learner).get("/notifications/").content.decode()


def test_settings_are_saved_and_bad_ones_refused(learner):
    client = _client(learner)
    choices = dict.fromkeys(Kind.values, Channel.EMAIL)
    choices[Kind.MESSAGE] = Channel.OFF
    assert client.post("/notifications/preferences/", choices).status_code == 302
    assert NotificationPreference.objects.get(user=learner, kind=Kind.MESSAGE).channel == "off"
    choices[Kind.GRADED] = "carrier-pigeon"
    assert client.post("/notifications/preferences/", choices).status_code == 400
    assert not NotificationPreference.objects.filter(user=learner, kind=Kind.GRADED).exists()


def test_an_instructor_announces_and_learners_get_it_in_their_language(
    centre_a, course_a, learner, instructor_a, django_capture_on_commit_callbacks
):
    learner.preferred_language = "en"
    learner.save()
    url = f"/notifications/courses/{course_a.pk}/announcements/"
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(instructor_a).post(url, {"title": "No class", "body": "Room 301"})
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=learner, kind=Kind.ANNOUNCEMENT).count() == 1
    (email,) = mail.outbox
    assert email.to == [learner.email] and "Room 301" in email.body
    assert email.subject.endswith(": No class")
    assert "http://dongtan.localhost/en/notifications/courses/" in email.body
    page = _client(learner).get(url).content.decode()
    assert "Room 301" in page and "Post an announcement" not in page


def test_bad_announcements_change_nothing(centre_a, course_a, learner, instructor_a, instructor_b):
    url = f"/notifications/courses/{course_a.pk}/announcements/"
    assert _client(instructor_a).post(url, {"title": "t", "body": ""}).status_code == 400
    assert _client(learner).post(url, {"title": "t", "body": "b"}).status_code == 403
    assert _client(instructor_b).post(url, {"title": "t", "body": "b"}).status_code == 404
    assert _client(instructor_b, B_HOST).post(url, {"title": "t", "body": "b"}).status_code == 404
    forged = "/notifications/courses/999999/announcements/"
    assert _client(instructor_a).post(forged, {"title": "t", "body": "b"}).status_code == 404
    assert not Announcement.objects.exists() and not Notification.objects.exists()


def test_a_counsellor_writes_and_the_learner_answers(
    centre_a, followed, counsellor_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(counsellor_a).post(
            "/notifications/messages/new/", {"to": followed.pk, "body": "다음 주 상담 어때요?"}
        )
    thread = MessageThread.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{thread.pk}/")
    (email,) = mail.outbox
    assert email.to == [followed.email] and "새 메시지" in email.subject
    learner_client = _client(followed)
    page = learner_client.get(f"/notifications/messages/{thread.pk}/").content.decode()
    assert "다음 주 상담 어때요?" in page
    assert not Notification.objects.filter(recipient=followed, read_at__isnull=True).exists()
    with django_capture_on_commit_callbacks(execute=True):
        learner_client.post(f"/notifications/messages/{thread.pk}/", {"body": "좋아요"})
    assert Message.objects.filter(thread=thread).count() == 2
    assert mail.outbox[-1].to == [counsellor_a.email]


def test_messages_to_people_outside_the_caseload_are_refused(
    centre_a, centre_b, followed, learner_b, counsellor_a, other_counsellor_a, admin_b
):
    caseload_assign(
        centre=centre_b,
        counsellor=member(centre_b, Role.COUNSELLOR, username="cb"),
        learners=[learner_b],
        assigned_by=admin_b,
    )
    new = "/notifications/messages/new/"
    attempts = [
        (_client(counsellor_a), {"to": learner_b.pk, "body": "hi"}, 400),  # another centre
        (_client(counsellor_a), {"to": "9999999", "body": "hi"}, 400),  # forged id
        (_client(counsellor_a), {"to": followed.pk, "body": "  "}, 400),  # empty body
        (_client(other_counsellor_a), {"to": followed.pk, "body": "hi"}, 403),  # not theirs
        (_client(counsellor_a, B_HOST), {"to": followed.pk, "body": "hi"}, 403),  # B's host
    ]
    for client, data, status in attempts:
        assert client.post(new, data).status_code == status, data
    assert not Message.objects.exists() and not Notification.objects.exists()
    assert not mail.outbox


def test_a_thread_is_only_its_two_peoples(
    centre_a, followed, counsellor_a, other_counsellor_a, learner, admin_a, learner_b
):
    message = services.message_send(
        centre=centre_a, sender=counsellor_a, to=followed, body="비밀 이야기"
    )
    url = f"/notifications/messages/{message.thread_id}/"
    for outsider in (other_counsellor_a, admin_a, learner_b):
        client = _client(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, {"body": "끼어들기"}).status_code == 404
    assert _client(counsellor_a, B_HOST).get(url).status_code == 404
    assert _client(followed).post(url, {"body": ""}).status_code == 400
    assert Message.objects.count() == 1
    page = _client(other_counsellor_a).get("/notifications/messages/").content.decode()
    assert "비밀 이야기" not in page and followed.display_name not in page
