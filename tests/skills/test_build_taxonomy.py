"""build_taxonomy --small: skills, labels, hierarchy and at least 12 roles, offline."""

from __future__ import annotations

from django.core.management import CommandError, call_command

import pytest

from lms.skills import data
from lms.skills.engine.artefact import Artefact
from lms.skills.engine.taxonomy import ATTRIBUTION
from lms.skills.models import PROJECT_SKILL_PREFIX, Role, RoleSkill, Skill, SkillLabel

pytestmark = pytest.mark.django_db


def test_small_build_loads_the_subset_roles_and_writes_the_artefact(taxonomy, settings):
    roles = list(Role.objects.all())
    assert len(roles) >= 12
    assert all(r.name_ko and r.name_en and r.description_ko for r in roles)
    for role in roles:
        requirements = list(role.requirements.all())
        assert len(requirements) >= 8, role.slug
        assert all(1 <= r.level <= 5 and 0 < r.weight <= 1 for r in requirements)
    assert Role.objects.filter(esco_occupation_uri="").count() >= 4  # no ESCO occupation
    assert SkillLabel.objects.filter(text="performing data analysis").exists()
    project = Skill.objects.filter(esco_uri__startswith=PROJECT_SKILL_PREFIX)
    assert project.count() == len(data.project_skills())
    assert all(s.nearest_esco is not None and s.esco_match for s in project)
    art = Artefact(settings.DASI_SKILLS_ARTIFACT)
    assert {r.key for r in art.roles} == {r.slug for r in roles}
    assert art.attrs["attribution"] == ATTRIBUTION
    assert art.embeddings is None  # --small never loads the 90 MB model
    art.close()


def test_rebuilding_keeps_admin_edits_and_records_revisions(taxonomy):
    role = Role.objects.get(slug="data-analyst")
    assert role.revisions.count() == 1
    role.name_ko = "데이터 분석 전문가"
    role.save()
    call_command("build_taxonomy", "--small", verbosity=0)
    role.refresh_from_db()
    assert role.name_ko == "데이터 분석 전문가"
    call_command("build_taxonomy", "--small", "--force-roles", verbosity=0)
    role.refresh_from_db()
    assert role.name_ko == "데이터 분석가"
    assert role.revisions.count() == 2
    assert RoleSkill.objects.filter(role=role).count() == 11


def test_a_role_naming_an_unknown_skill_is_refused(db, tmp_path, settings):
    from lms.skills.services import role_load

    call_command("build_taxonomy", "--small", verbosity=0)
    doc = data.role_files()[0] | {"slug": "broken", "version": 1}
    doc["skills"] = [*doc["skills"], {"skill": "http://example.org/nope", "level": 2, "weight": 1}]
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="nope"):
        role_load(data=doc)


def test_offline_without_cached_wheels_fails_in_one_line(db, tmp_path):
    with pytest.raises(CommandError, match="not in .* and --offline"):
        call_command("build_taxonomy", "--offline", "--cache-dir", str(tmp_path), verbosity=0)


def test_role_skills_get_korean_labels_and_korean_text_matches_them(taxonomy, learner_a):
    from lms.skills.models import TextClaim
    from lms.skills.selectors import learner_profile
    from lms.skills.services import claim_review, cv_submit

    analyst = Role.objects.get(slug="data-analyst")
    assert all(r.skill.label_ko for r in analyst.requirements.select_related("skill"))
    cv_submit(user=learner_a, text="데이터 품질 평가\n고객 문의 응대")
    for claim in TextClaim.objects.filter(user=learner_a):
        claim_review(claim=claim, reviewer=learner_a, confirm=True)
    levels = learner_profile(user=learner_a).levels
    assert levels == {
        "http://data.europa.eu/esco/skill/cc7370dd-69fa-4c67-a96f-d4d135d38700": 2,
        "http://data.europa.eu/esco/skill/cace7a77-38b7-4cdf-8171-e17692bef5f6": 2,
    }
