"""Cockpit fixtures: a counsellor of each centre and learners with constructed histories."""

from __future__ import annotations

import pytest

from lms.accounts.models import Role
from lms.counselling.services import caseload_assign
from tests.factories import make_course, member


@pytest.fixture
def counsellor_a(centre_a):
    return member(centre_a, Role.COUNSELLOR, username="counsellor-a", name="박상담")


@pytest.fixture
def long_course(centre_a):
    """A course of six lessons: room for twelve active days."""
    return make_course(centre_a, "long-course", lessons=6, translate=False)


@pytest.fixture
def assign(centre_a, admin_a):
    """Put learners in a counsellor's caseload, as the centre admin would."""

    def _assign(counsellor, *learners):
        return caseload_assign(
            centre=centre_a, counsellor=counsellor, learners=learners, assigned_by=admin_a
        )

    return _assign
