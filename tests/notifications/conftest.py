"""People of centre A for notifications: a learner enrolled in a course, the counsellor who
follows them, and a second counsellor who does not."""

from __future__ import annotations

import pytest

from lms.accounts.models import Role
from lms.counselling.services import caseload_assign
from lms.learning.services import enrolment_create
from tests.factories import member


@pytest.fixture
def counsellor_a(centre_a):
    return member(centre_a, Role.COUNSELLOR, username="counsellor-a", email="c@a.example")


@pytest.fixture
def other_counsellor_a(centre_a):
    return member(centre_a, Role.COUNSELLOR, username="counsellor-a2", email="c2@a.example")


@pytest.fixture
def learner(centre_a, course_a):
    person = member(
        centre_a, Role.LEARNER, username="minji", name="김민지", email="minji@a.example"
    )
    enrolment_create(user=person, course=course_a, centre=centre_a)
    return person


@pytest.fixture
def followed(centre_a, learner, counsellor_a, admin_a):
    caseload_assign(
        centre=centre_a, counsellor=counsellor_a, learners=[learner], assigned_by=admin_a
    )
    return learner
