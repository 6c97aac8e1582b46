"""Builders of courses and lessons in a centre's catalogue, published through the services."""

from __future__ import annotations

from wagtail.models import Locale, Page

from courses.models import CourseIndexPage, CoursePage, CourseSkillOutcome, LessonPage
from courses.services import page_publish, page_translate
from hub_sites.models import Centre
from hub_sites.services import centre_course_indexes

from .skills import SkillFactory


def lesson_body(title: str) -> list[dict]:
    return [
        {"type": "heading", "value": {"text": f"{title}: 시작하기", "size": "h2"}},
        {"type": "paragraph", "value": "<p>판다스로 <b>표 데이터</b>를 읽습니다.</p>"},
        {
            "type": "code",
            "value": {"language": "python", "code": "import pandas as pd\nprint(1)", "caption": ""},
        },
        {
            "type": "callout",
            "value": {"kind": "tip", "title": "", "body": "<p>작게 시작하세요.</p>"},
        },
        {"type": "heading", "value": {"text": f"{title}: 정리", "size": "h2"}},
    ]


def make_course(
    centre: Centre,
    slug: str = "data-analysis",
    *,
    lessons: int = 3,
    translate: bool = True,
    live: bool = True,
    skills: int = 1,
) -> CoursePage:
    """A course with lessons in the centre's Korean catalogue, optionally translated to English."""
    index: CourseIndexPage = centre_course_indexes(centre)["ko"]
    course = CoursePage(
        title=f"{slug} 과정",
        slug=slug,
        summary="파이썬으로 데이터를 분석합니다.",
        estimated_hours=8,
        locale=index.locale,
        live=live,
    )
    for order in range(skills):
        course.skill_outcomes.add(
            CourseSkillOutcome(skill=SkillFactory(), level=2, sort_order=order)
        )
    index.add_child(instance=course)
    course = page_publish(course) if live else course
    children = []
    for number in range(lessons):
        lesson = LessonPage(
            title=f"레슨 {number + 1}",
            slug=f"lesson-{number + 1}",
            intro="이 레슨에서 배우는 것",
            body=lesson_body(f"레슨 {number + 1}"),
            locale=index.locale,
            live=live,
        )
        course.add_child(instance=lesson)
        children.append(page_publish(lesson) if live else lesson)
    if translate and live:
        english = Locale.objects.get(language_code="en")
        page_translate(course, english, title=f"{slug} course", summary="Analyse data with Python.")
        for number, lesson in enumerate(children):
            page_translate(lesson, english, title=f"Lesson {number + 1}")
    return CoursePage.objects.get(pk=course.pk)


def lessons_of(course: Page) -> list[LessonPage]:
    return list(LessonPage.objects.child_of(course).order_by("path"))
