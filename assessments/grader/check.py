"""Validate a source notebook the way instructors' uploads are validated."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .grade import PASSED, grade
from .notebook import GradedCell, read_notebook, validate_source
from .sandbox import Limits


@dataclass
class CheckReport:
    """What ``check_source`` found. ``problems`` is empty for a usable source."""

    tests: list[GradedCell]
    max_score: float
    ran: bool = False
    duration_s: float = 0.0
    problems: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": not self.problems,
            "tests": [{"grade_id": t.grade_id, "points": t.points} for t in self.tests],
            "max_score": self.max_score,
            "ran": self.ran,
            "duration_s": self.duration_s,
            "problems": self.problems,
        }


def check_source(
    data: bytes,
    *,
    data_files: dict[str, bytes] | None = None,
    run: bool = True,
    limits: Limits | None = None,
) -> CheckReport:
    """Check schema, grade ids, points and tests (raising ``NotebookError``), then run the source.

    Running grades the source against itself in the sandbox: every test cell must pass, otherwise
    each failing cell becomes a one-line problem.
    """
    nb = read_notebook(data, what="source notebook")
    tests = validate_source(nb)
    report = CheckReport(tests=tests, max_score=sum(t.points for t in tests))
    if not run:
        return report
    result = grade(data, data, data_files=data_files, limits=limits)
    report.ran = True
    report.duration_s = result.duration_s
    for cell in result.cells:
        if cell.status != PASSED:
            first = cell.feedback.splitlines()[0] if cell.feedback else cell.status
            report.problems.append(
                f"source notebook fails its own test {cell.grade_id!r} ({cell.status}): {first}"
            )
    return report
