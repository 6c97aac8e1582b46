"""Grade a learner's notebook against the instructor's source, in the sandbox.

``grade(source, submission)`` is the one entry point the platform calls (from a Celery task, a
Kubernetes Job or ``manage.py grade_notebook``). It never runs learner code in the calling process.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any

from .assemble import Assembly, TestPlan, assemble
from .notebook import grade_id, is_solution_cell, read_notebook, validate_source
from .sandbox import Limits, RunOutcome
from .session import run_in_sandbox

PASSED, FAILED, ERROR, TIMEOUT, MISSING = "passed", "failed", "error", "timeout", "missing"
FEEDBACK_MAX_CHARS = 4000


@dataclass
class CellResult:
    """The outcome of one autograder test cell."""

    grade_id: str
    points: float
    max_points: float
    status: str
    feedback: str


@dataclass
class GradeResult:
    """The outcome of grading one submission. ``to_dict`` is the public JSON shape."""

    score: float
    max_score: float
    cells: list[CellResult]
    duration_s: float
    limits_hit: list[str]
    executed_notebook: str | None = field(default=None, repr=False)
    """The executed notebook with hidden tests: for instructors only, never for learners."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "max_score": self.max_score,
            "cells": [asdict(c) for c in self.cells],
            "duration_s": self.duration_s,
            "limits_hit": self.limits_hit,
        }


def build_job(assembly: Assembly) -> dict[str, Any]:
    """The host's job: every code cell in order with its role, and the tests of each test cell.

    ``instructor`` cells (neither answers nor tests) run in both sandboxes, ``learner`` cells in
    the learner sandbox only, ``test`` cells in the judge sandbox only.
    """
    tests = {t.index: t for t in assembly.tests}
    cells = []
    for index, cell in enumerate(assembly.notebook.cells):
        if cell.cell_type != "code":
            continue
        if index in tests:
            kind = "test"
        elif is_solution_cell(cell):
            kind = "learner"
        else:
            kind = "instructor"
        cells.append({"index": index, "kind": kind, "code": "" if kind == "test" else cell.source})
    return {
        "notebook": assembly.notebook,
        "cells": cells,
        "tests": [
            {"index": t.index, "visible": t.visible, "hidden": t.hidden} for t in tests.values()
        ],
    }


def grade(
    source: bytes,
    submission: bytes,
    *,
    data_files: dict[str, bytes] | None = None,
    limits: Limits | None = None,
) -> GradeResult:
    """Grade ``submission`` against ``source`` in a fresh sandbox.

    Raises ``NotebookError`` (one-line message) when either notebook cannot be read or the source
    has no usable grading metadata, and ``SandboxUnavailable`` when the machine cannot sandbox.
    Learner mistakes — errors, endless loops, memory hogs, exits — are results, not exceptions.
    """
    limits = limits or Limits()
    started = time.monotonic()
    source_nb = read_notebook(source, what="source notebook")
    validate_source(source_nb)
    submission_nb = read_notebook(submission, what="submission")
    assembly = assemble(source_nb, submission_nb)
    outcome = run_in_sandbox(build_job(assembly), data_files=data_files, limits=limits)
    result = score(assembly, outcome, limits)
    result.duration_s = round(time.monotonic() - started, 3)
    return result


def score(assembly: Assembly, outcome: RunOutcome, limits: Limits) -> GradeResult:
    """Turn the host's events into per-cell results."""
    by_index = {e["index"]: e for e in outcome.events if e.get("e") == "cell"}
    limits_hit: set[str] = set()
    if outcome.wall_timeout:
        limits_hit.add("total_time")
    answer_errors: dict[str, str] = {}
    interference: dict[str, str] = {}
    for event in outcome.events:
        if event.get("e") == "learner":
            hit = {
                "timeout": "cell_time",
                "dead": "kernel_died",
                "memory": "memory",
                "scratch": "scratch",
            }
            if event["status"] in hit:
                limits_hit.add(hit[event["status"]])
            gid = _grade_id_at(assembly, event.get("index"))
            if gid:
                answer_errors[gid] = _answer_problem(event, limits)
        elif event.get("e") == "interfered":
            gid = _grade_id_at(assembly, event.get("index"))
            if gid:
                what = ", ".join(event.get("what", [])) or "the notebook's machinery"
                interference[gid] = (
                    f"Code in your answer cell interfered with how the notebook runs ({what}). "
                    "The tests ran in a separate process and were not affected."
                )
        elif event.get("e") == "output" and event.get("truncated"):
            limits_hit.add("output")
    crash = next((e["error"] for e in outcome.events if e.get("e") == "crash"), None)
    hidden_lines = _hidden_lines(assembly.tests)
    cells: list[CellResult] = []
    for test in assembly.tests:
        status, feedback = _judge(test, by_index.get(test.index), outcome, limits, crash)
        if status == TIMEOUT:
            limits_hit.add("cell_time")
        problems = [answer_errors[a] for a in test.answers if a in answer_errors]
        if status != PASSED and problems:
            feedback = "\n".join([*problems, feedback])
        notes = [interference[a] for a in test.answers if a in interference]
        if status != PASSED and notes:
            feedback = "\n".join([feedback, *notes])
        if status != PASSED and test.missing_answers:
            status = MISSING
            feedback = (
                f"Answer cell {', '.join(repr(a) for a in test.missing_answers)} is missing from "
                f"your notebook (deleted, or its type changed); the test ran without it. {feedback}"
            )
        feedback = _redact(feedback, hidden_lines)[:FEEDBACK_MAX_CHARS]
        points = test.max_points if status == PASSED else 0.0
        cells.append(CellResult(test.grade_id, points, test.max_points, status, feedback))
    executed = next((e.get("json") for e in outcome.events if e.get("e") == "notebook"), None)
    return GradeResult(
        score=sum(c.points for c in cells),
        max_score=sum(c.max_points for c in cells),
        cells=cells,
        duration_s=round(outcome.duration_s, 3),
        limits_hit=sorted(limits_hit),
        executed_notebook=executed,
    )


