"""The grader's management commands: JSON shape, exit codes and one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from django.core.management import CommandError, call_command

import pytest

from tests.assessments.conftest import GOLDEN, REPO


def run_manage(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings.test"}
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.sandbox
@pytest.mark.usefixtures("sandbox")
def test_grade_notebook_prints_the_documented_json(capsys):
    call_command(
        "grade_notebook",
        str(GOLDEN / "source.ipynb"),
        str(GOLDEN / "partly_correct.ipynb"),
        "--json",
    )
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"score", "max_score", "cells", "duration_s", "limits_hit"}
    assert (result["score"], result["max_score"]) == (3.0, 6.0)
    assert [set(c) for c in result["cells"]] == [
        {"grade_id", "points", "max_points", "status", "feedback"}
    ] * 3
    assert [c["status"] for c in result["cells"]] == ["passed", "failed", "passed"]


@pytest.mark.parametrize(
    ("source", "submission", "words"),
    [
        ("source.ipynb", "not_json.ipynb", "submission is not JSON"),
        ("source.ipynb", "not_utf8.ipynb", "submission is not UTF-8"),
        ("source.ipynb", "not_a_notebook.ipynb", "not a Jupyter notebook"),
        ("source.ipynb", "nbformat3.ipynb", "only nbformat 4"),
        ("source_without_metadata.ipynb", "correct.ipynb", "no autograder test cells"),
        ("source.ipynb", "missing.ipynb", "no such file"),
    ],
)
def test_grade_notebook_bad_input_is_one_line_without_traceback(source, submission, words):
    proc = run_manage("grade_notebook", str(GOLDEN / source), str(GOLDEN / submission), "--json")
    assert proc.returncode != 0
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert words in lines[0]
    assert "Traceback" not in proc.stderr


def test_grade_notebook_refuses_files_over_the_size_limit(tmp_path):
    big = tmp_path / "big.ipynb"
    big.write_bytes(b" " * (6 * 1024 * 1024))
    with pytest.raises(CommandError, match="the limit is"):
        call_command("grade_notebook", str(GOLDEN / "source.ipynb"), str(big), "--json")


def test_learner_notebook_writes_the_learner_version(tmp_path):
    out = tmp_path / "learner.ipynb"
    call_command("learner_notebook", str(GOLDEN / "source.ipynb"), "-o", str(out))
    text = out.read_text(encoding="utf-8")
    assert "NotImplementedError" in text
    assert "BEGIN SOLUTION" not in text
    assert "hidden-mean-check" not in text


def test_check_notebook_without_running_reports_the_tests(capsys):
    call_command("check_notebook", str(GOLDEN / "source.ipynb"), "--no-run", "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True
    assert report["max_score"] == 6.0
    assert [t["grade_id"] for t in report["tests"]] == [
        "test_mean",
        "test_word_count",
        "test_safe_div",
    ]


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("source_duplicate_grade_id.ipynb", "used twice"),
        ("source_negative_points.ipynb", "negative"),
        ("source_test_without_tests.ipynb", "contains no tests"),
        ("source_without_metadata.ipynb", "no autograder test cells"),
    ],
)
def test_check_notebook_rejects_bad_metadata(name, words):
    with pytest.raises(CommandError, match=words):
        call_command("check_notebook", str(GOLDEN / name), "--no-run")


@pytest.mark.sandbox
@pytest.mark.usefixtures("sandbox")
def test_check_notebook_runs_the_source_against_its_own_tests():
    proc = run_manage("check_notebook", str(GOLDEN / "source_fails_own_tests.ipynb"))
    assert proc.returncode != 0
    assert "fails its own test 'test_mean'" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_job_entry_point_reports_bad_input_in_one_line():
    proc = subprocess.run(  # noqa: S603 - our own module
        [
            sys.executable,
            "-m",
            "assessments.grader.job",
            str(GOLDEN / "source.ipynb"),
            str(GOLDEN / "not_json.ipynb"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip() == "error: submission is not JSON (line 1, column 1)"
