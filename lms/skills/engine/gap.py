"""Exact weighted level gap between a learner and digital-creator roles.

For a learner with levels `lvl[s]` (0–5) and a role requiring level `req[s]` (1–5) with weight
`w[s]` (0 < w ≤ 1):

    missing(s)  = max(0, req[s] − lvl[s])
    gap         = Σ w·missing / Σ w·req
    readiness   = 1 − gap            (1.0 when every requirement is met)

`RoleMatrix` computes the same number for many learners at once. `Σ w·min(req, lvl)` is linear
in a one-hot encoding of (skill, level), so a batch is one sparse × sparse product against a
(skill·level × role) matrix holding `w·min(req, level)`; readiness is that over `Σ w·req`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

MAX_LEVEL = 5
_SCORE_STEPS = (1 << 20) - 1  # readiness resolution of the batch top-k sort key


@dataclass(frozen=True)
class Requirement:
    """One skill a role needs: its required level (1–5) and weight (0 < w ≤ 1)."""

    skill: str
    level: int
    weight: float


@dataclass(frozen=True)
class RoleProfile:
    """A role's requirements; `key` is its stable slug."""

    key: str
    name: str
    requirements: tuple[Requirement, ...]

    @property
    def required_weight(self) -> float:
        """Σ w·req: the denominator of the gap."""
        return float(sum(r.weight * r.level for r in self.requirements))


@dataclass(frozen=True)
class SkillGap:
    """A requirement the learner has not met yet."""

    skill: str
    required: int
    current: int
    weight: float

    @property
    def weighted_missing(self) -> float:
        return self.weight * (self.required - self.current)


@dataclass
class RoleFit:
    """A learner's readiness for one role and every missing skill, largest weighted gap first."""

    role: RoleProfile
    readiness: float
    gaps: list[SkillGap] = field(default_factory=list)

    @property
    def missing_weight(self) -> float:
        return float(sum(g.weighted_missing for g in self.gaps))


def role_fit(levels: Mapping[str, int], role: RoleProfile) -> RoleFit:
    """The exact gap and readiness of one learner for one role (skills not in `levels` are 0)."""
    gaps = []
    for req in role.requirements:
        current = int(levels.get(req.skill, 0))
        if current < req.level:
            gaps.append(
                SkillGap(skill=req.skill, required=req.level, current=current, weight=req.weight)
            )
    gaps.sort(key=lambda g: (-g.weighted_missing, -g.weight, g.skill))
    denominator = role.required_weight
    missing = sum(g.weighted_missing for g in gaps)
    readiness = 1.0 - missing / denominator if denominator > 0 else 1.0
    return RoleFit(role=role, readiness=readiness, gaps=gaps)


def rank_roles(levels: Mapping[str, int], roles: Iterable[RoleProfile]) -> list[RoleFit]:
    """Every role's fit, most ready first; ties broken by smaller weighted gap, then key."""
    fits = [role_fit(levels, role) for role in roles]
    fits.sort(key=lambda f: (-round(f.readiness, 12), f.missing_weight, f.role.key))
    return fits


