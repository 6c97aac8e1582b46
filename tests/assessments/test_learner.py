"""The learner version: no solutions, no hidden tests, no outputs, checksummed locked cells."""

from __future__ import annotations

import copy

from assessments.grader.learner import cell_checksum, learner_version, strip_solution
from assessments.grader.notebook import grade_id, notebook_bytes, read_notebook
from tests.assessments.conftest import golden


def test_learner_version_hides_solutions_and_hidden_tests():
    source = read_notebook(golden("source.ipynb"))
    before = copy.deepcopy(source)
    learner = learner_version(source)
    text = notebook_bytes(learner).decode()
    assert "BEGIN SOLUTION" not in text
    assert "return sum(xs) / len(xs)" not in text
    assert "HIDDEN TESTS" not in text
    assert "hidden-mean-check" not in text
    assert "assert mean([1, 2, 3]) == 2" in text
    assert source == before, "the source must not change"


def test_placeholders_keep_indentation_and_markdown_answers():
    learner = learner_version(read_notebook(golden("source.ipynb")))
    cells = {grade_id(c): c for c in learner.cells if grade_id(c)}
    assert cells["mean"].source == (
        "def mean(xs):\n    # YOUR CODE HERE\n    raise NotImplementedError()"
    )
    assert cells["why"].source == "YOUR ANSWER HERE"


def test_locked_cells_carry_checksums_and_outputs_are_cleared():
    source = read_notebook(golden("source.ipynb"))
    source.cells[1].outputs = [{"output_type": "stream", "name": "stdout", "text": "old"}]
    learner = learner_version(source)
    setup = learner.cells[1]
    assert setup.outputs == []
    assert setup.metadata.nbgrader["checksum"] == cell_checksum(setup)
    assert setup.metadata["editable"] is False
    tampered = copy.deepcopy(setup)
    tampered.source += "\nprint('changed')"
    assert cell_checksum(tampered) != setup.metadata.nbgrader["checksum"]


def test_whole_cell_solution_without_markers():
    assert strip_solution("x = 1", "code") == "# YOUR CODE HERE\nraise NotImplementedError()"
