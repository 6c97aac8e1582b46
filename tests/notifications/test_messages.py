"""Announcements reach a course's learners once; private messages go only between a
counsellor and a learner of their caseload in the same centre."""

from __future__ import annotations

from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

import pytest

from lms.accounts.models import Role
from lms.counselling.services import caseload_assign
from lms.learning.services import enrolment_create
from lms.notifications import services
from lms.notifications.models import Kind, Message, MessageThread, Notification
from tests.factories import make_course, member

pytestmark = pytest.mark.django_db


def test_an_announcement_reaches_each_learner_once(centre_a, course_a, learner, instructor_a):
    announcement = services.announcement_create(
        centre=centre_a, course=course_a, author=instructor_a, title="휴강", body="다음 주 휴강"
    )
    assert services.announcement_deliver(announcement=announcement) == 1
    assert services.announcement_deliver(announcement=announcement) == 0
    (notification,) = Notification.objects.filter(recipient=learner, kind=Kind.ANNOUNCEMENT)
    assert notification.values["body"] == "다음 주 휴강"


def test_an_announcement_reaches_only_learners_of_its_course_and_centre(
    centre_a, centre_b, course_a, learner, learner_b, instructor_a
):
    other = make_course(centre_a, "sql-basics", lessons=1, translate=False)
    bystander = member(centre_a, Role.LEARNER, username="bystander")
    enrolment_create(user=bystander, course=other, centre=centre_a)
    announcement = services.announcement_create(
        centre=centre_a, course=course_a, author=instructor_a, title="t", body="b"
    )
    services.announcement_deliver(announcement=announcement)
    assert list(Notification.objects.values_list("recipient", flat=True)) == [learner.pk]


def test_only_the_centres_instructors_post_announcements(centre_a, course_a, instructor_b, learner):
    for author in (instructor_b, learner):
        with pytest.raises(PermissionDenied):
            services.announcement_create(
                centre=centre_a, course=course_a, author=author, title="t", body="b"
            )


def test_a_counsellor_and_their_learner_write_both_ways(centre_a, followed, counsellor_a):
    first = services.message_send(centre=centre_a, sender=counsellor_a, to=followed, body="안녕")
    reply = services.thread_reply(thread=first.thread, sender=followed, body="네, 안녕하세요")
    assert reply.thread == first.thread
    assert MessageThread.objects.count() == 1
    assert Notification.objects.filter(recipient=followed, kind=Kind.MESSAGE).count() == 1
    assert Notification.objects.filter(recipient=counsellor_a, kind=Kind.MESSAGE).count() == 1
    assert len(mail.outbox) == 0  # queued after commit; see the view tests for the e-mails


@pytest.mark.parametrize("body", ["", "   \n "])
def test_an_empty_message_is_refused(centre_a, followed, counsellor_a, body):
    with pytest.raises(ValidationError):
        services.message_send(centre=centre_a, sender=counsellor_a, to=followed, body=body)
    assert not Message.objects.exists() and not Notification.objects.exists()


def test_a_counsellor_cannot_write_outside_their_caseload(
    centre_a, centre_b, learner, counsellor_a, other_counsellor_a, learner_b, admin_b, followed
):
    caseload_assign(
        centre=centre_b,
        counsellor=member(centre_b, Role.COUNSELLOR, username="cb"),
        learners=[learner_b],
        assigned_by=admin_b,
    )
    refused = [
        (other_counsellor_a, followed, centre_a),  # not in this counsellor's caseload
        (counsellor_a, learner_b, centre_a),  # another centre's learner
        (counsellor_a, followed, centre_b),  # the right pair, the wrong centre
        (followed, other_counsellor_a, centre_a),  # a learner to a counsellor not theirs
        (followed, learner, centre_a),  # a learner to a learner
    ]
    for sender, to, centre in refused:
        with pytest.raises(ValidationError):
            services.message_send(centre=centre, sender=sender, to=to, body="hi")
    assert not Message.objects.exists() and not Notification.objects.exists()


def test_a_stranger_cannot_reply_in_a_thread(centre_a, followed, counsellor_a, other_counsellor_a):
    message = services.message_send(centre=centre_a, sender=counsellor_a, to=followed, body="hi")
    with pytest.raises(PermissionDenied):
        services.thread_reply(thread=message.thread, sender=other_counsellor_a, body="me too")
    assert Message.objects.count() == 1