def _judge(
    test: TestPlan,
    event: dict[str, Any] | None,
    outcome: RunOutcome,
    limits: Limits,
    crash: str | None,
) -> tuple[str, str]:
    if event is None:
        if outcome.wall_timeout:
            return TIMEOUT, (
                f"Not run: the notebook used up its total time ({limits.total_timeout_s} s)."
            )
        why = "the grader could not start the notebook" if crash else "the grader stopped early"
        return ERROR, f"Not run: {why}. Please try again or ask your instructor."
    status = event["status"]
    hidden_phase = event.get("phase") == "hidden"
    if status == "not_run":
        why = event.get("why")
        if why == "timeout":
            return TIMEOUT, "Not run: an earlier cell ran out of time and could not be stopped."
        if why == "scratch":
            return ERROR, (
                f"Not run: the notebook wrote more than {limits.scratch_bytes // 1024**2} MB of "
                "files, so it was stopped."
            )
        if why == "judge":
            return ERROR, "Not run: the tests could not finish. Please ask your instructor."
        return ERROR, (
            "Not run: Python stopped in an earlier cell (exit(), os._exit(), a crash or too much "
            "memory)."
        )
    if status == "timeout":
        return TIMEOUT, f"This test took longer than {limits.cell_timeout_s} s and was stopped."
    if status == "dead":
        return ERROR, "Python stopped while this test ran (exit, crash or too much memory)."
    if status == "judge":
        return ERROR, "The tests could not finish (the grader's test process stopped)."
    if status == "tampered":
        return ERROR, "The test did not run to its end; code in the notebook interfered with it."
    if status == "ok":
        return PASSED, "All tests passed." if test.hidden.strip() else "Tests passed."
    ename = str(event.get("ename", "Error"))
    verdict = FAILED if ename == "AssertionError" else ERROR
    if hidden_phase:
        # Pass/fail and the instructor's own words only: an error message could carry test code.
        parts = ["The visible tests passed, but the hidden tests did not."]
        if test.hidden_message:
            parts.append(test.hidden_message)
        return verdict, " ".join(parts)
    evalue = str(event.get("evalue", ""))
    head = f"{ename}: {evalue}" if evalue else ename
    if event.get("learner"):
        head = f"Your code raised {head}"
    where = [f"at: {line}" for line in event.get("at", []) if isinstance(line, str)]
    return verdict, "\n".join([head, *where])


def _grade_id_at(assembly: Assembly, index: Any) -> str | None:
    if not isinstance(index, int) or not 0 <= index < len(assembly.notebook.cells):
        return None
    return grade_id(assembly.notebook.cells[index])


def _answer_problem(event: dict[str, Any], limits: Limits) -> str:
    status = event["status"]
    if status == "timeout":
        return f"Your answer cell ran longer than {limits.cell_timeout_s} s and was stopped."
    if status == "dead":
        return "Python stopped while running your answer cell (exit, crash or too much memory)."
    if status == "memory":
        return "Your answer cell ran out of memory (MemoryError)."
    if status == "scratch":
        return f"Your answer cell wrote more than {limits.scratch_bytes // 1024**2} MB of files."
    detail = f"{event.get('ename', 'Error')}: {event.get('evalue', '')}".rstrip(": ")
    return f"Your answer cell raised {detail}"


def _hidden_lines(tests: list[TestPlan]) -> list[str]:
    lines = {
        line.strip()
        for test in tests
        for line in test.hidden.splitlines()
        if len(line.strip()) >= 6 and not line.strip().startswith("#")
    }
    return sorted(lines, key=len, reverse=True)


def _redact(text: str, hidden_lines: list[str]) -> str:
    """Never show hidden test code, even if learner code smuggles it into an error message."""
    for line in hidden_lines:
        if line in text:
            text = text.replace(line, "[hidden test]")
    return text
