""" "My learning" recommends the next course on the learner's path, never one they took."""

from __future__ import annotations

from django.urls import reverse

import pytest

from lms.learning.services import enrolment_create
from lms.skills.models import Role
from lms.skills.services import goal_set
from tests.conftest import A_HOST

from .conftest import DATA_ANALYST, PYTHON, SQL, course_with, skill

pytestmark = pytest.mark.django_db


def test_my_learning_recommends_the_next_course_towards_the_goal(
    client, taxonomy, learner_a, centre_a
):
    python = course_with(centre_a, "python-basics", hours=10, outcomes={PYTHON: 3})
    sql = course_with(centre_a, "sql-basics", hours=8, outcomes={SQL: 3})
    goal_set(user=learner_a, role=Role.objects.get(slug=DATA_ANALYST))
    client.force_login(learner_a)
    url = reverse("learning:dashboard")

    page = client.get(url, HTTP_HOST=A_HOST).content.decode()
    card = page[page.index("data-next-course") :].split("</section>", 1)[0]
    offered = [course for course in (python, sql) if course.title in card]
    assert len(offered) == 1 and "목표 직무" in card  # one course, on the goal's path
    first = offered[0]

    # Once enrolled in the recommended course, the next one on the path is offered instead.
    enrolment_create(user=learner_a, course=first, centre=centre_a)
    page = client.get(url, HTTP_HOST=A_HOST).content.decode()
    card = page[page.index("data-next-course") :].split("</section>", 1)[0]
    other = sql if first == python else python
    assert other.title in card and first.title not in card
    assert skill(SQL if other == sql else PYTHON).label in card  # the gap skill it builds


def test_no_recommendation_without_a_catalogue_course_to_take(
    client, taxonomy, learner_a, centre_a
):
    only = course_with(centre_a, "sql-basics", hours=8, outcomes={SQL: 3})
    enrolment_create(user=learner_a, course=only, centre=centre_a)
    goal_set(user=learner_a, role=Role.objects.get(slug=DATA_ANALYST))
    client.force_login(learner_a)
    page = client.get(reverse("learning:dashboard"), HTTP_HOST=A_HOST).content.decode()
    assert "data-next-course" not in page
