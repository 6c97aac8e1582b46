"""Reads for the learner journey: course overview, lesson navigation and "My learning"."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest

from wagtail import hooks
from wagtail.models import Page

from courses.models import CoursePage, LessonPage
from courses.selectors import canonical_page_ids, lessons_of
from lms.accounts.models import Role
from lms.accounts.selectors import user_is_staff_of, user_roles_in_centre

from .models import Enrolment, LessonProgress


@dataclass
class LessonItem:
    """One lesson in a course outline, with the learner's state."""

    page: LessonPage
    url: str
    status: str = ""  # "", "started" or "completed"
    current: bool = False


@dataclass
class CourseProgress:
    total: int
    completed: int
    lessons: list[LessonItem] = field(default_factory=list)
    next_lesson: LessonItem | None = None

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 0


def _outline(
    *,
    course: Page,
    enrolment: Enrolment | None,
    request: HttpRequest,
    current_id: int | None = None,
) -> CourseProgress:
    """The lessons of a displayed course page with the learner's state, in a fixed number of
    queries whatever the number of lessons."""
    lessons = list(lessons_of(course))
    sources = canonical_page_ids(lessons)
    states: dict[int, LessonProgress] = {}
    if enrolment is not None:
        states = {
            p.lesson_id: p
            for p in LessonProgress.objects.filter(
                enrolment=enrolment, lesson_id__in=set(sources.values())
            )
        }
    items = []
    for lesson in lessons:
        state = states.get(sources[lesson.pk])
        items.append(
            LessonItem(
                page=lesson,
                url=lesson.get_url(request),
                status=state.status if state else "",
                current=lesson.pk == current_id,
            )
        )
    completed = sum(1 for item in items if item.status == LessonProgress.Status.COMPLETED)
    next_item = None
    if enrolment is not None and enrolment.last_lesson_id:
        next_item = next(
            (
                item
                for item in items
                if sources[item.page.pk] == enrolment.last_lesson_id
                and item.status != LessonProgress.Status.COMPLETED
            ),
            None,
        )
    if next_item is None:
        next_item = next((i for i in items if i.status != LessonProgress.Status.COMPLETED), None)
    return CourseProgress(
        total=len(items), completed=completed, lessons=items, next_lesson=next_item
    )


def enrolment_for(*, user, course: Page) -> Enrolment | None:
    """The user's enrolment in a course page (source, alias or translation), if any."""
    if not user.is_authenticated:
        return None
    source_id = canonical_page_ids([course])[course.pk]
    return Enrolment.objects.filter(user=user, course_id=source_id).first()


def course_overview(*, course: CoursePage, user, request: HttpRequest) -> dict:
    """Context for a course page: outline with progress, enrolment state and the learner's
    standing in the centre serving the request."""
    centre = getattr(request, "centre", None)
    enrolment = enrolment_for(user=user, course=course)
    roles = user_roles_in_centre(user=user, centre=centre)
    return {
        "enrolment": enrolment,
        "progress": _outline(course=course, enrolment=enrolment, request=request),
        "is_learner": Role.LEARNER in roles,
        "skill_outcomes": course.skill_outcomes.select_related("skill"),
        # Previews hold relations in memory (no QuerySet methods), so filter in Python.
        "prerequisite_courses": [p for p in course.prerequisites.all() if p.live],
    }


def lesson_context(*, lesson: LessonPage, user, request: HttpRequest) -> dict:
    """Context for a lesson page: the course outline with progress, whether the body may be
    shown (enrolled learners and the centre's staff), and where to resume."""
    course = lesson.get_parent().specific
    centre = getattr(request, "centre", None)
    enrolment = enrolment_for(user=user, course=course)
    progress = _outline(course=course, enrolment=enrolment, request=request, current_id=lesson.pk)
    position_items = [i for i in progress.lessons if i.current]
    index = progress.lessons.index(position_items[0]) if position_items else -1
    state = None
    if enrolment is not None:
        source_id = canonical_page_ids([lesson])[lesson.pk]
        state = LessonProgress.objects.filter(enrolment=enrolment, lesson_id=source_id).first()
    return {
        "course": course,
        "enrolment": enrolment,
        "progress": progress,
        "lesson_state": state,
        "can_read": enrolment is not None or user_is_staff_of(user=user, centre=centre),
        "previous_lesson": progress.lessons[index - 1] if index > 0 else None,
        "next_lesson_item": (
            progress.lessons[index + 1] if 0 <= index < len(progress.lessons) - 1 else None
        ),
        "outline": [block for block in lesson.body if block.block_type == "heading"],
    }


def enrolments_of(*, user) -> QuerySet[Enrolment]:
    """A learner's enrolments, newest activity first, with lesson counts for progress bars."""
    return (
        Enrolment.objects.filter(user=user)
        .select_related("course", "centre__site", "last_lesson")
        .annotate(
            completed_lessons=Count(
                "progress", filter=Q(progress__status=LessonProgress.Status.COMPLETED)
            )
        )
        .order_by("-last_activity_at")
    )


@dataclass
class DashboardRow:
    enrolment: Enrolment
    course: Page
    progress: CourseProgress
    # What higher layers add through the `learning_dashboard_rows` hook (assessments: the
    # grade so far and what is still due).
    extras: dict = field(default_factory=dict)


def dashboard(*, user, request: HttpRequest) -> list[DashboardRow]:
    """ "My learning": each enrolment with progress and the next lesson, shown in the
    language of the request where a translation exists."""
    from django.utils.translation import get_language

    language = (get_language() or "ko").split("-")[0]
    rows = []
    enrolments = list(enrolments_of(user=user))
    translations = {
        page.translation_key: page
        for page in CoursePage.objects.filter(
            translation_key__in=[e.course.translation_key for e in enrolments],
            locale__language_code=language,
            alias_of__isnull=True,
        )
    }
    for enrolment in enrolments:
        course = translations.get(enrolment.course.translation_key, enrolment.course)
        rows.append(
            DashboardRow(
                enrolment=enrolment,
                course=course,
                progress=_outline(course=course, enrolment=enrolment, request=request),
            )
        )
    for extend in hooks.get_hooks("learning_dashboard_rows"):
        extend(user=user, rows=rows)
    return rows


def dashboard_context(*, user, request: HttpRequest, rows: list[DashboardRow]) -> dict:
    """Page-wide parts of "My learning" that higher layers know (the recommender's next
    course), from the `learning_dashboard_context` hook."""
    context: dict = {}
    for extend in hooks.get_hooks("learning_dashboard_context"):
        context.update(extend(user=user, request=request, rows=rows))
    return context
