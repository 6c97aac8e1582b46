"""Writes of the learner journey: enrol, visit a lesson, complete it, remember the place."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail import hooks
from wagtail.models import Page

from courses.models import CoursePage, LessonPage
from courses.selectors import canonical_page_id, page_in_site
from hub_sites.models import Centre
from lms.accounts.models import Membership, Role
from lms.skills.models import SkillEvidence
from lms.skills.services import GradedItem, evidence_record_graded

from .models import Cohort, Enrolment, LessonProgress
from .signals import (
    course_completed,
    course_completion_recorded,
    enrolment_created,
    lesson_completed,
    lesson_started,
)


class AlreadyEnrolled(ValidationError):
    """Raised when asking to enrol in a course one is enrolled in already."""


def _source_course(course: Page) -> CoursePage:
    return CoursePage.objects.get(pk=canonical_page_id(course))


def _source_lesson(lesson: Page) -> LessonPage:
    return LessonPage.objects.get(pk=canonical_page_id(lesson))


def enrolment_create(*, user, course: CoursePage, centre: Centre | None) -> Enrolment:
    """Enrol a learner of `centre` in a course that centre offers.

    The course may be the source page, an alias offered by the centre, or a translation; the
    enrolment is always kept against the source. Refuses (and changes nothing) when the course
    is not live, is not in the centre's catalogue, the user is not a learner of the centre, or
    they are enrolled already (AlreadyEnrolled).
    """
    if not user.is_authenticated:
        raise PermissionDenied(_("Log in to enrol."))
    if centre is None:
        raise ValidationError(_("This address does not belong to a centre."), code="no_centre")
    if not course.live:
        raise ValidationError(_("This course is not open for enrolment."), code="not_live")
    if not page_in_site(page=course, root=centre.site.root_page):
        raise ValidationError(
            _("This course is not offered by %(centre)s.") % {"centre": centre},
            code="other_centre",
        )
    if not Membership.objects.filter(user=user, centre=centre, role=Role.LEARNER).exists():
        raise PermissionDenied(
            _("Join %(centre)s as a learner before enrolling in its courses.") % {"centre": centre}
        )
    source = _source_course(course)
    if Enrolment.objects.filter(user=user, course=source).exists():
        raise AlreadyEnrolled(_("You are already enrolled in this course."), code="duplicate")
    enrolment = Enrolment(
        user=user,
        course=source,
        centre=centre,
        cohort=cohort_pick(centre_id=centre.pk, course_id=source.pk),
    )
    enrolment.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            enrolment.save()
            enrolment_created.send(sender=Enrolment, enrolment=enrolment)
    except IntegrityError as exc:  # a concurrent request enrolled first
        raise AlreadyEnrolled(
            _("You are already enrolled in this course."), code="duplicate"
        ) from exc
    return enrolment


def cohort_pick(*, centre_id: int, course_id: int) -> Cohort | None:
    """The course run a new enrolment joins: the centre's run of the course going on today
    (the one that started last), else the next to start; None when it has neither."""
    today = timezone.localdate()
    runs = Cohort.objects.filter(centre_id=centre_id, course_id=course_id, ends_on__gte=today)
    current = runs.filter(starts_on__lte=today).order_by("-starts_on", "-pk").first()
    return current or runs.order_by("starts_on", "pk").first()


def enrolment_cohort_set(*, enrolment: Enrolment, cohort: Cohort | None) -> Enrolment:
    """Place an enrolment in a run of its course at its centre (None: in no run).

    Refuses a run of another course or centre, changing nothing.
    """
    if cohort is not None and (
        cohort.course_id != enrolment.course_id or cohort.centre_id != enrolment.centre_id
    ):
        raise ValidationError(
            _("%(run)s is a run of another course or centre.") % {"run": cohort},
            code="other_run",
        )
    enrolment.cohort = cohort
    enrolment.save(update_fields=["cohort"])
    return enrolment


@transaction.atomic
def cohort_learners_set(*, cohort: Cohort, enrolments: list[Enrolment]) -> Cohort:
    """Make exactly these enrolments the run's learners (those left out leave the run).

    Refuses, changing nothing, an enrolment in another course or centre.
    """
    for enrolment in enrolments:
        enrolment_cohort_set(enrolment=enrolment, cohort=cohort)
    keep = [e.pk for e in enrolments]
    Enrolment.objects.filter(cohort=cohort).exclude(pk__in=keep).update(cohort=None)
    return cohort


def _enrolment_for_lesson(*, user, lesson: LessonPage) -> tuple[Enrolment, LessonPage]:
    source_lesson = _source_lesson(lesson)
    course_id = source_lesson.get_parent().pk
    enrolment = Enrolment.objects.filter(user=user, course_id=course_id).first()
    if enrolment is None:
        raise PermissionDenied(_("Enrol in this course to record your progress."))
    return enrolment, source_lesson


# Opening lessons is frequent; the last-activity time is refreshed at most this often.
ACTIVITY_RESOLUTION = timedelta(minutes=5)


def lesson_visit(*, user, lesson: LessonPage) -> LessonProgress | None:
    """Record that an enrolled learner opened a lesson: it becomes started and the place to
    resume. Does nothing for anyone not enrolled (visitors, staff previewing), and writes
    nothing when a learner reopens the lesson they are on."""
    try:
        enrolment, source_lesson = _enrolment_for_lesson(user=user, lesson=lesson)
    except PermissionDenied:
        return None
    progress = LessonProgress.objects.filter(enrolment=enrolment, lesson=source_lesson).first()
    return lesson_visit_enrolled(enrolment=enrolment, lesson_id=source_lesson.pk, progress=progress)


def lesson_visit_enrolled(
    *, enrolment: Enrolment, lesson_id: int, progress: LessonProgress | None
) -> LessonProgress:
    """`lesson_visit` for a caller that has read the enrolment and the learner's progress in
    the source lesson `lesson_id` already (None: none yet); returns the progress."""
    now = timezone.now()
    if (
        progress is not None
        and enrolment.last_lesson_id == lesson_id
        and enrolment.last_activity_at > now - ACTIVITY_RESOLUTION
    ):
        return progress
    with transaction.atomic():
        progress, created = LessonProgress.objects.get_or_create(
            enrolment=enrolment, lesson_id=lesson_id
        )
        Enrolment.objects.filter(pk=enrolment.pk).update(
            last_lesson_id=lesson_id, last_activity_at=now
        )
        if created:
            lesson_started.send(sender=LessonProgress, progress=progress)
    enrolment.last_lesson_id = lesson_id
    enrolment.last_activity_at = now
    return progress


@transaction.atomic
def lesson_complete(*, user, lesson: LessonPage) -> LessonProgress:
    """Mark a lesson completed for an enrolled learner (idempotent: the first time counts)."""
    if not lesson.live:
        raise ValidationError(_("This lesson is not published."), code="not_live")
    enrolment, source_lesson = _enrolment_for_lesson(user=user, lesson=lesson)
    progress, _created = LessonProgress.objects.select_for_update().get_or_create(
        enrolment=enrolment, lesson=source_lesson
    )
    if progress.status != LessonProgress.Status.COMPLETED:
        progress.status = LessonProgress.Status.COMPLETED
        progress.completed_at = timezone.now()
        progress.save(update_fields=["status", "completed_at", "updated_at"])
        lesson_completed.send(sender=LessonProgress, progress=progress)
    Enrolment.objects.filter(pk=enrolment.pk).update(
        last_lesson=source_lesson, last_activity_at=timezone.now()
    )
    enrolment_completion_evaluate(enrolment=enrolment)
    return progress


def lesson_position_save(*, user, lesson: LessonPage, position: str) -> LessonProgress:
    """Remember the section of a lesson a learner reached, to resume there."""
    position = (position or "").strip()
    if position and position not in {block.id for block in lesson.body}:
        raise ValidationError(_("That is not a section of this lesson."), code="bad_position")
    enrolment, source_lesson = _enrolment_for_lesson(user=user, lesson=lesson)
    progress, _created = LessonProgress.objects.get_or_create(
        enrolment=enrolment, lesson=source_lesson
    )
    progress.position = position
    progress.save(update_fields=["position", "updated_at"])
    return progress


def completion_status(*, enrolment: Enrolment) -> dict:
    """Where an enrolment stands against the completion rule: required lessons completed,
    and what the apps above require of the course.

    Each function registered under the `course_completion_status` hook is called as
    `fn(enrolment=enrolment)` and returns its part of the status, with `complete` saying
    whether that part is met (assessments: required assessments passed and the course grade
    at the course pass mark). The course is complete when every part is.
    """
    course = enrolment.course
    required = LessonPage.objects.child_of(course).live().filter(required=True)
    required_ids = set(required.values_list("pk", flat=True))
    done_ids = set(
        LessonProgress.objects.filter(
            enrolment=enrolment,
            status=LessonProgress.Status.COMPLETED,
            lesson_id__in=required_ids,
        ).values_list("lesson_id", flat=True)
    )
    status = {
        "lessons_required": len(required_ids),
        "lessons_done": len(done_ids),
        "lessons_ok": required_ids <= done_ids,
    }
    complete = status["lessons_ok"]
    for requirement in hooks.get_hooks("course_completion_status"):
        part = dict(requirement(enrolment=enrolment))
        complete = part.pop("complete") and complete
        status.update(part)
    status["complete"] = complete
    return status


@transaction.atomic
def enrolment_completion_evaluate(*, enrolment: Enrolment) -> bool:
    """Mark an enrolment completed when the completion rule is met — exactly once.

    On the transition it records the course's skill outcomes as evidence and sends
    `course_completed` after commit. Returns whether this call completed it.
    """
    if enrolment.status == Enrolment.Status.COMPLETED:
        return False
    if not completion_status(enrolment=enrolment)["complete"]:
        return False
    now = timezone.now()
    changed = Enrolment.objects.filter(pk=enrolment.pk, status=Enrolment.Status.ACTIVE).update(
        status=Enrolment.Status.COMPLETED, completed_at=now
    )
    if not changed:  # completed by a concurrent request
        return False
    enrolment.refresh_from_db()
    outcomes = enrolment.course.skill_outcomes.select_related("skill")
    evidence_record_graded(
        user=enrolment.user,
        items=[
            GradedItem(
                o.skill, o.level, points=1, max_points=1, source_id=f"enrolment:{enrolment.pk}"
            )
            for o in outcomes
        ],
        source_type=SkillEvidence.Source.COURSE_COMPLETION,
        source_label=enrolment.course.title,
        course=enrolment.course,
    )
    course_completion_recorded.send(sender=Enrolment, enrolment=enrolment)
    transaction.on_commit(lambda: course_completed.send(sender=Enrolment, enrolment=enrolment))
    return True
