"""Learning paths: which courses close a learner's gap to a role, in which order.

Greedy weighted set cover. A candidate's cost is its hours plus the hours of every
prerequisite not yet planned or completed (its prerequisite closure); its gain is the
weighted level gap it closes (`w · (min(outcome, req) − current)` summed over the skills it
raises). Pick the best gain/cost, add it with its closure, raise the levels, repeat until the
gap is closed or no course helps. Then order the chosen set topologically (prerequisites
first, ties in catalogue order). Greedy set cover is within ln(n) of optimal;
`plan_path_optimal` solves the same problem exactly with `scipy.optimize.milp` for comparison.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter

from .gap import SkillGap


@dataclass(frozen=True)
class Course:
    """A course of the learner's catalogue: its outcomes (skill → level) and prerequisites."""

    key: str
    title: str
    hours: float
    outcomes: Mapping[str, int]
    prerequisites: tuple[str, ...] = ()


@dataclass
class PathStep:
    """One course of a path and the gap skills it closes or raises (skill → level reached)."""

    course: Course
    closes: dict[str, int] = field(default_factory=dict)
    reason: str = "gap"  # "gap" or "prerequisite"


@dataclass
class LearningPath:
    steps: list[PathStep]
    uncovered: list[str]  # gap skills no course of the catalogue teaches far enough

    @property
    def hours(self) -> float:
        return float(sum(step.course.hours for step in self.steps))


class PrerequisiteCycle(ValueError):
    """The catalogue's prerequisites form a cycle, so no order exists."""


def _closure(key: str, courses: Mapping[str, Course], done: set[str]) -> list[str]:
    """`key` and every prerequisite (transitively) not in `done`, each once."""
    seen: list[str] = []
    stack = [key]
    while stack:
        current = stack.pop()
        if current in done or current in seen or current not in courses:
            continue
        seen.append(current)
        stack.extend(courses[current].prerequisites)
    return seen


def _already_known(courses: Iterable[Course], levels: Mapping[str, int]) -> set[str]:
    return {
        c.key
        for c in courses
        if c.outcomes and all(levels.get(s, 0) >= lvl for s, lvl in c.outcomes.items())
    }


def _gain(
    keys: Iterable[str],
    courses: Mapping[str, Course],
    levels: Mapping[str, int],
    gaps: Mapping[str, SkillGap],
) -> float:
    reached: dict[str, int] = {}
    for key in keys:
        for skill, level in courses[key].outcomes.items():
            if skill in gaps:
                reached[skill] = max(reached.get(skill, 0), level)
    total = 0.0
    for skill, level in reached.items():
        gap = gaps[skill]
        now = levels[skill]
        total += gap.weight * max(0, min(level, gap.required) - now)
    return total


def topological_order(keys: Sequence[str], courses: Mapping[str, Course]) -> list[str]:
    """`keys` with prerequisites first; among courses free at the same time, catalogue order."""
    chosen = set(keys)
    position = {key: i for i, key in enumerate(courses)}
    sorter: TopologicalSorter[str] = TopologicalSorter()
    for key in keys:
        sorter.add(key, *[p for p in courses[key].prerequisites if p in chosen])
    try:
        sorter.prepare()
    except CycleError as exc:
        raise PrerequisiteCycle(" → ".join(exc.args[1])) from exc
    ordered: list[str] = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready(), key=lambda k: position.get(k, 0))
        for key in ready:
            ordered.append(key)
            sorter.done(key)
    return ordered


