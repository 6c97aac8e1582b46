"""Skills fixtures: the bundled ESCO subset and roles, courses with declared outcomes."""

from __future__ import annotations

from django.core.management import call_command
from django.utils import translation

import pytest

from courses.models import CoursePage, CourseSkillOutcome
from courses.services import page_publish
from lms.skills import selectors
from lms.skills.models import Role, Skill
from tests.factories import make_course

DATA_ANALYST = "data-analyst"
SQL = "http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742"
PYTHON = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"
STATISTICS = "http://data.europa.eu/esco/skill/7ee4c2ea-b349-4bd2-81a3-ec31475d4833"
DATA_ANALYSIS = "http://data.europa.eu/esco/skill/2b92a5b2-6758-4ee3-9fb4-b6387a55cc8f"
CLEANSING = "http://data.europa.eu/esco/skill/50b100ea-74fd-4706-99db-3e4ca55e51b8"
VISUAL = "http://data.europa.eu/esco/skill/c3e36d05-8ae8-447f-bb2b-6f9409f85389"


@pytest.fixture(autouse=True)
def _fresh_caches(settings, tmp_path):
    """Each test gets its own artefact path and empty recommender caches."""
    settings.DASI_SKILLS_ARTIFACT = tmp_path / "taxonomy.h5"
    settings.DASI_SKILLS_CACHE = tmp_path / "cache"
    selectors.caches_clear()
    with translation.override("ko"):  # reverse() and labels follow the active language
        yield
    selectors.caches_clear()


@pytest.fixture
def taxonomy(db):
    """The bundled ESCO subset, the project skills and all role files, loaded."""
    call_command("build_taxonomy", "--small", verbosity=0)
    return Role.objects.all()


def skill(uri: str) -> Skill:
    return Skill.objects.get(esco_uri=uri)


def course_with(centre, slug: str, *, hours: int, outcomes: dict[str, int], prerequisites=()):
    """A live course of the centre with exactly these outcomes and prerequisites."""
    page = make_course(centre, slug, lessons=1, translate=False, skills=0)
    page.estimated_hours = hours
    for order, (uri, level) in enumerate(outcomes.items()):
        page.skill_outcomes.add(CourseSkillOutcome(skill=skill(uri), level=level, sort_order=order))
    page.prerequisites.set(prerequisites)
    return CoursePage.objects.get(pk=page_publish(page).pk)
