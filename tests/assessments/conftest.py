"""Grader test helpers: golden notebooks, the sandbox marker, and cached grading runs."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import pytest

from assessments.grader import GradeResult, Limits, grade
from assessments.grader.sandbox import SandboxUnavailable, check_available

GOLDEN = Path(__file__).parent / "notebooks"
REPO = Path(__file__).resolve().parents[2]
TEMPLATES = REPO / "notebooks_templates"

# Small limits keep the hostile cases quick; generous enough for a loaded 2-core CI machine.
FAST = Limits(cell_timeout_s=5, total_timeout_s=60)


def pytest_configure(config):
    # One cold sandbox per grading: deterministic, and no spare lingers between tests.
    os.environ["DASI_GRADER_WARM"] = "0"
    config.addinivalue_line(
        "markers",
        "sandbox: runs notebooks in the bubblewrap grading sandbox (needs bwrap + runtime)",
    )


def golden(name: str, **fill: object) -> bytes:
    """A golden notebook's bytes, with {PLACEHOLDERS} filled in."""
    data = (GOLDEN / name).read_bytes()
    for key, value in fill.items():
        data = data.replace(f"{{{key}}}".encode(), str(value).encode())
    return data


@pytest.fixture(scope="session")
def sandbox():
    """Skip (a failure under CI) when the machine cannot run the sandbox."""
    try:
        check_available()
    except SandboxUnavailable as exc:
        pytest.skip(str(exc))


@cache
def graded(name: str, limits: Limits = FAST) -> GradeResult:
    """Grade a golden submission against the golden source once per test session."""
    return grade(golden("source.ipynb"), golden(name), limits=limits)


def by_id(result: GradeResult) -> dict:
    return {cell.grade_id: cell for cell in result.cells}