class RoleMatrix:
    """Many roles as one sparse matrix, for scoring many learners at once.

    `skills` fixes the column order of learner matrices passed to `readiness`.
    """

    def __init__(self, roles: Sequence[RoleProfile], skills: Sequence[str]) -> None:
        self.roles = list(roles)
        self.skills = list(skills)
        self.skill_index = {s: i for i, s in enumerate(self.skills)}
        rows, cols, vals = [], [], []
        denominator = np.zeros(len(self.roles), dtype=np.float64)
        for r, role in enumerate(self.roles):
            for req in role.requirements:
                s = self.skill_index[req.skill]
                for level in range(1, MAX_LEVEL + 1):
                    rows.append(s * MAX_LEVEL + level - 1)
                    cols.append(r)
                    vals.append(req.weight * min(req.level, level))
            denominator[r] = role.required_weight
        self.covered = sp.csr_matrix(
            (np.asarray(vals, dtype=np.float32), (rows, cols)),
            shape=(len(self.skills) * MAX_LEVEL, len(self.roles)),
        )
        self.denominator = denominator.astype(np.float32)

    @classmethod
    def from_arrays(
        cls,
        role_skill: sp.csr_matrix,
        required: sp.csr_matrix,
    ) -> RoleMatrix:
        """Build from (role × skill) CSR weights and required levels with the same pattern;
        used by the batch benchmark, where building Python objects would dominate."""
        self = cls.__new__(cls)
        self.roles, self.skills, self.skill_index = [], [], {}
        coo = role_skill.tocoo()
        req = np.asarray(required.tocsr()[coo.row, coo.col]).ravel()
        n_roles, n_skills = role_skill.shape
        levels = np.arange(1, MAX_LEVEL + 1)
        rows = (coo.col[:, None] * MAX_LEVEL + levels[None, :] - 1).ravel()
        cols = np.repeat(coo.row, MAX_LEVEL)
        vals = (coo.data[:, None] * np.minimum(req[:, None], levels[None, :])).ravel()
        self.covered = sp.csr_matrix(
            (vals.astype(np.float32), (rows, cols)), shape=(n_skills * MAX_LEVEL, n_roles)
        )
        denominator = np.zeros(n_roles, dtype=np.float64)
        np.add.at(denominator, coo.row, coo.data * req)
        self.denominator = denominator.astype(np.float32)
        return self

    @staticmethod
    def level_onehot(
        learner_rows: np.ndarray,
        skill_cols: np.ndarray,
        levels: np.ndarray,
        n_learners: int,
        n_skills: int,
    ) -> sp.csr_matrix:
        """Learners as a (learner × skill·level) one-hot CSR from (row, skill, level) triples;
        level-0 entries are dropped (they cover nothing)."""
        keep = levels > 0
        cols = skill_cols[keep] * MAX_LEVEL + np.minimum(levels[keep], MAX_LEVEL) - 1
        data = np.ones(int(keep.sum()), dtype=np.float32)
        return sp.csr_matrix(
            (data, (learner_rows[keep], cols)), shape=(n_learners, n_skills * MAX_LEVEL)
        )

    def readiness(self, learners_onehot: sp.csr_matrix) -> sp.csr_matrix:
        """Readiness (learner × role) as CSR; roles sharing no skill with a learner are absent
        (their readiness is 0)."""
        covered = (learners_onehot @ self.covered).tocsr()
        covered.data /= self.denominator[covered.indices]
        return covered

    def top_roles(
        self, learners_onehot: sp.csr_matrix, k: int, dense: bool | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The k most ready roles per learner (role indices, readiness), best first.

        Roles sharing no skill with a learner (readiness 0) are never listed: rows with fewer
        than k such roles are filled with -1 and 0. Equal readiness is ordered by role index.

        When most learners overlap most roles (popular skills), the sparse product is nearly
        dense and sorting its entries costs more than it saves; `dense=None` picks the dense
        route (argpartition over blocks of at most 256 MB) when over 5% of cells are set.
        """
        scores = self.readiness(learners_onehot)
        n, n_roles = scores.shape
        if dense is None:
            dense = scores.nnz > 0.05 * n * max(n_roles, 1)
        if dense:
            return self._top_dense(scores, k)
        return self._top_sparse(scores, k)

    @staticmethod
    def _top_dense(scores: sp.csr_matrix, k: int) -> tuple[np.ndarray, np.ndarray]:
        n, n_roles = scores.shape
        k_eff = min(k, n_roles)
        top_idx = np.full((n, k), -1, dtype=np.int32)
        top_val = np.zeros((n, k), dtype=np.float32)
        block = max(1, (256 << 20) // (4 * max(n_roles, 1)))
        for start in range(0, n, block):
            part = scores[start : start + block].toarray()
            if k_eff < n_roles:
                cand = np.argpartition(-part, k_eff - 1, axis=1)[:, :k_eff]
            else:
                cand = np.tile(np.arange(n_roles), (part.shape[0], 1))
            vals = np.take_along_axis(part, cand, axis=1)
            order = np.lexsort((cand, -vals), axis=1)
            cand = np.take_along_axis(cand, order, axis=1)
            vals = np.take_along_axis(vals, order, axis=1)
            cand[vals <= 0] = -1
            vals[vals <= 0] = 0
            top_idx[start : start + part.shape[0], :k_eff] = cand
            top_val[start : start + part.shape[0], :k_eff] = vals
        return top_idx, top_val

    @staticmethod
    def _top_sparse(scores: sp.csr_matrix, k: int) -> tuple[np.ndarray, np.ndarray]:
        n = scores.shape[0]
        top_idx = np.full((n, k), -1, dtype=np.int32)
        top_val = np.zeros((n, k), dtype=np.float32)
        counts = np.diff(scores.indptr)
        if scores.nnz == 0:
            return top_idx, top_val
        rows = np.repeat(np.arange(n, dtype=np.int64), counts)
        # One int64 sort key per entry: row, then readiness descending (quantised to 2^-20),
        # then role index — a single argsort instead of a three-key lexsort.
        quantised = np.rint(np.clip(scores.data, 0.0, 1.0) * _SCORE_STEPS).astype(np.int64)
        key = (rows << 41) | ((_SCORE_STEPS - quantised) << 20) | scores.indices.astype(np.int64)
        order = np.argsort(key)
        rank = np.arange(scores.nnz) - np.repeat(scores.indptr[:-1], counts)
        # Sorting keeps each row's entries in its own CSR span, so rank is positional.
        sel = rank < k
        picked = order[sel]
        top_idx[rows[sel], rank[sel]] = scores.indices[picked]
        top_val[rows[sel], rank[sel]] = scores.data[picked]
        return top_idx, top_val
