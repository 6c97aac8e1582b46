"""`manage.py recommend_all` writes every learner's top roles to HDF5."""

from __future__ import annotations

from io import StringIO

from django.core.management import CommandError, call_command

import h5py
import pytest

from lms.skills.engine.gap import role_fit
from lms.skills.selectors import learner_profile, role_profiles
from lms.skills.services import self_assessment_record

from .conftest import SQL, skill

pytestmark = pytest.mark.django_db


def test_top_roles_match_the_single_learner_ranking(taxonomy, learner_a, learner_b, tmp_path):
    self_assessment_record(user=learner_a, skill=skill(SQL), level=4)
    out = tmp_path / "recs.h5"
    call_command(
        "recommend_all", "--top", "3", "--output", str(out), stdout=StringIO(), verbosity=0
    )
    with h5py.File(out) as h5:
        users = list(h5["recs/user_id"][()])
        keys = [k.decode() for k in h5["recs/role_key"][()]]
        top = h5["recs/top_roles"][()]
        readiness = h5["recs/top_readiness"][()]
    assert sorted(users) == sorted([learner_a.pk, learner_b.pk])
    row = users.index(learner_a.pk)
    levels = learner_profile(user=learner_a).levels
    expected = sorted(
        ((role_fit(levels, p).readiness, p.key) for p in role_profiles()),
        key=lambda t: (-t[0], keys.index(t[1])),
    )[:3]
    assert [keys[i] for i in top[row]] == [key for _r, key in expected]
    assert readiness[row][0] == pytest.approx(expected[0][0], abs=1e-3)
    empty = users.index(learner_b.pk)
    assert len(set(top[empty])) == 3 and (readiness[empty] == 0).all()


def test_unknown_centre_is_refused(taxonomy):
    with pytest.raises(CommandError, match="unknown centre"):
        call_command("recommend_all", "--centre", "nowhere", verbosity=0)
