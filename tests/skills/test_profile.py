"""Where a learner's levels come from: evidence, courses, self-ratings, CV text."""

from __future__ import annotations

import pytest

from lms.learning.models import Enrolment
from lms.skills.models import SkillEvidence, TextClaim
from lms.skills.selectors import learner_profile
from lms.skills.services import claim_review, cv_submit, evidence_record, self_assessment_record

from .conftest import PYTHON, SQL, STATISTICS, course_with, skill

pytestmark = pytest.mark.django_db


def _quiz(user, uri, level, score):
    return evidence_record(
        user=user,
        skill=skill(uri),
        level=level,
        score=score,
        source_type=SkillEvidence.Source.QUIZ_QUESTION,
        source_id="q1",
        source_label="SQL quiz, question 1",
    )


def test_passed_assessment_items_count_at_their_level_failed_ones_not(taxonomy, learner_a):
    _quiz(learner_a, SQL, 3, 0.9)
    _quiz(learner_a, PYTHON, 4, 0.2)
    profile = learner_profile(user=learner_a)
    assert profile.levels == {SQL: 3}
    python = profile.skills[PYTHON]
    assert python.level == 0 and python.sources[0].note  # shown, with why it counts 0


def test_a_completed_course_gives_its_declared_outcome_levels(taxonomy, learner_a, centre_a):
    course = course_with(centre_a, "sql-course", hours=6, outcomes={SQL: 2, STATISTICS: 1})
    Enrolment.objects.create(
        user=learner_a, course=course, centre=centre_a, status=Enrolment.Status.COMPLETED
    )
    profile = learner_profile(user=learner_a)
    assert profile.levels == {SQL: 2, STATISTICS: 1}
    assert profile.skills[SQL].sources[0].source == "course"


def test_an_active_enrolment_gives_nothing(taxonomy, learner_a, centre_a):
    course = course_with(centre_a, "sql-course", hours=6, outcomes={SQL: 2})
    Enrolment.objects.create(user=learner_a, course=course, centre=centre_a)
    assert learner_profile(user=learner_a).levels == {}


def test_self_rating_counts_one_less_until_evidence_confirms_it(taxonomy, learner_a):
    self_assessment_record(user=learner_a, skill=skill(SQL), level=4)
    assert learner_profile(user=learner_a).levels == {SQL: 3}
    _quiz(learner_a, SQL, 3, 1.0)  # evidence within one level confirms the rating
    assert learner_profile(user=learner_a).levels == {SQL: 4}


def test_latest_self_rating_wins(taxonomy, learner_a):
    self_assessment_record(user=learner_a, skill=skill(SQL), level=5)
    self_assessment_record(user=learner_a, skill=skill(SQL), level=2)
    assert learner_profile(user=learner_a).levels == {SQL: 1}


def _confirm_all(user, reviewer=None):
    for claim in TextClaim.objects.filter(user=user, skill__isnull=False):
        claim_review(claim=claim, reviewer=reviewer or user, confirm=True)


def test_cv_text_is_capped_low_and_unmatched_phrases_are_kept(taxonomy, learner_a):
    claims = cv_submit(user=learner_a, text="SQL\nPython3\nperform data analysis\nknitting")
    assert len(claims) == 4
    # Suggestions count for nothing until they are confirmed.
    assert learner_profile(user=learner_a).levels == {}
    _confirm_all(learner_a)
    profile = learner_profile(user=learner_a)
    assert profile.levels[SQL] == 2 and profile.levels[PYTHON] == 2
    assert max(profile.levels.values()) <= 2
    assert [c.phrase for c in profile.unmatched] == ["knitting"]
    # A new CV replaces the old one.
    cv_submit(user=learner_a, text="statistics")
    _confirm_all(learner_a)
    assert set(learner_profile(user=learner_a).levels) == {STATISTICS}


def test_a_rejected_suggestion_never_counts_and_provenance_names_the_reviewer(
    taxonomy, learner_a, admin_a
):
    cv_submit(user=learner_a, text="SQL\nstatistics")
    sql, stats = TextClaim.objects.filter(user=learner_a).order_by("pk")
    claim_review(claim=sql, reviewer=admin_a, confirm=True)
    claim_review(claim=stats, reviewer=learner_a, confirm=False)
    profile = learner_profile(user=learner_a)
    assert profile.levels == {SQL: 2}
    source = profile.skills[SQL].sources[0].label
    assert "sql" in source.lower()
    assert admin_a.display_name in source


def test_one_learners_evidence_never_reaches_another(taxonomy, learner_a, learner_b):
    _quiz(learner_a, SQL, 3, 1.0)
    assert learner_profile(user=learner_b).levels == {}
