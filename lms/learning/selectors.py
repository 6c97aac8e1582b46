"""Reads for the learner journey: course overview, lesson navigation and "My learning"."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.safestring import mark_safe

from wagtail import hooks
from wagtail.models import Page

from courses.models import CoursePage, LessonPage
from courses.selectors import (
    canonical_page_id,
    canonical_page_ids,
    lesson_body,
    lessons_of,
    shared_cached,
)
from lms.accounts.models import Role
from lms.accounts.selectors import user_is_staff_of, user_roles_in_centre

from .models import Enrolment, LessonProgress


@dataclass(frozen=True)
class OutlineEntry:
    """One lesson of a course outline as every visitor sees it."""

    pk: int
    source_id: int  # the lesson progress is kept against (see canonical_page_ids)
    title: str
    url: str


@dataclass
class LessonItem:
    """One lesson in a course outline, with the learner's state."""

    pk: int
    source_id: int
    title: str
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


@dataclass
class LearnerCourseState:
    """A user's enrolment in a course and their progress rows by source lesson id."""

    enrolment: Enrolment | None
    states: dict[int, LessonProgress]


def course_outline(*, course: Page, request: HttpRequest) -> list[OutlineEntry]:
    """The live lessons of a displayed course page with their addresses and source ids,
    shared by every visitor (cached with the published version)."""

    def build() -> list[OutlineEntry]:
        lessons = list(lessons_of(course))
        sources = canonical_page_ids(lessons)
        return [
            OutlineEntry(
                pk=lesson.pk,
                source_id=sources[lesson.pk],
                title=lesson.title,
                url=lesson.get_url(request),
            )
            for lesson in lessons
        ]

    return shared_cached(request, ("outline", course.pk), build)


def course_source_id(*, course: Page, request: HttpRequest) -> int:
    """The id of a course page's source (shared, cached with the published version)."""
    return shared_cached(request, ("source", course.pk), lambda: canonical_page_id(course))


def learner_course_state(*, user, course: Page, request: HttpRequest) -> LearnerCourseState:
    """The user's enrolment in a course page (source, alias or translation) and their lesson
    progress in it: two indexed queries, read once per request."""
    memo = request.__dict__.setdefault("_dasi_learner_states", {})
    if course.pk in memo:
        return memo[course.pk]
    enrolment = None
    states: dict[int, LessonProgress] = {}
    if user.is_authenticated:
        source_id = course_source_id(course=course, request=request)
        enrolment = Enrolment.objects.filter(user=user, course_id=source_id).first()
        if enrolment is not None:
            states = {p.lesson_id: p for p in LessonProgress.objects.filter(enrolment=enrolment)}
    memo[course.pk] = LearnerCourseState(enrolment=enrolment, states=states)
    return memo[course.pk]


def _outline(
    *,
    course: Page,
    enrolment: Enrolment | None,
    request: HttpRequest,
    current_id: int | None = None,
    states: dict[int, LessonProgress] | None = None,
) -> CourseProgress:
    """The lessons of a displayed course page with the learner's state, in a fixed number of
    queries whatever the number of lessons."""
    entries = course_outline(course=course, request=request)
    if states is None:
        states = {}
        if enrolment is not None:
            states = {
                p.lesson_id: p
                for p in LessonProgress.objects.filter(
                    enrolment=enrolment, lesson_id__in={e.source_id for e in entries}
                )
            }
    items = []
    for entry in entries:
        state = states.get(entry.source_id)
        items.append(
            LessonItem(
                pk=entry.pk,
                source_id=entry.source_id,
                title=entry.title,
                url=entry.url,
                status=state.status if state else "",
                current=entry.pk == current_id,
            )
        )
    completed = sum(1 for item in items if item.status == LessonProgress.Status.COMPLETED)
    next_item = None
    if enrolment is not None and enrolment.last_lesson_id:
        next_item = next(
            (
                item
                for item in items
                if item.source_id == enrolment.last_lesson_id
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


def _course_facts(*, course: CoursePage, request: HttpRequest) -> tuple[list, list]:
    """Skill outcomes and live prerequisites (in the request's language) of a course page;
    shared, except in previews, which hold relations in memory (no QuerySet methods)."""

    def build() -> tuple[list, list]:
        outcomes = list(course.skill_outcomes.select_related("skill"))
        prerequisites = [p.localized for p in course.prerequisites.all() if p.live]
        return outcomes, prerequisites

    if getattr(request, "is_preview", False):
        return build()
    return shared_cached(request, ("course-facts", course.pk), build)


def course_overview(*, course: CoursePage, user, request: HttpRequest) -> dict:
    """Context for a course page: outline with progress, enrolment state and the learner's
    standing in the centre serving the request."""
    centre = getattr(request, "centre", None)
    state = learner_course_state(user=user, course=course, request=request)
    roles = user_roles_in_centre(user=user, centre=centre)
    outcomes, prerequisites = _course_facts(course=course, request=request)
    return {
        "enrolment": state.enrolment,
        "progress": _outline(
            course=course, enrolment=state.enrolment, request=request, states=state.states
        ),
        "is_learner": Role.LEARNER in roles,
        "skill_outcomes": outcomes,
        "prerequisite_courses": prerequisites,
    }


def lesson_source_id(*, lesson: LessonPage, request: HttpRequest) -> int:
    """The id of a lesson page's source (shared, cached with the published version)."""
    return shared_cached(request, ("source", lesson.pk), lambda: canonical_page_id(lesson))


def lesson_context(*, lesson: LessonPage, user, request: HttpRequest) -> dict:
    """Context for a lesson page: the rendered body and the course outline (shared by every
    reader), the learner's progress, whether the body may be shown (enrolled learners and
    the centre's staff), and where to resume."""
    course = lesson.get_parent().specific
    centre = getattr(request, "centre", None)
    state = learner_course_state(user=user, course=course, request=request)
    enrolment = state.enrolment
    progress = _outline(
        course=course,
        enrolment=enrolment,
        request=request,
        current_id=lesson.pk,
        states=state.states,
    )
    position_items = [i for i in progress.lessons if i.current]
    index = progress.lessons.index(position_items[0]) if position_items else -1
    lesson_state = None
    if enrolment is not None:
        lesson_state = state.states.get(lesson_source_id(lesson=lesson, request=request))
    can_read = enrolment is not None or user_is_staff_of(user=user, centre=centre)
    body = lesson_body(lesson=lesson, request=request) if can_read else None
    return {
        "course": course,
        "enrolment": enrolment,
        "progress": progress,
        "lesson_state": lesson_state,
        "can_read": can_read,
        "body_html": mark_safe(body.html) if body else "",  # noqa: S308 (rendered by a template)
        "previous_lesson": progress.lessons[index - 1] if index > 0 else None,
        "next_lesson_item": (
            progress.lessons[index + 1] if 0 <= index < len(progress.lessons) - 1 else None
        ),
        "outline": body.headings if body else (),
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
