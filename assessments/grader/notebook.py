"""Read and validate exercise notebooks: bytes in, an nbformat v4 notebook or one clear error out.

The cell metadata follows nbgrader's schema (versions 3 and 4 are read alike):
``{"nbgrader": {"grade": bool, "grade_id": str, "points": number, "solution": bool, "locked": bool,
"schema_version": 3 | 4}}``. A cell with ``grade`` and not ``solution`` is an autograder test cell;
``solution`` without ``grade`` is where the learner answers; ``locked`` cells are the instructor's.

Every error raised here is a ``NotebookError`` whose message is one line meant for a person.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass

import nbformat
from nbformat import NotebookNode

MAX_NOTEBOOK_BYTES = 5 * 1024 * 1024
"""Upper bound for a source or a submission; a real exercise notebook is far smaller."""

SUPPORTED_KERNEL = "python3"
BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"
BEGIN_HIDDEN = "### BEGIN HIDDEN TESTS"
END_HIDDEN = "### END HIDDEN TESTS"
CODE_PLACEHOLDER = "# YOUR CODE HERE\nraise NotImplementedError()"
MARKDOWN_PLACEHOLDER = "YOUR ANSWER HERE"

_GRADE_ID = re.compile(r"^[A-Za-z0-9_\-]{1,64}$")


class NotebookError(ValueError):
    """A notebook cannot be used; the message is one line that says why."""


class NotJSONError(NotebookError):
    """The bytes are not JSON."""


class NotUTF8Error(NotebookError):
    """The bytes are not UTF-8 text."""


class TooLargeError(NotebookError):
    """The notebook is over the size limit."""


class NotANotebookError(NotebookError):
    """JSON, but not a Jupyter notebook."""


class WrongFormatError(NotebookError):
    """A notebook, but not nbformat 4."""


class KernelError(NotebookError):
    """The notebook asks for a kernel the grader does not run."""


class MetadataError(NotebookError):
    """The grading metadata of a source notebook is missing or inconsistent."""


@dataclass(frozen=True)
class GradedCell:
    """One autograder test cell of a source notebook."""

    grade_id: str
    points: float
    index: int
    has_hidden_tests: bool


def read_notebook(
    data: bytes, *, what: str = "notebook", max_bytes: int = MAX_NOTEBOOK_BYTES
) -> NotebookNode:
    """Parse ``data`` as an nbformat 4 notebook, or raise a ``NotebookError`` naming ``what``.

    The notebook is upgraded to the newest v4 minor version and validated against the schema;
    nothing is executed.
    """
    if len(data) > max_bytes:
        raise TooLargeError(
            f"{what} is {len(data) / 1024 / 1024:.1f} MB; the limit is "
            f"{max_bytes / 1024 / 1024:.1f} MB"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotUTF8Error(f"{what} is not UTF-8 text (bad byte at position {exc.start})") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotJSONError(f"{what} is not JSON (line {exc.lineno}, column {exc.colno})") from None
    if not isinstance(raw, dict) or "cells" not in raw and "worksheets" not in raw:
        raise NotANotebookError(f"{what} is JSON but not a Jupyter notebook (no cells)")
    major = raw.get("nbformat")
    if major != 4:
        raise WrongFormatError(
            f"{what} is nbformat {major!r}; only nbformat 4 notebooks are accepted "
            "(save it again from Jupyter 4 or newer)"
        )
    try:
        with warnings.catch_warnings():
            # Older v4 minors lack cell ids; nbformat adds them and warns, which is noise here.
            warnings.simplefilter("ignore")
            nb = nbformat.reads(text, as_version=4)
            nbformat.validate(nb)
    except nbformat.ValidationError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "schema error"
        raise NotANotebookError(f"{what} does not follow the nbformat 4 schema: {first}") from None
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise NotANotebookError(f"{what} is not a readable notebook: {exc}") from None
    return nb


def nbgrader_meta(cell: NotebookNode) -> dict:
    """The cell's nbgrader metadata, or an empty dict."""
    meta = cell.get("metadata", {}).get("nbgrader")
    return meta if isinstance(meta, dict) else {}


def is_test_cell(cell: NotebookNode) -> bool:
    """An autograder test cell: graded, not a place to answer."""
    meta = nbgrader_meta(cell)
    return bool(meta.get("grade")) and not meta.get("solution") and cell.cell_type == "code"


def is_solution_cell(cell: NotebookNode) -> bool:
    """A cell where the learner writes the answer."""
    return bool(nbgrader_meta(cell).get("solution"))


def is_locked_cell(cell: NotebookNode) -> bool:
    """A read-only instructor cell (test cells are treated as locked as well)."""
    meta = nbgrader_meta(cell)
    return bool(meta.get("locked")) or is_test_cell(cell)


def grade_id(cell: NotebookNode) -> str | None:
    """The cell's ``grade_id``, if it has one."""
    value = nbgrader_meta(cell).get("grade_id")
    return value if isinstance(value, str) else None


