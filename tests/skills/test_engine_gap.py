"""The gap arithmetic on profiles built by hand: every number is worked out in the test."""

from __future__ import annotations

import numpy as np
import pytest

from lms.skills.engine.gap import Requirement, RoleMatrix, RoleProfile, rank_roles, role_fit

ANALYST = RoleProfile(
    key="analyst",
    name="Analyst",
    requirements=(
        Requirement("sql", level=3, weight=1.0),
        Requirement("stats", level=2, weight=0.5),
        Requirement("python", level=4, weight=0.25),
    ),
)
# Σ w·req = 3 + 1 + 1 = 5


def test_readiness_is_one_minus_weighted_missing_over_weighted_required():
    fit = role_fit({"sql": 1, "stats": 2, "python": 5}, ANALYST)
    # missing: sql 2 × 1.0 = 2; stats 0; python 0 (over-qualified counts as met) → 1 − 2/5
    assert fit.readiness == pytest.approx(0.6)
    assert [(g.skill, g.required, g.current, g.weight) for g in fit.gaps] == [("sql", 3, 1, 1.0)]


def test_unknown_skills_count_as_zero_and_gaps_are_largest_weighted_first():
    fit = role_fit({"python": 2, "cooking": 5}, ANALYST)
    # sql 3×1.0 = 3, stats 2×0.5 = 1, python 2×0.25 = 0.5 → 1 − 4.5/5
    assert fit.readiness == pytest.approx(0.1)
    assert [g.skill for g in fit.gaps] == ["sql", "stats", "python"]
    assert fit.missing_weight == pytest.approx(4.5)


def test_a_learner_meeting_everything_is_fully_ready_and_an_empty_one_not_at_all():
    assert role_fit({"sql": 3, "stats": 2, "python": 4}, ANALYST).readiness == 1.0
    assert role_fit({}, ANALYST).readiness == 0.0


def test_roles_are_ranked_by_readiness():
    designer = RoleProfile("designer", "Designer", (Requirement("figma", 3, 1.0),))
    ranked = rank_roles({"figma": 3, "sql": 1}, [ANALYST, designer])
    assert [f.role.key for f in ranked] == ["designer", "analyst"]


@pytest.mark.parametrize("dense", [True, False])
def test_the_batch_matrix_gives_exactly_the_single_learner_numbers(dense):
    rng = np.random.default_rng(7)
    skills = [f"s{i}" for i in range(30)]
    roles = [
        RoleProfile(
            f"r{r}",
            f"R{r}",
            tuple(
                Requirement(s, int(rng.integers(1, 6)), float(rng.choice([0.25, 0.5, 1.0])))
                for s in rng.choice(skills, size=8, replace=False)
            ),
        )
        for r in range(12)
    ]
    learners = [
        {s: int(rng.integers(0, 6)) for s in rng.choice(skills, size=10, replace=False)}
        for _ in range(40)
    ]
    matrix = RoleMatrix(roles, skills)
    rows, cols, levels = [], [], []
    for row, profile in enumerate(learners):
        for skill, level in profile.items():
            rows.append(row)
            cols.append(skills.index(skill))
            levels.append(level)
    onehot = RoleMatrix.level_onehot(
        np.array(rows), np.array(cols), np.array(levels), len(learners), len(skills)
    )
    batch = matrix.readiness(onehot).toarray()
    expected = np.array([[role_fit(p, r).readiness for r in roles] for p in learners])
    np.testing.assert_allclose(batch, expected, atol=1e-6)
    top_idx, top_val = matrix.top_roles(onehot, 3, dense=dense)
    for row in range(len(learners)):
        best = sorted(range(len(roles)), key=lambda r: (-expected[row, r], r))[:3]
        assert list(top_idx[row]) == best
        np.testing.assert_allclose(top_val[row], expected[row, best], atol=1e-6)


@pytest.mark.parametrize("dense", [True, False])
def test_batch_top_roles_leave_roles_without_overlap_out(dense):
    roles = [
        RoleProfile("a", "A", (Requirement("x", 2, 1.0),)),
        RoleProfile("b", "B", (Requirement("y", 2, 1.0),)),
    ]
    matrix = RoleMatrix(roles, ["x", "y"])
    onehot = RoleMatrix.level_onehot(np.array([0]), np.array([1]), np.array([1]), 1, 2)
    top_idx, top_val = matrix.top_roles(onehot, 2, dense=dense)
    assert top_idx.tolist() == [[1, -1]]
    np.testing.assert_allclose(top_val, [[0.5, 0.0]])
