"""Hostile submissions: tricks that fool a grader running the tests in the learner's kernel score 0.

Every notebook in ``notebooks/hostile/`` has wrong honest answers (``mean`` returns 0, ``word_count``
{}, ``safe_div`` -1) plus one trick; see that folder's README.md. An honest grade is 0 of 6.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from assessments.grader import grade
from tests.assessments.conftest import FAST, golden
from tests.assessments.test_grade import HIDDEN_CODE

pytestmark = [pytest.mark.sandbox, pytest.mark.usefixtures("sandbox")]

HOSTILE = Path(__file__).parent / "notebooks" / "hostile"
GENERATOR = HOSTILE / "make_hostile.py"
FILES = sorted(path.name for path in HOSTILE.glob("*.ipynb"))
NAMES = [name for name in FILES if not name.startswith("source")]
MAP_SOURCE = "source_map.ipynb"  # source.ipynb with its tests written as all(map(...))
NOT_PASSED = {"failed", "error", "timeout", "missing"}
SECRETS = [*HIDDEN_CODE, "hidden-mean-check", "[7, 8, 9, 10, 11]", "['Data data']"]
# The wrong answers each notebook is built on (make_hostile.HONEST), as the generator writes them.
HONEST = {
    "mean": "def mean(xs):\n    return 0",
    "word_count": "def word_count(text):\n    return {}",
    "safe_div": "def safe_div(a, b):\n    return -1",
}
TRICK_BLOCK = re.compile(r"\n\n# >>> trick: (\w+)\n(.*)\n# <<< trick$", re.DOTALL)
# Controls for the honest set: a persistent in-kernel rewrite, lying return values, a helper
# thread. Kept small: each grading takes a few seconds.
CONTROLS = ["input_transformers.ipynb", "lying_dunder.ipynb", "thread_rebinds.ipynb"]


def hostile(name: str, folder: Path = HOSTILE) -> bytes:
    """A hostile submission's bytes (the ``golden`` of this folder; no placeholders)."""
    return (folder / name).read_bytes()


def grade_unchanged(submission: bytes, source: bytes | None = None):
    """Grade (against the golden source) with the FAST limits; the inputs must come back untouched."""
    source = golden("source.ipynb") if source is None else source
    before = (hashlib.sha256(source).digest(), hashlib.sha256(submission).digest())
    copy = bytes(bytearray(submission))
    result = grade(source, submission, limits=FAST)
    assert (hashlib.sha256(source).digest(), hashlib.sha256(submission).digest()) == before
    assert submission == copy
    return result


def assert_scores_nothing(result) -> None:
    statuses = {cell.grade_id: cell.status for cell in result.cells}
    assert list(statuses) == ["test_mean", "test_word_count", "test_safe_div"]
    assert (result.score, result.max_score) == (0.0, 6.0), statuses
    assert all(cell.points == 0.0 for cell in result.cells)
    assert "passed" not in statuses.values()
    assert set(statuses.values()) <= NOT_PASSED, statuses
    text = json.dumps(result.to_dict(), ensure_ascii=False)
    for secret in SECRETS:
        assert secret not in text


def answer_cells(data: bytes) -> dict[str, str]:
    nb = nbformat.reads(data.decode(), as_version=4)
    return {
        cell.metadata["nbgrader"]["grade_id"]: cell.source
        for cell in nb.cells
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution")
    }


def test_every_trick_has_a_notebook():
    assert len(NAMES) >= 18
    assert "make_hostile.py" not in NAMES
    readme = (HOSTILE / "README.md").read_text(encoding="utf-8")
    for name in NAMES:
        assert f"`{name.removesuffix('.ipynb')}`" in readme, f"{name} is not described in README.md"


@pytest.mark.parametrize("name", NAMES)
def test_hostile_submission_scores_zero(name):
    submission = hostile(name)
    result = grade_unchanged(submission)
    assert_scores_nothing(result)
    assert (HOSTILE / name).read_bytes() == submission


@pytest.mark.parametrize("name", NAMES)
def test_only_the_trick_differs_from_wrong_answers(name):
    """Outside its trick blocks every answer is the wrong one, so any point would be the trick's."""
    answers = answer_cells(hostile(name))
    assert set(answers) == set(HONEST)
    tricks = 0
    for gid, source in answers.items():
        assert source.startswith(HONEST[gid]), gid
        rest = source[len(HONEST[gid]) :]
        if rest:
            match = TRICK_BLOCK.fullmatch(rest)
            assert match, f"{gid}: code outside the trick block"
            assert match.group(1) == name.removesuffix(".ipynb")
            assert match.group(2).strip() not in ("", "pass")
            tricks += 1
    assert tricks >= 1


def test_generated_notebooks_are_current(tmp_path):
    subprocess.run(  # noqa: S603 — our own generator
        [sys.executable, str(GENERATOR), "--out", str(tmp_path)], check=True
    )
    generated = sorted(path.name for path in tmp_path.iterdir())
    assert generated == FILES
    for name in FILES:
        assert (tmp_path / name).read_bytes() == hostile(name), f"{name} is stale: run {GENERATOR}"


@pytest.fixture(scope="module")
def honest_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("honest")
    subprocess.run(  # noqa: S603 — our own generator
        [sys.executable, str(GENERATOR), "--honest", str(out)], check=True
    )
    return out


def test_honest_control_set_is_the_wrong_answers_only(honest_dir):
    assert sorted(path.name for path in honest_dir.iterdir()) == NAMES
    for name in NAMES:
        for gid, source in answer_cells(hostile(name, honest_dir)).items():
            rest = source[len(HONEST[gid]) :]
            assert source.startswith(HONEST[gid]) and rest in ("", *_pass_blocks(name)), name


def _pass_blocks(name: str) -> list[str]:
    return [f"\n\n# >>> trick: {name.removesuffix('.ipynb')}\npass\n# <<< trick"]


@pytest.mark.parametrize("name", CONTROLS)
def test_honest_control_scores_zero(name, honest_dir):
    """Without the trick the same notebook also scores 0: the wrong answers alone earn nothing."""
    result = grade_unchanged(hostile(name, honest_dir))
    assert_scores_nothing(result)
    assert {cell.status for cell in result.cells} == {"failed"}


def test_map_source_gives_a_correct_submission_full_marks():
    """The map()-shaped tests are sound: the correct answers pass them."""
    result = grade_unchanged(golden("correct.ipynb"), hostile(MAP_SOURCE))
    assert (result.score, result.max_score) == (6.0, 6.0)


def test_stop_iteration_does_not_end_a_test_early():
    """A StopIteration raised by learner code must not reach the tests as a real StopIteration.

    Inside ``all(map(check, cases))`` it would end the iteration quietly: ``all([])`` is True, and
    that holds wherever the tests run, in the learner's kernel or in a judge process of their own.
    """
    result = grade_unchanged(hostile("stop_iteration.ipynb"), hostile(MAP_SOURCE))
    assert_scores_nothing(result)
