"""Assembly from the source: submissions cannot change tests, points or metadata."""

from __future__ import annotations

import pytest

from assessments.grader import assemble, read_notebook
from assessments.grader.notebook import grade_id, nbgrader_meta
from tests.assessments.conftest import golden


def _assembled(name):
    return assemble(read_notebook(golden("source.ipynb")), read_notebook(golden(name)))


def _tests(assembly):
    return [(t.grade_id, t.max_points, t.visible, t.hidden) for t in assembly.tests]


@pytest.mark.parametrize(
    "name",
    [
        "deleted_test_cell.ipynb",
        "edited_test_cell.ipynb",
        "duplicated_grade_id.ipynb",
        "changed_metadata.ipynb",
        "wrong_kernel.ipynb",
    ],
)
def test_tests_and_metadata_come_from_the_source(name):
    reference = _assembled("correct.ipynb")
    tampered = _assembled(name)
    assert _tests(tampered) == _tests(reference)
    for ours, theirs in zip(reference.notebook.cells, tampered.notebook.cells, strict=True):
        assert ours.metadata == theirs.metadata
        assert ours.cell_type == theirs.cell_type
        if grade_id(ours) not in ("mean", "word_count", "safe_div"):
            assert ours.source == theirs.source
    assert tampered.notebook.metadata["kernelspec"]["name"] == "python3"


def test_only_the_first_duplicate_answer_counts():
    assembly = _assembled("duplicated_grade_id.ipynb")
    mean = next(c for c in assembly.notebook.cells if grade_id(c) == "mean")
    assert mean.source == "def mean(xs):\n    return 0"
    assert assembly.ignored == ["mean"]


def test_retyped_answer_is_missing():
    assembly = _assembled("retyped_answer.ipynb")
    assert assembly.missing == ["word_count"]
    plan = {t.grade_id: t for t in assembly.tests}
    assert plan["test_word_count"].missing_answers == ["word_count"]
    cell = next(c for c in assembly.notebook.cells if grade_id(c) == "word_count")
    assert cell.cell_type == "code"
    assert "NotImplementedError" in cell.source


def test_hidden_tests_are_restored_from_the_source():
    assembly = _assembled("empty.ipynb")
    test_mean = assembly.tests[0]
    assert "hidden-mean-check" in test_mean.hidden
    assert nbgrader_meta(assembly.notebook.cells[test_mean.index])["points"] == 2
