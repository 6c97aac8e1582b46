"""Learning paths: prerequisites first, closures paid for, only what closes the gap."""

from __future__ import annotations

import pytest

from lms.skills.engine.gap import SkillGap
from lms.skills.engine.path import (
    Course,
    PrerequisiteCycle,
    plan_path,
    plan_path_greedy,
    plan_path_optimal,
    topological_order,
)

PYTHON = Course("py", "Python basics", 10, {"python": 2})
DATA = Course("data", "Data analysis", 12, {"pandas": 2, "python": 3}, prerequisites=("py",))
ML = Course("ml", "Machine learning", 14, {"ml": 3}, prerequisites=("data",))
SQL = Course("sql", "SQL", 6, {"sql": 3})
BIG = Course("big", "Everything at once", 80, {"ml": 3, "sql": 3, "pandas": 2, "python": 3})
CATALOGUE = [ML, SQL, DATA, PYTHON, BIG]


def gaps(**required: int) -> list[SkillGap]:
    return [SkillGap(skill=s, required=r, current=0, weight=1.0) for s, r in required.items()]


def test_the_path_brings_prerequisites_before_the_course_that_needs_them():
    path = plan_path(gaps(ml=3), CATALOGUE)
    assert [s.course.key for s in path.steps] == ["py", "data", "ml"]
    assert path.steps[-1].closes == {"ml": 3}
    assert [s.reason for s in path.steps] == ["prerequisite", "prerequisite", "gap"]
    assert path.uncovered == []
    assert path.hours == 36


def test_cheaper_courses_beat_one_big_course_and_each_says_what_it_closes():
    path = plan_path(gaps(ml=3, sql=3, pandas=2), CATALOGUE)
    keys = [s.course.key for s in path.steps]
    assert "big" not in keys
    assert keys.index("py") < keys.index("data") < keys.index("ml")
    closes = {s.course.key: s.closes for s in path.steps}
    assert closes["sql"] == {"sql": 3}
    assert closes["data"] == {"pandas": 2}


def test_completed_courses_are_not_planned_and_count_as_met_prerequisites():
    path = plan_path(gaps(ml=3), CATALOGUE, completed=["py", "data"])
    assert [s.course.key for s in path.steps] == ["ml"]


def test_a_prerequisite_whose_outcomes_the_learner_holds_is_not_required():
    path = plan_path(gaps(ml=3), CATALOGUE, levels={"python": 2})
    assert [s.course.key for s in path.steps] == ["data", "ml"]


def test_skills_no_course_teaches_far_enough_are_reported():
    path = plan_path(gaps(sql=5, cooking=1), CATALOGUE)
    assert set(path.uncovered) == {"sql", "cooking"}
    assert [s.course.key for s in path.steps] == ["sql"]
    assert path.steps[0].closes == {"sql": 3}


def test_a_prerequisite_cycle_is_an_error_not_a_silent_order():
    a = Course("a", "A", 1, {"x": 1}, prerequisites=("b",))
    b = Course("b", "B", 1, {"y": 1}, prerequisites=("a",))
    with pytest.raises(PrerequisiteCycle):
        topological_order(["a", "b"], {"a": a, "b": b})


@pytest.mark.parametrize("planner", [plan_path, plan_path_greedy, plan_path_optimal])
def test_every_planner_finds_the_optimum_on_this_catalogue(planner):
    path = planner(gaps(ml=3, sql=3, pandas=2), CATALOGUE)
    assert path.hours == 42
    keys = [s.course.key for s in path.steps]
    assert keys.index("py") < keys.index("data") < keys.index("ml")


def test_greedy_drops_courses_that_later_picks_make_redundant():
    # Best ratio first: "a" (x, 1 h per level) then "b" (y); "ab" teaches both for less
    # than a + b would cost once "b" is in: greedy picks a, then ab; pruning drops a.
    a = Course("a", "A", 2, {"x": 2})
    b = Course("b", "B", 10, {"y": 2})
    ab = Course("ab", "AB", 5, {"x": 2, "y": 2})
    path = plan_path_greedy(gaps(x=2, y=2), [a, b, ab])
    assert [s.course.key for s in path.steps] == ["ab"]
