"""Test data builders, one module per app; centres and pages go through the platform's own
services. The names are handed on here, so tests import them from `tests.factories`."""

from .accounts import PASSWORD, UserFactory, member, mfa_enrol
from .assessments import QUIZ_QUESTIONS, make_quiz
from .courses import lesson_body, lessons_of, make_course
from .hub_sites import make_centre, wagtail_base_ensure
from .skills import SkillFactory

__all__ = [
    "PASSWORD",
    "QUIZ_QUESTIONS",
    "SkillFactory",
    "UserFactory",
    "lesson_body",
    "lessons_of",
    "make_centre",
    "make_course",
    "make_quiz",
    "member",
    "mfa_enrol",
    "wagtail_base_ensure",
]
