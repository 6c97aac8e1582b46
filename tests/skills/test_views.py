"""The learner's skill pages and the staff view: who sees what."""

from __future__ import annotations

from django.urls import reverse

import pytest

from lms.accounts.models import Role as MemberRole
from lms.skills.models import LearnerGoal, SkillEvidence, TextClaim
from lms.skills.services import evidence_record
from tests.conftest import A_HOST, B_HOST
from tests.factories import member

from .conftest import DATA_ANALYSIS, PYTHON, SQL, course_with, skill

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.skills.urls")]


def _quiz(user, uri, level, label="Notebook: SQL joins"):
    evidence_record(
        user=user,
        skill=skill(uri),
        level=level,
        score=1.0,
        source_type=SkillEvidence.Source.NOTEBOOK_CELL,
        source_id="cell-7",
        source_label=label,
    )


@pytest.mark.parametrize("name", ["skills:overview", "skills:self_assessment", "skills:cv"])
def test_anonymous_visitors_are_sent_to_log_in(client, taxonomy, name):
    response = client.get(reverse(name), HTTP_HOST=A_HOST)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_learner_sees_their_own_skills_with_provenance_and_roles(
    client, taxonomy, learner_a, learner_b
):
    _quiz(learner_a, SQL, 3)
    _quiz(learner_b, PYTHON, 5, label="Notebook of learner B")
    client.force_login(learner_a)
    page = client.get(reverse("skills:overview"), HTTP_HOST=A_HOST).content.decode()
    assert "Notebook: SQL joins" in page
    assert "수준 3" in page or "level 3" in page
    assert "Notebook of learner B" not in page
    assert "데이터 분석가" in page  # role explorer lists the roles
    assert "ESCO" in page  # attribution


def test_role_page_shows_the_gap_and_a_path_through_this_centres_courses(
    client, taxonomy, learner_a, centre_a
):
    course_with(centre_a, "sql-and-analysis", hours=8, outcomes={SQL: 3, DATA_ANALYSIS: 3})
    client.force_login(learner_a)
    response = client.get(reverse("skills:role", args=["data-analyst"]), HTTP_HOST=A_HOST)
    page = response.content.decode()
    assert response.status_code == 200
    assert "sql-and-analysis" in page
    assert "수준 3" in page or "level 3" in page


def test_setting_and_clearing_a_goal(client, taxonomy, learner_a):
    client.force_login(learner_a)
    response = client.post(reverse("skills:goal_set"), {"role": "ux-designer"}, HTTP_HOST=A_HOST)
    assert response.status_code == 302
    assert LearnerGoal.objects.get(user=learner_a).role.slug == "ux-designer"
    page = client.get(reverse("skills:overview"), HTTP_HOST=A_HOST).content.decode()
    assert "UX 디자이너" in page.split('id="focus-heading"')[1][:300]
    client.post(reverse("skills:goal_clear"), HTTP_HOST=A_HOST)
    assert not LearnerGoal.objects.filter(user=learner_a).exists()
    bad = client.post(reverse("skills:goal_set"), {"role": "astronaut"}, HTTP_HOST=A_HOST)
    assert bad.status_code == 302 and not LearnerGoal.objects.exists()


def test_self_assessment_records_ratings_of_the_goal_roles_skills(client, taxonomy, learner_a):
    client.force_login(learner_a)
    client.post(reverse("skills:goal_set"), {"role": "data-analyst"}, HTTP_HOST=A_HOST)
    form = client.get(reverse("skills:self_assessment"), HTTP_HOST=A_HOST)
    field = f"skill_{skill(SQL).pk}"
    assert f'name="{field}"' in form.content.decode()
    client.post(reverse("skills:self_assessment"), {field: "4"}, HTTP_HOST=A_HOST)
    rating = SkillEvidence.objects.get(user=learner_a)
    assert (rating.level, rating.source_type) == (4, "self_assessment")


def test_pasting_a_cv_shows_matches_and_unmatched_phrases(client, taxonomy, learner_a):
    client.force_login(learner_a)
    client.post(reverse("skills:cv"), {"text": "SQL\nknitting"}, HTTP_HOST=A_HOST)
    page = client.get(reverse("skills:cv"), HTTP_HOST=A_HOST).content.decode()
    assert TextClaim.objects.filter(user=learner_a).count() == 2
    assert "knitting" in page and 'class="is-unmatched"' in page


def test_a_counsellor_sees_a_learner_of_their_centre(client, taxonomy, learner_a, centre_a):
    _quiz(learner_a, SQL, 3)
    counsellor = member(centre_a, MemberRole.COUNSELLOR, username="counsellor-a")
    client.force_login(counsellor)
    url = reverse("skills:staff_learner", args=[learner_a.pk])
    response = client.get(url, HTTP_HOST=A_HOST)
    assert response.status_code == 200
    assert "Notebook: SQL joins" in response.content.decode()


def test_staff_of_another_centre_and_learners_see_nothing(
    client, taxonomy, learner_a, learner_b, counsellor_b, admin_b
):
    _quiz(learner_a, SQL, 3)
    url = reverse("skills:staff_learner", args=[learner_a.pk])
    for viewer, host in [(counsellor_b, B_HOST), (counsellor_b, A_HOST), (admin_b, A_HOST)]:
        client.force_login(viewer)
        assert client.get(url, HTTP_HOST=host).status_code == 404
    client.force_login(learner_b)
    assert client.get(url, HTTP_HOST=A_HOST).status_code == 404
    client.force_login(learner_a)  # not even the learner through the staff page
    assert client.get(url, HTTP_HOST=A_HOST).status_code == 404
