"""What learning adds to the course pages (see `lms.pages`): the learner's outline and
progress in their context, and the lesson visit recorded as a lesson is served."""

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


# Innermost in Wagtail's serve chain (its view restrictions wrap it at order 0), so the visit is
# recorded just before the page is served, and a lesson the learner may not see records none.
@hooks.register("on_serve_page", order=100)
def lesson_visit_record(serve):
    def serve_recording_visit(page, request: HttpRequest, serve_args, serve_kwargs):
        if isinstance(page, LessonPage) and request.user.is_authenticated:
            lesson_visit(user=request.user, lesson=page)
        return serve(page, request, serve_args, serve_kwargs)

    return serve_recording_visit
