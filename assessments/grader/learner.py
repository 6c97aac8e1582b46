"""Make the learner's version of a source notebook, as downloaded or opened in JupyterLab.

Solutions become a placeholder, hidden tests disappear, outputs are cleared and locked cells carry a
checksum (nbgrader's ``checksum`` key) so a changed locked cell can be spotted. The grader never
trusts the learner version: it rebuilds the graded notebook from the source (see ``assemble``).
"""

from __future__ import annotations

import copy
import hashlib

from nbformat import NotebookNode

from .notebook import (
    BEGIN_HIDDEN,
    BEGIN_SOLUTION,
    CODE_PLACEHOLDER,
    END_HIDDEN,
    END_SOLUTION,
    MARKDOWN_PLACEHOLDER,
    is_locked_cell,
    is_solution_cell,
    is_test_cell,
    nbgrader_meta,
    validate_source,
)


def strip_solution(source: str, cell_type: str) -> str:
    """Replace each BEGIN/END SOLUTION region (or the whole cell, if it has none) by a placeholder.

    The placeholder keeps the indentation of the BEGIN marker, so a solution inside a function body
    still leaves valid Python.
    """
    placeholder = CODE_PLACEHOLDER if cell_type == "code" else MARKDOWN_PLACEHOLDER
    lines = source.splitlines()
    if not any(line.strip() == BEGIN_SOLUTION for line in lines):
        return placeholder
    out: list[str] = []
    inside = False
    for line in lines:
        marker = line.strip()
        if marker == BEGIN_SOLUTION:
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            out.extend(indent + p for p in placeholder.splitlines())
        elif marker == END_SOLUTION:
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out)


def strip_hidden(source: str) -> str:
    """Remove every BEGIN/END HIDDEN TESTS region, markers included."""
    out: list[str] = []
    inside = False
    for line in source.splitlines():
        marker = line.strip()
        if marker == BEGIN_HIDDEN:
            inside = True
        elif marker == END_HIDDEN:
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out).rstrip("\n")


def cell_checksum(cell: NotebookNode) -> str:
    """A sha256 over what makes a locked cell itself: type, source and grading metadata."""
    meta = nbgrader_meta(cell)
    parts = [
        cell.cell_type,
        cell.source,
        str(meta.get("grade_id", "")),
        str(bool(meta.get("grade"))),
        str(bool(meta.get("solution"))),
        str(meta.get("points", "")),
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def learner_version(source: NotebookNode) -> NotebookNode:
    """Return a new notebook for learners; ``source`` is validated first and left unchanged."""
    validate_source(source)
    nb = copy.deepcopy(source)
    for cell in nb.cells:
        if is_solution_cell(cell):
            cell.source = strip_solution(cell.source, cell.cell_type)
        elif is_test_cell(cell):
            cell.source = strip_hidden(cell.source)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("execution", None)
        if is_locked_cell(cell):
            cell.metadata.setdefault("nbgrader", {})["checksum"] = cell_checksum(cell)
            cell.metadata["editable"] = False
            cell.metadata["deletable"] = False
    nb.metadata.pop("dasi", None)
    return nb
