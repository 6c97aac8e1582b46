"""Builders of assessments placed in a course: a quiz of every question type."""

from __future__ import annotations

import copy

from assessments.models import Assessment, CourseAssessment
from courses.models import CoursePage, LessonPage
from courses.services import page_publish
from hub_sites.models import Centre

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