def split_hidden(source: str) -> tuple[str, str]:
    """Split a test cell's source into (visible tests, hidden tests), markers removed."""
    visible: list[str] = []
    hidden: list[str] = []
    inside = False
    for line in source.splitlines():
        marker = line.strip()
        if marker == BEGIN_HIDDEN:
            inside = True
            continue
        if marker == END_HIDDEN:
            inside = False
            continue
        (hidden if inside else visible).append(line)
    return "\n".join(visible), "\n".join(hidden)


def _marker_pairs_ok(source: str, begin: str, end: str) -> bool:
    depth = 0
    for line in source.splitlines():
        marker = line.strip()
        if marker == begin:
            depth += 1
            if depth > 1:
                return False
        elif marker == end:
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def validate_source(nb: NotebookNode, *, what: str = "source notebook") -> list[GradedCell]:
    """Check a source notebook's grading metadata and return its test cells in order.

    Raises ``MetadataError`` (or ``KernelError``) for: no graded cell at all, a graded or solution
    cell without a grade_id, a duplicate or malformed grade_id, negative or non-numeric points,
    a test cell without any test code, unbalanced BEGIN/END markers, a manually graded answer cell
    (the autograder cannot score it), or a kernel other than Python 3.
    """
    kernel = nb.metadata.get("kernelspec", {}).get("name", SUPPORTED_KERNEL)
    language = nb.metadata.get("kernelspec", {}).get("language", "python")
    if kernel != SUPPORTED_KERNEL or language != "python":
        raise KernelError(
            f"{what} uses kernel {kernel!r}; the grader runs only {SUPPORTED_KERNEL!r}"
        )
    seen: dict[str, int] = {}
    graded: list[GradedCell] = []
    for index, cell in enumerate(nb.cells):
        meta = nbgrader_meta(cell)
        if not meta:
            continue
        where = f"{what}, cell {index + 1}"
        version = meta.get("schema_version", 3)
        if version not in (3, 4):
            raise MetadataError(f"{where}: nbgrader schema_version {version!r} is not 3 or 4")
        if not (meta.get("grade") or meta.get("solution") or meta.get("locked")):
            continue
        gid = meta.get("grade_id")
        if not isinstance(gid, str) or not gid:
            raise MetadataError(f"{where}: graded, solution or locked cell without a grade_id")
        if not _GRADE_ID.match(gid):
            raise MetadataError(
                f"{where}: grade_id {gid!r} may only use letters, digits, '-' and '_' (max 64)"
            )
        if gid in seen:
            raise MetadataError(
                f"{where}: grade_id {gid!r} is used twice (also cell {seen[gid] + 1})"
            )
        seen[gid] = index
        if meta.get("grade") and meta.get("solution"):
            raise MetadataError(
                f"{where}: {gid!r} is a manually graded answer; the autograder scores only "
                "test cells"
            )
        for begin, end in ((BEGIN_SOLUTION, END_SOLUTION), (BEGIN_HIDDEN, END_HIDDEN)):
            if not _marker_pairs_ok(cell.source, begin, end):
                raise MetadataError(f"{where}: unbalanced '{begin}' / '{end}' in {gid!r}")
        if meta.get("grade"):
            if cell.cell_type != "code":
                raise MetadataError(
                    f"{where}: {gid!r} is a graded {cell.cell_type} cell; tests must be code"
                )
            points = meta.get("points", 0)
            if isinstance(points, bool) or not isinstance(points, int | float):
                raise MetadataError(f"{where}: points of {gid!r} must be a number")
            if points < 0:
                raise MetadataError(f"{where}: points of {gid!r} are negative ({points})")
            visible, hidden = split_hidden(cell.source)
            if not _has_code(visible) and not _has_code(hidden):
                raise MetadataError(f"{where}: test cell {gid!r} contains no tests")
            graded.append(GradedCell(gid, float(points), index, _has_code(hidden)))
    if not graded:
        raise MetadataError(
            f"{what} has no autograder test cells (nbgrader metadata with grade: true)"
        )
    return graded


def solution_ids(nb: NotebookNode) -> list[str]:
    """The grade_ids of the solution cells, in order."""
    return [gid for cell in nb.cells if is_solution_cell(cell) and (gid := grade_id(cell))]


def _has_code(source: str) -> bool:
    return any(line.strip() and not line.strip().startswith("#") for line in source.splitlines())


def notebook_bytes(nb: NotebookNode) -> bytes:
    """Serialise a notebook the way Jupyter saves it."""
    return (nbformat.writes(nb) + "\n").encode("utf-8")


def iter_graded(nb: NotebookNode) -> Iterable[tuple[int, NotebookNode]]:
    """(index, cell) for every cell with a grade_id."""
    for index, cell in enumerate(nb.cells):
        if grade_id(cell):
            yield index, cell
