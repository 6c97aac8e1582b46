"""B4: planted learners built from the 13 role profiles — exact gaps, and rank of the source.

    .venv/bin/python benchmarks/recommender_planted.py [--learners 10000]

Each learner starts from one source role at exactly its required levels, then (seeded):
k ∈ {0…4} of its skills are dropped (level 0), m ∈ {0…3} others lowered by 1–2 levels, and
noise is added: 3 skills of *other* roles that the source role does not require, at random
levels, and 3 skills no role requires. The planted gap is known by construction; we check
that the engine reports exactly it (every missing skill with required and current level, and
readiness 1 − Σw·missing / Σw·required) both one learner at a time and through the batch
matrix, then report how often the source role ranks first and in the top 3, and which roles
outrank their source (where one role's requirements nearly contain another's).
"""

from __future__ import annotations

import argparse
from collections import Counter

import numpy as np
from recommender_common import SEED

from lms.skills.data import role_files
from lms.skills.engine.gap import Requirement, RoleMatrix, RoleProfile, rank_roles, role_fit


def roles_load() -> list[RoleProfile]:
    return [
        RoleProfile(
            key=doc["slug"],
            name=doc["name"]["en"],
            requirements=tuple(
                Requirement(s["skill"], int(s["level"]), float(s["weight"])) for s in doc["skills"]
            ),
        )
        for doc in role_files()
    ]


def containment(a: RoleProfile, b: RoleProfile) -> float:
    """Share of a's weighted required levels that b's requirements cover."""
    b_level = {r.skill: r.level for r in b.requirements}
    covered = sum(r.weight * min(r.level, b_level.get(r.skill, 0)) for r in a.requirements)
    return covered / a.required_weight


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=10_000)
    args = parser.parse_args()
    roles = roles_load()
    all_role_skills = sorted({r.skill for role in roles for r in role.requirements})
    outside = [f"noise:{i}" for i in range(200)]
    skills = all_role_skills + outside
    rng = np.random.default_rng(SEED)
    learners, sources, planted = [], [], []
    for _ in range(args.learners):
        source = roles[int(rng.integers(len(roles)))]
        levels = {r.skill: r.level for r in source.requirements}
        reqs = list(source.requirements)
        order = rng.permutation(len(reqs))
        k = int(rng.integers(0, 5))
        m = int(rng.integers(0, 4))
        for i in order[:k]:
            levels[reqs[i].skill] = 0
        for i in order[k : k + m]:
            levels[reqs[i].skill] = max(0, reqs[i].level - int(rng.integers(1, 3)))
        required = {r.skill for r in reqs}
        others = [s for s in all_role_skills if s not in required]
        for s in rng.choice(others, size=3, replace=False):
            levels[str(s)] = int(rng.integers(1, 6))
        for s in rng.choice(outside, size=3, replace=False):
            levels[str(s)] = int(rng.integers(1, 6))
        gap = {q.skill: (q.level, levels[q.skill]) for q in reqs if levels[q.skill] < q.level}
        missing = sum(q.weight * (q.level - levels[q.skill]) for q in reqs if q.skill in gap)
        learners.append({s: lv for s, lv in levels.items() if lv > 0})
        sources.append(source.key)
        planted.append((gap, 1 - missing / source.required_weight))

    exact_gap = exact_ready = 0
    hit1 = hit3 = 0
    confusions: Counter[tuple[str, str]] = Counter()
    by_key = {r.key: r for r in roles}
    for profile, source, (gap, readiness) in zip(learners, sources, planted, strict=True):
        fit = role_fit(profile, by_key[source])
        exact_gap += {g.skill: (g.required, g.current) for g in fit.gaps} == gap
        exact_ready += abs(fit.readiness - readiness) < 1e-12
        ranked = [f.role.key for f in rank_roles(profile, roles)]
        hit1 += ranked[0] == source
        hit3 += source in ranked[:3]
        if ranked[0] != source:
            confusions[(source, ranked[0])] += 1

    matrix = RoleMatrix(roles, skills)
    index = {s: i for i, s in enumerate(skills)}
    rows, cols, lvls = [], [], []
    for row, profile in enumerate(learners):
        for s, lv in profile.items():
            rows.append(row)
            cols.append(index[s])
            lvls.append(lv)
    onehot = RoleMatrix.level_onehot(
        np.array(rows), np.array(cols), np.array(lvls), len(learners), len(skills)
    )
    batch = matrix.readiness(onehot).toarray()
    role_row = {r.key: i for i, r in enumerate(roles)}
    batch_err = max(abs(batch[i, role_row[s]] - planted[i][1]) for i, s in enumerate(sources))
    n = len(learners)
    print(f"| Planted learners | {n:,} |")
    print("| --- | --- |")
    print(f"| reported gap = planted gap (every skill, required, current) | {exact_gap / n:.1%} |")
    print(f"| readiness = planted readiness (|Δ| < 1e-12) | {exact_ready / n:.1%} |")
    print(f"| batch matrix readiness, max abs error (float32) | {batch_err:.1e} |")
    print(f"| source role ranked first | {hit1 / n:.1%} |")
    print(f"| source role in the top 3 | {hit3 / n:.1%} |")
    print()
    print(
        "| Source role | Ranked above it | Learners | Source covered by it | It covered by source |"
    )
    print("| --- | --- | --- | --- | --- |")
    for (source, other), count in confusions.most_common(8):
        share = containment(by_key[source], by_key[other])
        back = containment(by_key[other], by_key[source])
        print(f"| {source} | {other} | {count} | {share:.0%} | {back:.0%} |")


if __name__ == "__main__":
    main()
