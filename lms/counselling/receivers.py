"""Events that change a learner's risk, each handed to `services.risk_invalidate`.

The stored risk (models.LearnerRisk) reads lesson progress, enrolments, graded attempts,
plans, goal roles, pass marks and the required lessons of a course. Every write of those
reaches one receiver here: model saves and deletes, grading and completion events (written
with plain UPDATEs, so without a save), and publishing a lesson. Opening a lesson only moves
`Enrolment.last_activity_at` with an UPDATE and no event: `selectors.stored_rows` sees that
activity itself. The passing of time (a silence growing, a target date coming closer) is the
beat task's: every row is computed again each day, and a row computed before a due date of
the learner's course run passed is computed again once it has (`tasks.risk_refresh`).
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from assessments.models import Assessment, Attempt, CourseAssessment, DueDate, Extension
from assessments.signals import attempt_grade_recorded
from courses.models import LessonPage
from lms.learning.models import Enrolment, LessonProgress
from lms.learning.signals import course_completion_recorded
from lms.skills.models import LearnerGoal

from .models import LearnerPlan
from .services import risk_invalidate

# Attempt fields that never change a risk: answers saved while the attempt is open.
_ATTEMPT_DRAFT_FIELDS = frozenset({"answers"})
# Lesson progress fields that only record a moment of activity (the resume point).
_PROGRESS_ACTIVITY_FIELDS = frozenset({"position", "updated_at"})


def _learner_changed(sender, instance, **kwargs) -> None:
    """Enrolments, plans and goal roles: the row's own learner."""
    learner_id = getattr(instance, "user_id", None) or getattr(instance, "learner_id", None)
    if learner_id:
        risk_invalidate(learners=[learner_id])


def _progress_changed(sender, instance, update_fields=None, **kwargs) -> None:
    activity_only = bool(update_fields) and set(update_fields) <= _PROGRESS_ACTIVITY_FIELDS
    risk_invalidate(
        learners=Enrolment.objects.filter(pk=instance.enrolment_id).values("user_id"),
        activity_only=activity_only,
    )


def _attempt_changed(sender, instance, update_fields=None, created=False, **kwargs) -> None:
    if update_fields and set(update_fields) <= _ATTEMPT_DRAFT_FIELDS:
        return
    # A new attempt is a moment of activity; a graded one is an outcome.
    activity_only = created and instance.status != Attempt.Status.GRADED
    risk_invalidate(learners=[instance.user_id], activity_only=activity_only)


def _attempt_graded(sender, attempt, **kwargs) -> None:
    risk_invalidate(learners=[attempt.user_id])


def _enrolment_completed(sender, enrolment, **kwargs) -> None:
    risk_invalidate(learners=[enrolment.user_id])


def _assessment_changed(sender, instance, **kwargs) -> None:
    """A pass mark or the skills an assessment evidences: everyone who attempted it."""
    if isinstance(instance, CourseAssessment):
        attempts = Attempt.objects.filter(
            assessment_id=instance.assessment_id, course_id=instance.course_id
        )
    else:
        attempts = Attempt.objects.filter(assessment_id=instance.pk)
    risk_invalidate(learners=attempts.values("user_id"))


def _due_date_changed(sender, instance, **kwargs) -> None:
    """A due date of a course run set, moved or removed: every learner of the run."""
    risk_invalidate(
        learners=Enrolment.objects.filter(cohort_id=instance.cohort_id).values("user_id")
    )


def _extension_granted(sender, instance, **kwargs) -> None:
    risk_invalidate(learners=[instance.user_id])


def _course_lessons_changed(course: Page | None) -> None:
    """The required lessons of a course (in any of its languages) changed."""
    if course is None:
        return
    courses = Page.objects.filter(translation_key=course.translation_key).values("pk")
    risk_invalidate(learners=Enrolment.objects.filter(course_id__in=courses).values("user_id"))


def _is_lesson(page) -> bool:
    return isinstance(page, LessonPage) or issubclass(page.specific_class or Page, LessonPage)


def _lesson_published(sender, instance, **kwargs) -> None:
    if _is_lesson(instance):
        _course_lessons_changed(instance.get_parent())


def _lesson_moved(sender, instance, parent_page_before=None, parent_page_after=None, **kwargs):
    if _is_lesson(instance):
        _course_lessons_changed(parent_page_before)
        if parent_page_after is not None and parent_page_after != parent_page_before:
            _course_lessons_changed(parent_page_after)


def _lesson_deleted(sender, instance, **kwargs) -> None:
    _course_lessons_changed(instance.get_parent())


def connect() -> None:
    for model in (Enrolment, LearnerPlan, LearnerGoal):
        post_save.connect(_learner_changed, sender=model, dispatch_uid=f"dasi-risk-s-{model}")
        post_delete.connect(_learner_changed, sender=model, dispatch_uid=f"dasi-risk-d-{model}")
    post_save.connect(_progress_changed, sender=LessonProgress, dispatch_uid="dasi-risk-s-lp")
    post_delete.connect(_progress_changed, sender=LessonProgress, dispatch_uid="dasi-risk-d-lp")
    post_save.connect(_attempt_changed, sender=Attempt, dispatch_uid="dasi-risk-s-attempt")
    post_delete.connect(_attempt_changed, sender=Attempt, dispatch_uid="dasi-risk-d-attempt")
    attempt_grade_recorded.connect(_attempt_graded, dispatch_uid="dasi-risk-graded")
    course_completion_recorded.connect(_enrolment_completed, dispatch_uid="dasi-risk-completed")
    for model in (Assessment, CourseAssessment):
        post_save.connect(_assessment_changed, sender=model, dispatch_uid=f"dasi-risk-s-{model}")
        post_delete.connect(_assessment_changed, sender=model, dispatch_uid=f"dasi-risk-d-{model}")
    post_save.connect(_due_date_changed, sender=DueDate, dispatch_uid="dasi-risk-s-due")
    post_delete.connect(_due_date_changed, sender=DueDate, dispatch_uid="dasi-risk-d-due")
    post_save.connect(_extension_granted, sender=Extension, dispatch_uid="dasi-risk-s-ext")
    post_delete.connect(_extension_granted, sender=Extension, dispatch_uid="dasi-risk-d-ext")
    page_published.connect(_lesson_published, dispatch_uid="dasi-risk-published")
    page_unpublished.connect(_lesson_published, dispatch_uid="dasi-risk-unpublished")
    post_page_move.connect(_lesson_moved, dispatch_uid="dasi-risk-moved")
    post_delete.connect(_lesson_deleted, sender=LessonPage, dispatch_uid="dasi-risk-lesson-gone")
