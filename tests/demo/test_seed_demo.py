"""`manage.py seed_demo` builds the documented demo and is safe to run again."""

from __future__ import annotations

from django.core.management import call_command
from django.test import Client

from wagtail.models import Page

import pytest

from courses.models import CoursePage, LessonPage
from hub_sites.models import Centre
from lms.accounts.models import Membership, Role, User
from lms.demo.seed import DEMO_PASSWORD
from lms.learning.models import Enrolment, LessonProgress

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Centre.objects.count(),
        Page.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        Enrolment.objects.count(),
        LessonProgress.objects.count(),
    )


def test_seed_demo_is_idempotent_and_complete():
    call_command("seed_demo", port=80)
    first = _counts()
    call_command("seed_demo", port=80)
    assert _counts() == first

    assert sorted(Centre.objects.values_list("slug", flat=True)) == ["dongtan", "gimpo"]
    sources = CoursePage.objects.filter(alias_of__isnull=True, locale__language_code="ko")
    assert sources.count() >= 4
    assert (
        CoursePage.objects.filter(alias_of__isnull=True, locale__language_code="en").count()
        == sources.count()
    )
    assert CoursePage.objects.filter(
        alias_of__isnull=False
    ).exists()  # courses offered across centres
    for course in sources:
        assert LessonPage.objects.child_of(course).live().count() >= 4
    for centre in Centre.objects.all():
        roles = set(Membership.objects.filter(centre=centre).values_list("role", flat=True))
        assert roles == set(Role.values)

    for ml in CoursePage.objects.filter(slug="machine-learning-basics", alias_of__isnull=True):
        assert [p.slug for p in ml.prerequisites.all()] == ["python-data-analysis"]

    from assessments.models import Assessment, CourseAssessment

    quiz = Assessment.objects.get(title="판다스 기초 확인 퀴즈")
    assert len(quiz.questions) == 5
    assert CourseAssessment.objects.filter(assessment=quiz).count() == 1
    placed = [p for p in LessonPage.objects.all() if any(b.block_type == "quiz" for b in p.body)]
    assert {p.locale.language_code for p in placed} == {"ko", "en"}

    exercises = Assessment.objects.filter(kind="notebook")
    assert exercises.count() == 3
    assert all(e.notebook_source and e.skill_map for e in exercises)

    client = Client()
    assert client.login(username="dongtan-learner", password=DEMO_PASSWORD)
    page = client.get("/learning/", HTTP_HOST="dongtan.localhost").content.decode()
    assert "파이썬" in page  # the demo learner is part-way through the Python course
    for host in ("dongtan.localhost", "gimpo.localhost"):
        assert client.get("/", HTTP_HOST=host).status_code == 200
        assert client.get("/en/", HTTP_HOST=host).status_code == 200


def test_seed_demo_gives_the_counsellor_a_caseload_with_a_plan_notes_and_risk():
    from lms.counselling.models import CaseloadAssignment, LearnerPlan, Note
    from lms.counselling.selectors import CaseloadFilters, caseload_rows

    call_command("seed_demo", port=80)
    counts = (CaseloadAssignment.objects.count(), LearnerPlan.objects.count(), Note.objects.count())
    call_command("seed_demo", port=80)
    assert (
        CaseloadAssignment.objects.count(),
        LearnerPlan.objects.count(),
        Note.objects.count(),
    ) == counts
    centre = Centre.objects.get(slug="dongtan")
    counsellor = User.objects.get(username="dongtan-counsellor")
    rows = {
        r.username: r
        for r in caseload_rows(centre=centre, viewer=counsellor, filters=CaseloadFilters())
    }
    assert set(rows) == {"dongtan-learner", "dongtan-paused", "dongtan-steady", "dongtan-retry"}
    assert rows["dongtan-learner"].plan is not None
    assert [f.code for f in rows["dongtan-paused"].risk.flags][:1] == ["inactive"]
    assert "failures" in [f.code for f in rows["dongtan-retry"].risk.flags]
    assert rows["dongtan-steady"].risk.flags == []
    client = Client()
    assert client.login(username="dongtan-counsellor", password=DEMO_PASSWORD)
    page = client.get("/counselling/at-risk/", HTTP_HOST="dongtan.localhost").content.decode()
    assert "정멈춤" in page and "오재시" in page and "한꾸준" not in page
