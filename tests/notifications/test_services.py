"""Notifications are recorded once per event and person, e-mailed once in the recipient's
language, and routed by each person's preferences."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core import mail
from django.utils import timezone

import pytest

from assessments.models import Assessment, Attempt, GradingResult
from assessments.signals import attempt_grade_recorded
from lms.certificates.services import certificate_issue
from lms.counselling.services import plan_create
from lms.notifications import services, tasks
from lms.notifications.models import Channel, CourseUpdate, Kind, Notification
from tests.factories import lessons_of

pytestmark = pytest.mark.django_db


def _record(learner, key="graded:1", kind=Kind.GRADED, centre=None, **values):
    return services.notification_record(
        recipient=learner,
        kind=kind,
        key=key,
        centre=centre,
        values={"assessment": "Pandas", "score": "8", "max": "10", **values},
    )


def _graded_notebook(centre, course, learner) -> tuple[Attempt, GradingResult]:
    notebook = Assessment.objects.create(
        centre=centre, title="판다스 연습", kind=Assessment.Kind.NOTEBOOK, max_attempts=3
    )
    attempt = Attempt.objects.create(
        assessment=notebook, user=learner, course=course, number=1, status="graded"
    )
    grading = GradingResult.objects.create(
        attempt=attempt, status="done", score=Decimal("7.50"), max_score=Decimal("10.00")
    )
    return attempt, grading


def test_an_event_is_recorded_once_per_person(learner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _record(learner)
        again = _record(learner)
    assert first is not None and again is None
    assert Notification.objects.filter(recipient=learner).count() == 1
    assert len(mail.outbox) == 1


def test_the_email_is_sent_once_however_often_the_task_runs(learner):
    notification = _record(learner)
    assert services.notification_email_send(notification_id=notification.pk)
    assert not services.notification_email_send(notification_id=notification.pk)
    tasks.send_email.delay(notification.pk)
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.email == Notification.Email.SENT and notification.emailed_at


def test_a_failed_send_is_retried_later_not_lost(learner, monkeypatch):
    notification = _record(learner)

    def broken(self, *args, **kwargs):
        raise OSError("smtp down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    with pytest.raises(OSError):
        services.notification_email_send(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.email == Notification.Email.PENDING
    monkeypatch.undo()
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - timedelta(minutes=10)
    )
    assert tasks.emails_resume() == 1
    assert len(mail.outbox) == 1


def test_email_is_written_in_the_recipients_language(learner):
    learner.preferred_language = "en"
    learner.save()
    services.notification_email_send(notification_id=_record(learner).pk)
    english = mail.outbox[-1]
    assert english.subject == "Your submission to “Pandas” is graded"
    assert "Score: 8 of 10." in english.body
    assert english.to == ["minji@a.example"]
    learner.preferred_language = "ko"
    learner.save()
    services.notification_email_send(notification_id=_record(learner, key="graded:2").pk)
    korean = mail.outbox[-1]
    assert "채점" in korean.subject, korean.subject
    assert "/en/" not in korean.body


def test_preferences_route_each_kind(learner):
    services.preferences_set(
        user=learner, channels={Kind.GRADED: Channel.OFF, Kind.CERTIFICATE: Channel.SITE}
    )
    assert _record(learner) is None
    site_only = _record(learner, key="certificate:1", kind=Kind.CERTIFICATE, course="SQL")
    assert site_only.email == Notification.Email.NONE
    services.preferences_set(user=learner, channels={Kind.GRADED: Channel.DIGEST})
    assert _record(learner, key="graded:3").email == Notification.Email.DIGEST
    assert not mail.outbox


def test_unknown_preferences_are_refused(learner):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.preferences_set(user=learner, channels={"graded": "pigeon"})


def test_the_daily_digest_holds_each_notification_once(learner, centre_a):
    services.preferences_set(user=learner, channels={Kind.GRADED: Channel.DIGEST})
    _record(learner, key="graded:1", centre=centre_a)
    _record(learner, key="graded:2", centre=centre_a, assessment="SQL")
    assert tasks.daily_digest() == 1
    assert tasks.daily_digest() == 0
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert "Pandas" in digest.body and "SQL" in digest.body
    assert "2" in digest.subject
    assert "http://dongtan.localhost" in digest.body


def test_a_graded_notebook_submission_is_notified(centre_a, course_a, learner):
    attempt, grading = _graded_notebook(centre_a, course_a, learner)
    attempt_grade_recorded.send(sender=Attempt, attempt=attempt, grading=grading)
    attempt_grade_recorded.send(sender=Attempt, attempt=attempt, grading=grading)
    (notification,) = Notification.objects.filter(recipient=learner, kind=Kind.GRADED)
    assert notification.values["score"] == "7.5" and notification.values["max"] == "10"
    assert notification.key == f"graded:{grading.pk}"


def test_a_quiz_graded_in_front_of_the_learner_is_not_notified(centre_a, course_a, learner):
    attempt, _grading = _graded_notebook(centre_a, course_a, learner)
    attempt_grade_recorded.send(sender=Attempt, attempt=attempt, grading=None)
    assert not Notification.objects.filter(recipient=learner).exists()


def test_an_issued_certificate_is_notified(centre_a, course_a, learner, admin_a):
    certificate = certificate_issue(
        learner=learner, course=course_a, centre=centre_a, user=admin_a, require_completion=False
    )
    (notification,) = Notification.objects.filter(recipient=learner, kind=Kind.CERTIFICATE)
    assert notification.key == f"certificate:{certificate.pk}"


def test_a_new_plan_is_notified(centre_a, followed, counsellor_a):
    plan = plan_create(
        centre=centre_a,
        learner=followed,
        author=counsellor_a,
        target_date=timezone.localdate() + timedelta(days=30),
        agreed="Finish the SQL course",
    )
    (notification,) = Notification.objects.filter(recipient=followed, kind=Kind.PLAN)
    assert notification.key == f"plan:{plan.pk}"
    assert notification.values["counsellor"] == counsellor_a.display_name


def test_a_due_item_is_reminded_once_per_due_time(centre_a, learner, settings):
    due = timezone.now() + timedelta(hours=30)
    item = services.DueItem(
        learner=learner,
        centre=centre_a,
        key="exercise:5:run:2",
        title="Pandas",
        due_at=due,
        link=("learning:dashboard", []),
    )
    settings.DASI_DUE_ITEMS_SOURCE = "tests.notifications.test_services.due_source"
    due_source.items = [item]
    assert tasks.deadline_reminders() == 1
    assert tasks.deadline_reminders() == 0
    past = services.DueItem(**{**item.__dict__, "key": "old", "due_at": timezone.now()})
    assert services.deadline_remind(item=past) is None


def due_source(start, end):
    return [item for item in due_source.items if start < item.due_at <= end]


due_source.items = []


def test_no_deadline_source_means_no_reminders(settings):
    settings.DASI_DUE_ITEMS_SOURCE = ""
    assert tasks.deadline_reminders() == 0


def test_course_updates_are_debounced(course_a, learner, settings):
    settings.DASI_COURSE_UPDATE_DEBOUNCE = 600
    lesson = lessons_of(course_a)[0]
    CourseUpdate.objects.all().delete()  # the course's own first publication
    start = timezone.now()
    for minute in (0, 3, 7):
        services.course_update_record(page=lesson, when=start + timedelta(minutes=minute))
    assert services.course_updates_flush(now=start + timedelta(minutes=12)) == 0  # not quiet yet
    assert services.course_updates_flush(now=start + timedelta(minutes=18)) == 1
    assert services.course_updates_flush(now=start + timedelta(minutes=30)) == 0  # told once
    (notification,) = Notification.objects.filter(recipient=learner, kind=Kind.COURSE_UPDATE)
    assert notification.values["page"] == lesson.title
    assert notification.email == Notification.Email.DIGEST  # course news waits for the digest
    services.course_update_record(page=course_a, when=start + timedelta(hours=2))
    assert services.course_updates_flush(now=start + timedelta(hours=3)) == 1


def test_publishing_a_lesson_records_a_course_update(course_a):
    from courses.services import page_publish

    lesson = lessons_of(course_a)[1]
    CourseUpdate.objects.all().delete()
    lesson.title = "레슨 2 (개정)"
    page_publish(lesson)
    update = CourseUpdate.objects.get(translation_key=course_a.translation_key)
    assert update.page_title == "레슨 2 (개정)"
