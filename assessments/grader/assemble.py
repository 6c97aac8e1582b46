"""Rebuild the notebook to grade from the instructor's source and a learner's submission.

Only the *sources* of the solution cells come from the submission, matched by ``grade_id`` and
cell type. Everything else — instructions, locked cells, test cells with their hidden tests, cell
order, notebook metadata and kernel — comes from the source. So deleting, editing, duplicating or
re-typing a test cell, changing metadata or the kernel name in the submission cannot change a score.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from nbformat import NotebookNode
from nbformat.v4 import new_notebook

from .learner import strip_solution
from .notebook import (
    SUPPORTED_KERNEL,
    grade_id,
    is_solution_cell,
    is_test_cell,
    nbgrader_meta,
    split_hidden,
    validate_source,
)


@dataclass
class TestPlan:
    """How one test cell of the assembled notebook is to be run and scored."""

    grade_id: str
    index: int
    max_points: float
    visible: str
    hidden: str
    hidden_message: str
    answers: list[str] = field(default_factory=list)
    missing_answers: list[str] = field(default_factory=list)


@dataclass
class Assembly:
    """The notebook to execute and the plan for scoring it."""

    notebook: NotebookNode
    tests: list[TestPlan]
    missing: list[str]
    ignored: list[str]


def _submitted_solutions(submission: NotebookNode) -> tuple[dict[str, NotebookNode], list[str]]:
    """First solution cell per grade_id; later duplicates are reported as ignored."""
    found: dict[str, NotebookNode] = {}
    ignored: list[str] = []
    for cell in submission.cells:
        gid = grade_id(cell)
        if not gid or not is_solution_cell(cell):
            continue
        if gid in found:
            ignored.append(gid)
            continue
        found[gid] = cell
    return found, ignored


def assemble(source: NotebookNode, submission: NotebookNode) -> Assembly:
    """Return the notebook to grade: the source with the submission's answers in place.

    A solution cell the submission lacks (or whose type changed) keeps the learner placeholder and
    is listed in ``missing``; the tests after it report "missing" unless they pass anyway.
    """
    validate_source(source)
    answers, ignored = _submitted_solutions(submission)
    nb = new_notebook(metadata=copy.deepcopy(dict(source.metadata)))
    nb.metadata["kernelspec"] = {
        "name": SUPPORTED_KERNEL,
        "display_name": "Python 3",
        "language": "python",
    }
    tests: list[TestPlan] = []
    missing: list[str] = []
    pending_answers: list[str] = []
    pending_missing: list[str] = []
    for index, src_cell in enumerate(source.cells):
        cell = copy.deepcopy(src_cell)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        gid = grade_id(cell)
        if gid and is_solution_cell(cell):
            submitted = answers.get(gid)
            if submitted is not None and submitted.cell_type == cell.cell_type:
                cell.source = submitted.source
            else:
                cell.source = strip_solution(src_cell.source, cell.cell_type)
                missing.append(gid)
                pending_missing.append(gid)
            if cell.cell_type == "code":
                pending_answers.append(gid)
        elif gid and is_test_cell(cell):
            visible, hidden = split_hidden(cell.source)
            dasi_meta = cell.metadata.get("dasi", {})
            tests.append(
                TestPlan(
                    grade_id=gid,
                    index=index,
                    max_points=float(nbgrader_meta(cell).get("points", 0)),
                    visible=visible,
                    hidden=hidden,
                    hidden_message=str(dasi_meta.get("hidden_message", "")),
                    answers=pending_answers,
                    missing_answers=pending_missing,
                )
            )
            pending_answers, pending_missing = [], []
            cell.source = visible if not hidden.strip() else f"{visible}\n{hidden}"
        nb.cells.append(cell)
    return Assembly(notebook=nb, tests=tests, missing=missing, ignored=ignored)
