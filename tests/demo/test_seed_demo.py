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
    from assessments.models import Attempt, GradingResult
    from lms.privacy.models import ConsentRecord
    from lms.skills.models import SkillEvidence, TextClaim

    return (
        Centre.objects.count(),
        Page.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        Enrolment.objects.count(),
        LessonProgress.objects.count(),
        Attempt.objects.count(),
        GradingResult.objects.count(),
        SkillEvidence.objects.count(),
        TextClaim.objects.count(),
        ConsentRecord.objects.count(),
    )


@pytest.fixture
def taxonomy(settings, tmp_path):
    """The bundled ESCO subset and the role files, as `make demo` loads the full taxonomy."""
    from lms.skills.selectors import caches_clear

    settings.DASI_SKILLS_ARTIFACT = tmp_path / "taxonomy.h5"
    settings.DASI_SKILLS_CACHE = tmp_path / "cache"
    caches_clear()
    call_command("build_taxonomy", "--small", verbosity=0)
    yield
    caches_clear()


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
    from lms.counselling.selectors import CaseloadFilters, caseload_rows, rows_detail

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
    listed = caseload_rows(centre=centre, viewer=counsellor, filters=CaseloadFilters())
    rows = {r.username: r for r in rows_detail(rows=listed, centre=centre)}
    assert set(rows) == {"dongtan-learner", "dongtan-paused", "dongtan-steady", "dongtan-retry"}
    assert rows["dongtan-learner"].plan is not None
    assert [f.code for f in rows["dongtan-paused"].risk.flags][:1] == ["inactive"]
    assert "failures" in [f.code for f in rows["dongtan-retry"].risk.flags]
    assert rows["dongtan-steady"].risk.flags == []
    client = Client()
    assert client.login(username="dongtan-counsellor", password=DEMO_PASSWORD)
    page = client.get("/counselling/at-risk/", HTTP_HOST="dongtan.localhost").content.decode()
    assert "정멈춤" in page and "오재시" in page and "한꾸준" not in page


DEMO_LEARNERS = {
    "dongtan-learner": "dongtan",
    "dongtan-steady": "dongtan",
    "dongtan-paused": "dongtan",
    "dongtan-retry": "dongtan",
    "gimpo-learner": "gimpo",
}


def test_seed_demo_gives_every_learner_skill_evidence_and_a_clear_closest_role(taxonomy):
    """The recommender has something to say about each demo learner: a profile of their own
    and a closest role that leads the others, not a tie at 0 %; a second run changes nothing."""
    from django.utils import translation

    from lms.skills.models import SkillEvidence, TextClaim
    from lms.skills.selectors import skill_report

    call_command("seed_demo", port=80)
    first = _counts()
    call_command("seed_demo", port=80)
    assert _counts() == first

    profiles, closest = {}, {}
    with translation.override("ko"):
        for username, slug in DEMO_LEARNERS.items():
            learner = User.objects.get(username=username)
            report = skill_report(user=learner, centre=Centre.objects.get(slug=slug))
            profiles[username] = report.profile.levels
            top, second = report.roles[0], report.roles[1]
            assert top.fit.readiness > 0, username
            assert top.fit.readiness > second.fit.readiness, (username, top.role, second.role)
            assert report.focus.path is not None and report.focus.path.steps, username
            closest[username] = (top.role.slug, round(top.fit.readiness, 3))
    assert all(profiles.values())
    assert len({tuple(sorted(p.items())) for p in profiles.values()}) == len(profiles)
    assert len({slug for slug, _r in closest.values()}) == len(closest), closest
    assert len({r for _s, r in closest.values()}) == len(closest), closest
    assert closest["dongtan-learner"][0] == "data-analyst"

    kinds = set(SkillEvidence.objects.values_list("source_type", flat=True))
    assert {"quiz_question", "course_completion", "self_assessment"} <= kinds
    # Who said no to CV-based recommendations has no CV read; the others' phrases were
    # confirmed by a person.
    assert not TextClaim.objects.filter(user__username="dongtan-paused").exists()
    # The learner is told what counts, on the skills page and under a lesson.
    client = Client()
    assert client.login(username="dongtan-learner", password=DEMO_PASSWORD)
    host = {"HTTP_HOST": "dongtan.localhost"}
    assert "역량 근거로 인정되는 것" in client.get("/skills/", **host).content.decode()
    assert "What counts as skill evidence" in client.get("/en/skills/", **host).content.decode()
    course = CoursePage.objects.get(
        slug="python-data-analysis", alias_of__isnull=True, locale__language_code="ko"
    )
    lesson = LessonPage.objects.child_of(course).order_by("path")[2]
    page = client.get(lesson.get_url_parts()[2], **host).content.decode()
    assert "레슨 완료는 진도로 기록될 뿐" in page

    assert TextClaim.objects.filter(
        user__username="dongtan-steady",
        status="confirmed",
        reviewed_by__username="dongtan-counsellor",
    ).exists()


@pytest.mark.sandbox
def test_seed_demo_notebooks_are_graded_in_the_sandbox(taxonomy):
    from assessments.models import Attempt
    from lms.skills.models import SkillEvidence

    call_command("seed_demo", port=80)
    graded = dict(
        Attempt.objects.filter(assessment__kind="notebook").values_list("user__username", "status")
    )
    assert graded == {
        "dongtan-learner": "graded",
        "dongtan-retry": "graded",
        "gimpo-learner": "graded",
    }
    assert SkillEvidence.objects.filter(
        source_type="notebook_cell", user__username="gimpo-learner", score__gte=1
    ).exists()
