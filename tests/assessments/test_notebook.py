"""Reading and validating notebooks: every bad input is one clear NotebookError."""

from __future__ import annotations

import pytest

from assessments.grader import notebook as nbmod
from assessments.grader.notebook import read_notebook, split_hidden, validate_source
from tests.assessments.conftest import golden


@pytest.mark.parametrize(
    ("name", "error", "words"),
    [
        ("not_json.ipynb", nbmod.NotJSONError, "not JSON"),
        ("not_utf8.ipynb", nbmod.NotUTF8Error, "not UTF-8"),
        ("not_a_notebook.ipynb", nbmod.NotANotebookError, "not a Jupyter notebook"),
        ("nbformat3.ipynb", nbmod.WrongFormatError, "nbformat 3"),
    ],
)
def test_unreadable_submission_is_one_line(name, error, words):
    with pytest.raises(error) as info:
        read_notebook(golden(name), what="submission")
    message = str(info.value)
    assert words in message
    assert message.startswith("submission")
    assert "\n" not in message


def test_over_the_size_limit():
    with pytest.raises(nbmod.TooLargeError, match="limit is"):
        read_notebook(golden("correct.ipynb"), max_bytes=1000)


def test_golden_source_is_valid():
    tests = validate_source(read_notebook(golden("source.ipynb")))
    assert [(t.grade_id, t.points, t.has_hidden_tests) for t in tests] == [
        ("test_mean", 2.0, True),
        ("test_word_count", 3.0, True),
        ("test_safe_div", 1.0, False),
    ]


@pytest.mark.parametrize(
    ("name", "error", "words"),
    [
        ("source_without_metadata.ipynb", nbmod.MetadataError, "no autograder test cells"),
        ("source_duplicate_grade_id.ipynb", nbmod.MetadataError, "'test_mean' is used twice"),
        ("source_negative_points.ipynb", nbmod.MetadataError, "negative"),
        ("source_test_without_tests.ipynb", nbmod.MetadataError, "contains no tests"),
        ("source_wrong_kernel.ipynb", nbmod.KernelError, "'ir'"),
    ],
)
def test_bad_source_is_rejected(name, error, words):
    with pytest.raises(error, match=words) as info:
        validate_source(read_notebook(golden(name)))
    assert "\n" not in str(info.value)


def test_manually_graded_answer_is_rejected():
    nb = read_notebook(golden("source.ipynb"))
    nb.cells[2].metadata.nbgrader["grade"] = True
    with pytest.raises(nbmod.MetadataError, match="manually graded"):
        validate_source(nb)


def test_unbalanced_markers_are_rejected():
    nb = read_notebook(golden("source.ipynb"))
    nb.cells[3].source += "\n### BEGIN HIDDEN TESTS\nassert True"
    with pytest.raises(nbmod.MetadataError, match="unbalanced"):
        validate_source(nb)


def test_split_hidden_removes_markers():
    visible, hidden = split_hidden(
        "assert a\n### BEGIN HIDDEN TESTS\nassert b\n### END HIDDEN TESTS\nassert c"
    )
    assert visible == "assert a\nassert c"
    assert hidden == "assert b"