def plan_path(
    gaps: Sequence[SkillGap],
    courses: Sequence[Course],
    *,
    completed: Iterable[str] = (),
    levels: Mapping[str, int] | None = None,
) -> LearningPath:
    """The courses that close `gaps`, prerequisites included, in an order one can take them.

    `completed` courses are never planned again and count as met prerequisites, and so does
    a course whose every outcome the learner already holds (`levels`: prior learning is
    recognised). Prerequisites outside the catalogue are ignored (the centre does not offer
    them).
    """
    catalogue = {c.key: c for c in courses}
    done = set(completed) | _already_known(courses, levels or {})
    gap_by_skill = {g.skill: g for g in gaps}
    levels = {g.skill: g.current for g in gaps}
    planned: list[str] = []
    planned_set: set[str] = set()
    reasons: dict[str, str] = {}
    while True:
        open_gap = {s: g for s, g in gap_by_skill.items() if levels[s] < g.required}
        if not open_gap:
            break
        best: tuple[float, float, int, list[str]] | None = None
        for i, course in enumerate(courses):
            if course.key in done or course.key in planned_set:
                continue
            if not any(s in open_gap and lvl > levels[s] for s, lvl in course.outcomes.items()):
                continue
            bundle = _closure(course.key, catalogue, done | planned_set)
            gain = _gain(bundle, catalogue, levels, open_gap)
            if gain <= 0:
                continue
            cost = sum(catalogue[k].hours for k in bundle) or 1e-9
            candidate = (gain / cost, -cost, -i, bundle)
            if best is None or candidate[:3] > best[:3]:
                best = candidate
        if best is None:
            break
        bundle = best[3]
        for key in bundle:
            planned.append(key)
            planned_set.add(key)
            reasons[key] = "gap" if key == bundle[0] else "prerequisite"
            for skill, level in catalogue[key].outcomes.items():
                if skill in levels:
                    levels[skill] = max(levels[skill], min(level, gap_by_skill[skill].required))
    steps = []
    reached = {g.skill: g.current for g in gaps}
    for key in topological_order(planned, catalogue):
        course = catalogue[key]
        closes = {}
        for skill, level in course.outcomes.items():
            if skill in gap_by_skill and level > reached[skill]:
                new = min(level, gap_by_skill[skill].required)
                if new > reached[skill]:
                    closes[skill] = new
                    reached[skill] = new
        reason = "gap" if closes else "prerequisite"
        steps.append(PathStep(course=course, closes=closes, reason=reason))
    uncovered = [g.skill for g in gaps if reached[g.skill] < g.required]
    return LearningPath(steps=steps, uncovered=uncovered)


def plan_path_optimal(
    gaps: Sequence[SkillGap],
    courses: Sequence[Course],
    *,
    completed: Iterable[str] = (),
) -> LearningPath:
    """Fewest total hours that close as much gap as the catalogue can, exactly (MILP).

    Variables: x_c ∈ {0,1} per course. For each gap skill and each level step k in
    (current, reachable], some chosen course must teach ≥ k; prerequisites: x_c ≤ x_p.
    Meant for small catalogues (benchmarks); `plan_path` is what the product uses.
    """
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    done = set(completed)
    candidates = [c for c in courses if c.key not in done]
    catalogue = {c.key: c for c in courses}
    index = {c.key: i for i, c in enumerate(candidates)}
    n = len(candidates)
    rows: list[np.ndarray] = []
    lower: list[float] = []
    upper: list[float] = []
    for gap in gaps:
        reachable = max(
            [min(c.outcomes.get(gap.skill, 0), gap.required) for c in candidates] + [gap.current]
        )
        for k in range(gap.current + 1, reachable + 1):
            row = np.zeros(n)
            for c in candidates:
                if c.outcomes.get(gap.skill, 0) >= k:
                    row[index[c.key]] = 1
            rows.append(row)
            lower.append(1)
            upper.append(np.inf)
    for c in candidates:
        for p in c.prerequisites:
            if p in index:
                row = np.zeros(n)
                row[index[c.key]] = 1
                row[index[p]] = -1
                rows.append(row)
                lower.append(-np.inf)
                upper.append(0)
    cost = np.array([c.hours for c in candidates], dtype=float)
    if not rows:
        return LearningPath(steps=[], uncovered=[g.skill for g in gaps])
    result = milp(
        cost,
        constraints=LinearConstraint(np.vstack(rows), lower, upper),
        integrality=np.ones(n),
        bounds=Bounds(0, 1),
    )
    chosen = [candidates[i].key for i in range(n) if result.x is not None and result.x[i] > 0.5]
    steps = [PathStep(course=catalogue[k]) for k in topological_order(chosen, catalogue)]
    return LearningPath(steps=steps, uncovered=[])
