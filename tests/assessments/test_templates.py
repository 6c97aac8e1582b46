"""The shipped exercises: manifest consistency, own tests pass, learner versions score zero."""

from __future__ import annotations

import json
from functools import cache

import pytest

from assessments.grader import grade, learner_version, notebook_bytes, read_notebook
from assessments.grader.check import check_source
from assessments.grader.notebook import grade_id, is_test_cell
from lms.demo import content
from tests.assessments.conftest import TEMPLATES

MANIFEST = json.loads((TEMPLATES / "manifest.json").read_text(encoding="utf-8"))
EXERCISES = {e["slug"]: e for e in MANIFEST["exercises"]}


@cache
def template(slug: str) -> tuple[bytes, dict[str, bytes]]:
    """The source notebook and its data files, keyed as the notebook opens them."""
    folder = TEMPLATES / slug
    source = (folder / f"{slug}.ipynb").read_bytes()
    data = {name: (folder / name).read_bytes() for name in EXERCISES[slug]["data_files"]}
    return source, data


def test_there_are_at_least_six_exercises_and_each_folder_is_listed():
    folders = {p.name for p in TEMPLATES.iterdir() if p.is_dir() and not p.name.startswith(".")}
    assert len(EXERCISES) >= 6
    assert folders == set(EXERCISES)


@pytest.mark.parametrize("slug", sorted(EXERCISES))
def test_manifest_matches_the_notebook(slug):
    exercise = EXERCISES[slug]
    nb = read_notebook(template(slug)[0])
    test_ids = [grade_id(c) for c in nb.cells if is_test_cell(c)]
    assert list(exercise["grade_ids"]) == test_ids
    known = {skill["uri"] for skill in content.skills()}
    for skills in exercise["grade_ids"].values():
        assert skills, "every graded cell demonstrates at least one skill"
        for skill in skills:
            assert skill["uri"] in known
            assert 1 <= skill["level"] <= 5
    assert exercise["title"]["ko"] and exercise["title"]["en"]
    assert 10 <= exercise["minutes"] <= 120
    for name in exercise["data_files"]:
        assert (TEMPLATES / slug / name).is_file()
    intro = nb.cells[0].source
    assert any("\uac00" <= ch <= "\ud7a3" for ch in intro), "Korean instructions"
    assert "---" in intro, "Korean, then English"
    assert all(cell.get("outputs", []) == [] for cell in nb.cells if cell.cell_type == "code")


@pytest.mark.sandbox
@pytest.mark.usefixtures("sandbox")
@pytest.mark.parametrize("slug", sorted(EXERCISES))
def test_source_passes_its_own_tests(slug):
    source, data = template(slug)
    report = check_source(source, data_files=data)
    assert report.problems == []
    assert report.ran


@pytest.mark.sandbox
@pytest.mark.usefixtures("sandbox")
@pytest.mark.parametrize("slug", sorted(EXERCISES))
def test_learner_version_scores_zero(slug):
    source, data = template(slug)
    learner = notebook_bytes(learner_version(read_notebook(source)))
    assert b"BEGIN SOLUTION" not in learner
    assert b"HIDDEN TESTS" not in learner
    result = grade(source, learner, data_files=data)
    assert result.score == 0.0
    assert result.max_score > 0
    assert {cell.status for cell in result.cells} <= {"failed", "error"}
