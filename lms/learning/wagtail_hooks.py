"""What learning adds to the course pages (see `lms.pages`): the learner's outline and
progress in their context, and the lesson visit recorded before a lesson is served."""

from __future__ import annotations

from django.http import HttpRequest

from wagtail import hooks

from courses.models import CoursePage, LessonPage

from .selectors import course_overview, lesson_context
from .services import lesson_visit


@hooks.register("course_page_context")
def course_page_context(*, page: CoursePage, request: HttpRequest) -> dict:
    return course_overview(course=page, user=request.user, request=request)


@hooks.register("lesson_page_context")
def lesson_page_context(*, page: LessonPage, request: HttpRequest) -> dict:
    return lesson_context(lesson=page, user=request.user, request=request)


# After Wagtail's own checks (order 0: view restrictions), so a page the learner may not see
# records no visit.
@hooks.register("before_serve_page", order=100)
def lesson_visit_record(page, request: HttpRequest, serve_args, serve_kwargs) -> None:
    if isinstance(page, LessonPage) and request.user.is_authenticated:
        lesson_visit(user=request.user, lesson=page)
