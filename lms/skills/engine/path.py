"""Learning paths: which courses close a learner's gap to a role, in which order.

Small catalogues (≤ EXACT_LIMIT candidate courses, the usual centre) are solved exactly
with `scipy.optimize.milp`: fewest hours that close as much of the gap as the catalogue can.
Larger ones use greedy weighted set cover. A candidate's cost is its hours plus the hours of every
prerequisite not yet planned or completed (its prerequisite closure); its gain is the
weighted level gap it closes (`w · (min(outcome, req) − current)` summed over the skills it
raises). Pick the best gain/cost, add it with its closure, raise the levels, repeat until the
gap is closed or no course helps. Then order the chosen set topologically (prerequisites
first, ties in catalogue order). Greedy set cover is within ln(n) of optimal; a pruning
pass then drops courses later picks made redundant.
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


EXACT_LIMIT = 40  # catalogues up to this many candidate courses are solved exactly (MILP)


def _reached(keys: Iterable[str], catalogue: Mapping[str, Course], gaps: Mapping[str, SkillGap]):
    levels = {s: g.current for s, g in gaps.items()}
    for key in keys:
        for skill, level in catalogue[key].outcomes.items():
            if skill in gaps:
                levels[skill] = max(levels[skill], min(level, gaps[skill].required))
    return levels


def _prune(
    planned: list[str], catalogue: Mapping[str, Course], gaps: Mapping[str, SkillGap]
) -> list[str]:
    """Drop courses (dearest first) that nothing planned needs and whose outcomes the rest
    already reach — greedy picks early courses that later picks make redundant."""
    target = _reached(planned, catalogue, gaps)
    kept = list(planned)
    for key in sorted(planned, key=lambda k: -catalogue[k].hours):
        rest = [k for k in kept if k != key]
        needed = any(key in catalogue[k].prerequisites for k in rest)
        if not needed and _reached(rest, catalogue, gaps) == target:
            kept = rest
    return kept


def _greedy(
    gaps: Mapping[str, SkillGap],
    courses: Sequence[Course],
    catalogue: Mapping[str, Course],
    done: set[str],
) -> list[str]:
    levels = {s: g.current for s, g in gaps.items()}
    planned: list[str] = []
    planned_set: set[str] = set()
    while True:
        open_gap = {s: g for s, g in gaps.items() if levels[s] < g.required}
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
        for key in best[3]:
            planned.append(key)
            planned_set.add(key)
        levels = _reached(planned, catalogue, gaps)
    return _prune(planned, catalogue, gaps)


def _steps(
    chosen: Sequence[str], catalogue: Mapping[str, Course], gaps: Sequence[SkillGap]
) -> LearningPath:
    """Order the chosen courses and say what each closes (the first course to raise a skill
    gets the credit); courses closing nothing are there as prerequisites."""
    gap_by_skill = {g.skill: g for g in gaps}
    reached = {g.skill: g.current for g in gaps}
    steps = []
    for key in topological_order(list(chosen), catalogue):
        course = catalogue[key]
        closes = {}
        for skill, level in course.outcomes.items():
            if skill in gap_by_skill:
                new = min(level, gap_by_skill[skill].required)
                if new > reached[skill]:
                    closes[skill] = new
                    reached[skill] = new
        steps.append(
            PathStep(course=course, closes=closes, reason="gap" if closes else "prerequisite")
        )
    uncovered = [g.skill for g in gaps if reached[g.skill] < g.required]
    return LearningPath(steps=steps, uncovered=uncovered)


def plan_path(
    gaps: Sequence[SkillGap],
    courses: Sequence[Course],
    *,
    completed: Iterable[str] = (),
    levels: Mapping[str, int] | None = None,
    exact_limit: int = EXACT_LIMIT,
) -> LearningPath:
    """The courses that close `gaps`, prerequisites included, in an order one can take them.

    `completed` courses are never planned again and count as met prerequisites, and so does
    a course whose every outcome the learner already holds (`levels`: prior learning is
    recognised). Prerequisites outside the catalogue are ignored (the centre does not offer
    them). Catalogues with at most `exact_limit` candidate courses are solved exactly
    (fewest hours, `scipy.optimize.milp`); larger ones by greedy set cover with pruning.
    """
    catalogue = {c.key: c for c in courses}
    done = set(completed) | _already_known(courses, levels or {})
    gap_by_skill = {g.skill: g for g in gaps}
    candidates = [c for c in courses if c.key not in done]
    chosen: list[str] | None = None
    if 0 < len(candidates) <= exact_limit:
        chosen = _optimal_keys(gaps, courses, done)
    if chosen is None:
        chosen = _greedy(gap_by_skill, courses, catalogue, done)
    return _steps(chosen, catalogue, gaps)


def plan_path_greedy(
    gaps: Sequence[SkillGap],
    courses: Sequence[Course],
    *,
    completed: Iterable[str] = (),
    levels: Mapping[str, int] | None = None,
) -> LearningPath:
    """`plan_path` by greedy set cover only, whatever the catalogue's size."""
    return plan_path(gaps, courses, completed=completed, levels=levels, exact_limit=0)


def _optimal_keys(
    gaps: Sequence[SkillGap], courses: Sequence[Course], done: set[str]
) -> list[str] | None:
    """Fewest total hours that close as much gap as the catalogue can, exactly (MILP).

    Variables: x_c ∈ {0,1} per course not done. For each gap skill and each level step k in
    (current, reachable], some chosen course must teach ≥ k; prerequisites: x_c ≤ x_p.
    Returns None when the solver finds no solution (the caller falls back to greedy).
    """
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    candidates = [c for c in courses if c.key not in done]
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
    if not rows:
        return []
    for c in candidates:
        for p in c.prerequisites:
            if p in index:
                row = np.zeros(n)
                row[index[c.key]] = 1
                row[index[p]] = -1
                rows.append(row)
                lower.append(-np.inf)
                upper.append(0)
    # Hours first; a tiny per-course term prefers fewer courses among equal-hour plans.
    cost = np.array([c.hours + 1e-6 for c in candidates], dtype=float)
    result = milp(
        cost,
        constraints=LinearConstraint(np.vstack(rows), lower, upper),
        integrality=np.ones(n),
        bounds=Bounds(0, 1),
    )
    if result.x is None:
        return None
    return [candidates[i].key for i in range(n) if result.x[i] > 0.5]


def plan_path_optimal(
    gaps: Sequence[SkillGap],
    courses: Sequence[Course],
    *,
    completed: Iterable[str] = (),
    levels: Mapping[str, int] | None = None,
) -> LearningPath:
    """`plan_path` solved exactly (MILP) whatever the catalogue's size."""
    catalogue = {c.key: c for c in courses}
    done = set(completed) | _already_known(courses, levels or {})
    chosen = _optimal_keys(gaps, courses, done)
    if chosen is None:
        chosen = _greedy({g.skill: g for g in gaps}, courses, catalogue, done)
    return _steps(chosen, catalogue, gaps)
