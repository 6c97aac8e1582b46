"""What learning adds to the course pages (see `lms.pages`): the learner's outline and
progress in their context, and the lesson visit recorded as a lesson is served."""

from __future__ import annotations

from django.http import HttpRequest

from wagtail import hooks

from courses.models import CoursePage, LessonPage

from .selectors import course_overview, learner_course_state, lesson_context, lesson_source_id
from .services import lesson_visit_enrolled


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
            # The state read here is the one the page shows (kept on the request).
            course = page.get_parent().specific
            state = learner_course_state(user=request.user, course=course, request=request)
            if state.enrolment is not None:
                source_id = lesson_source_id(lesson=page, request=request)
                state.states[source_id] = lesson_visit_enrolled(
                    enrolment=state.enrolment,
                    lesson_id=source_id,
                    progress=state.states.get(source_id),
                )
        return serve(page, request, serve_args, serve_kwargs)

    return serve_recording_visit
