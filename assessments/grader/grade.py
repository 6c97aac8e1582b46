"""Grade a learner's notebook against the instructor's source, in the sandbox.

``grade(source, submission)`` is the one entry point the platform calls (from a Celery task, a
Kubernetes Job or ``manage.py grade_notebook``). It never runs learner code in the calling process.
"""

from __future__ import annotations

import ast
import re
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from .assemble import Assembly, TestPlan, assemble
from .notebook import grade_id, is_solution_cell, is_test_cell, read_notebook, validate_source
from .sandbox import Limits, RunOutcome, run_in_sandbox

PASSED, FAILED, ERROR, TIMEOUT, MISSING = "passed", "failed", "error", "timeout", "missing"
FEEDBACK_MAX_CHARS = 4000
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_ARROW = re.compile(r"^-+>\s*\d+\s(.*)$")


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


def test_modules(assembly: Assembly) -> list[str]:
    """Modules the instructor's cells import, snapshotted before learner code can patch them.

    Test cells and every other cell that comes from the source (setup cells typically import what
    the tests use) are scanned; solution cells are not.
    """
    codes = [f"{t.visible}\n{t.hidden}" for t in assembly.tests]
    codes += [
        cell.source
        for cell in assembly.notebook.cells
        if cell.cell_type == "code" and not is_solution_cell(cell) and not is_test_cell(cell)
    ]
    names: set[str] = set()
    for code in codes:
        try:
            tree = ast.parse(code)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                modules = [node.module]
            else:
                continue
            for module in modules:
                parts = module.split(".")
                names.update(".".join(parts[: i + 1]) for i in range(len(parts)))
    return sorted(names)


def build_job(assembly: Assembly) -> dict[str, Any]:
    """The runner's job: the assembled notebook and how to run each test cell."""
    return {
        "notebook": assembly.notebook,
        "tests": [
            {
                "index": t.index,
                "visible": t.visible,
                "hidden": t.hidden,
                "original": assembly.notebook.cells[t.index].source,
            }
            for t in assembly.tests
        ],
        "test_modules": test_modules(assembly),
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
    """Turn the runner's verified events into per-cell results."""
    by_index = {e["index"]: e for e in outcome.events if e.get("e") == "cell"}
    limits_hit: set[str] = set()
    if outcome.wall_timeout:
        limits_hit.add("total_time")
    answer_errors: dict[str, str] = {}
    for event in outcome.events:
        if event.get("e") == "learner":
            hit = {"timeout": "cell_time", "dead": "kernel_died", "memory": "memory"}
            if event["status"] in hit:
                limits_hit.add(hit[event["status"]])
            gid = _grade_id_at(assembly, event.get("index"))
            if gid:
                answer_errors[gid] = _answer_problem(event, limits)
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
        if event.get("why") == "timeout":
            return TIMEOUT, "Not run: an earlier cell ran out of time and could not be stopped."
        return ERROR, (
            "Not run: Python stopped in an earlier cell (exit(), os._exit(), a crash or too much "
            "memory)."
        )
    if status == "timeout":
        return TIMEOUT, f"This test took longer than {limits.cell_timeout_s} s and was stopped."
    if status == "dead":
        return ERROR, "Python stopped while this test ran (exit, crash or too much memory)."
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
    where = _failing_lines(event.get("traceback", []))
    return verdict, "\n".join([head, *where])


def _failing_lines(traceback: list[str]) -> list[str]:
    """The statements the traceback points at ("----> 2 assert ..."), without grader internals."""
    found: list[str] = []
    for frame in traceback:
        for line in _ANSI.sub("", frame).splitlines():
            match = _ARROW.match(line)
            if not match:
                continue
            statement = match.group(1).strip()
            if statement and "_dasi_restore_" not in statement and "\\x1bDASI" not in statement:
                found.append(f"at: {statement}")
    return found[-3:]


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
