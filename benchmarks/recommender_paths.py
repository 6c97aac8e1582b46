"""B5: learning paths — greedy set cover vs the scipy.optimize.milp optimum.

    .venv/bin/python benchmarks/recommender_paths.py [--instances 500]

Synthetic catalogues (seeded): 15–25 courses in three tiers over a pool of 30 skills. A
course teaches 2–4 skills (tier 1 at levels 1–2, tier 2 at 2–3, tier 3 at 3–5), takes 4–20
hours and requires 0–2 courses of lower tiers. A gap is 8 skills at required levels 1–4 from
level 0. For each instance we check that every planned course comes after its in-catalogue
prerequisites and that they are planned too, that greedy closes as much of the gap as the
optimum can, and the ratio of greedy hours to the optimum's. Timing per plan is reported too.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from recommender_common import SEED

from lms.skills.engine.gap import SkillGap
from lms.skills.engine.path import Course, plan_path_greedy, plan_path_optimal


def catalogue_make(rng: np.random.Generator) -> list[Course]:
    n = int(rng.integers(15, 26))
    tiers = np.sort(rng.integers(1, 4, size=n))
    courses: list[Course] = []
    for i in range(n):
        tier = int(tiers[i])
        low, high = {1: (1, 2), 2: (2, 3), 3: (3, 5)}[tier]
        taught = rng.choice(30, size=int(rng.integers(2, 5)), replace=False)
        outcomes = {f"s{t}": int(rng.integers(low, high + 1)) for t in taught}
        earlier = [c.key for j, c in enumerate(courses) if tiers[j] < tier]
        count = min(len(earlier), int(rng.integers(0, 3)))
        prereqs = (
            tuple(str(p) for p in rng.choice(earlier, size=count, replace=False)) if count else ()
        )
        courses.append(
            Course(f"c{i}", f"Course {i}", float(rng.integers(4, 21)), outcomes, prereqs)
        )
    return courses


def valid_order(steps: list, catalogue: dict[str, Course]) -> bool:
    seen: set[str] = set()
    for step in steps:
        if any(p not in seen for p in step.course.prerequisites if p in catalogue):
            return False
        seen.add(step.course.key)
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", type=int, default=500)
    args = parser.parse_args()
    rng = np.random.default_rng(SEED)
    ratios, valid, same_cover, greedy_s, milp_s = [], 0, 0, 0.0, 0.0
    for _ in range(args.instances):
        courses = catalogue_make(rng)
        catalogue = {c.key: c for c in courses}
        wanted = rng.choice(30, size=8, replace=False)
        gaps = [SkillGap(f"s{s}", int(rng.integers(1, 5)), 0, 1.0) for s in wanted]
        started = time.perf_counter()
        greedy = plan_path_greedy(gaps, courses)
        greedy_s += time.perf_counter() - started
        started = time.perf_counter()
        optimal = plan_path_optimal(gaps, courses)
        milp_s += time.perf_counter() - started
        valid += valid_order(greedy.steps, catalogue)
        reach = {}
        for step in optimal.steps:
            for skill, level in step.course.outcomes.items():
                reach[skill] = max(reach.get(skill, 0), level)
        optimum_uncovered = {g.skill for g in gaps if reach.get(g.skill, 0) < g.required}
        same_cover += set(greedy.uncovered) == optimum_uncovered
        if optimal.hours > 0:
            ratios.append(greedy.hours / optimal.hours)
    r = np.array(ratios)
    n = args.instances
    print(f"| Path instances | {n} (15–25 courses, 8-skill gaps) |")
    print("| --- | --- |")
    print(f"| prerequisites ordered and included | {valid / n:.1%} |")
    print(f"| greedy closes as much as the optimum | {same_cover / n:.1%} |")
    stats = f"{r.mean():.3f}, {np.percentile(r, 95):.3f}, {r.max():.3f}"
    print(f"| hours greedy / optimum: mean, p95, max | {stats} |")
    print(f"| instances within 1.2× the optimum | {(r <= 1.2 + 1e-9).mean():.1%} |")
    print(f"| greedy optimal (ratio = 1) | {(r <= 1 + 1e-9).mean():.1%} |")
    per_plan = f"{1000 * greedy_s / n:.2f} ms, {1000 * milp_s / n:.2f} ms"
    print(f"| time per plan: greedy, MILP | {per_plan} |")


if __name__ == "__main__":
    main()
