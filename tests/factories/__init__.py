"""Test data builders. Centres and pages go through the platform's own services."""

from __future__ import annotations

from wagtail.models import Locale, Page

import factory

from courses.models import CourseIndexPage, CoursePage, CourseSkillOutcome, LessonPage
from courses.services import page_publish, page_translate
from hub_sites.models import Centre
from hub_sites.services import centre_course_indexes, centre_create
from lms.accounts.models import User
from lms.accounts.services import membership_create
from lms.skills.models import Skill

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    name = factory.Sequence(lambda n: f"학습자 {n}")
    preferred_language = "ko"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ("esco_uri",)

    esco_uri = factory.Sequence(lambda n: f"http://data.europa.eu/esco/skill/test-{n}")
    label_en = factory.Sequence(lambda n: f"Skill {n}")
    label_ko = factory.Sequence(lambda n: f"기술 {n}")


def wagtail_base_ensure() -> None:
    """Recreate the rows Wagtail's migrations add (default locale, root page, root collection):
    a transactional test flushes them away at its end."""
    from wagtail.models import Collection

    locale, _created = Locale.objects.get_or_create(language_code="ko")
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(title="Root", slug="root", locale=locale)
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")


def make_centre(slug: str, *, port: int = 80, default: bool = False) -> Centre:
    return centre_create(
        slug=slug,
        hostname=f"{slug}.localhost",
        port=port,
        is_default_site=default,
        name_ko=f"{slug} 센터",
        name_en=f"{slug.title()} Centre",
        certificate_issuer_name=f"{slug.title()} Centre",
    )


def member(centre: Centre, role: str, **fields) -> User:
    user = UserFactory(**fields)
    membership_create(user=user, centre=centre, role=role)
    return user


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


QUIZ_QUESTIONS = [
    {
        "type": "single_choice",
        "value": {
            "prompt": "<p>판다스에서 CSV 파일을 읽는 함수는?</p>",
            "points": "2",
            "explanation": "<p><code>pd.read_csv</code>를 씁니다.</p>",
            "skill": None,
            "skill_level": 2,
            "choices": [
                {"text": "pd.read_csv", "correct": True, "feedback": "맞습니다."},
                {"text": "pd.open_csv", "correct": False, "feedback": "그런 함수는 없습니다."},
                {"text": "csv.load", "correct": False, "feedback": ""},
            ],
        },
    },
    {
        "type": "multiple_choice",
        "value": {
            "prompt": "<p>결측치를 다루는 메서드를 모두 고르세요.</p>",
            "points": "2",
            "explanation": "",
            "skill": None,
            "skill_level": 2,
            "choices": [
                {"text": "dropna", "correct": True, "feedback": ""},
                {"text": "fillna", "correct": True, "feedback": ""},
                {"text": "groupby", "correct": False, "feedback": "집계용입니다."},
            ],
        },
    },
    {
        "type": "true_false",
        "value": {
            "prompt": "<p>DataFrame은 열마다 자료형이 다를 수 있다.</p>",
            "points": "1",
            "explanation": "",
            "skill": None,
            "skill_level": 1,
            "answer": True,
            "feedback_true": "맞습니다.",
            "feedback_false": "열마다 다를 수 있습니다.",
        },
    },
    {
        "type": "numeric",
        "value": {
            "prompt": "<p>0.1 + 0.2 는?</p>",
            "points": "1",
            "explanation": "",
            "skill": None,
            "skill_level": 1,
            "answer": 0.3,
            "tolerance": 0,
        },
    },
    {
        "type": "short_text",
        "value": {
            "prompt": "<p>표 형태 데이터를 다루는 파이썬 라이브러리 이름은?</p>",
            "points": "1",
            "explanation": "",
            "skill": None,
            "skill_level": 1,
            "accepted": ["pandas", "판다스"],
            "pattern": "",
        },
    },
]


def make_quiz(
    centre: Centre, course: CoursePage, *, title: str = "판다스 확인 퀴즈", skill=None, **fields
):
    """A quiz of the five question types placed in the course's first lesson and counted in
    its grading policy."""
    import copy

    from assessments.models import Assessment, CourseAssessment

    questions = copy.deepcopy(QUIZ_QUESTIONS)
    if skill is not None:
        for question in questions:
            question["value"]["skill"] = skill.pk
    quiz = Assessment.objects.create(centre=centre, title=title, questions=questions, **fields)
    lesson = LessonPage.objects.child_of(course).order_by("path").first()
    lesson.body = [
        *lesson.body.raw_data,
        {"type": "quiz", "value": {"assessment": quiz.pk, "introduction": ""}},
    ]
    page_publish(lesson)
    CourseAssessment.objects.create(course=course, assessment=quiz, weight=1, required=True)
    return quiz
