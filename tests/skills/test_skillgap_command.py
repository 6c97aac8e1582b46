"""`manage.py skillgap --profile PROFILE.json [--centre SLUG] [--top N] --json`."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import CommandError, call_command

import pytest

from .conftest import CLEANSING, DATA_ANALYSIS, PYTHON, SQL, STATISTICS, VISUAL, course_with

pytestmark = pytest.mark.django_db


def run(tmp_path, profile, *args) -> dict:
    path = tmp_path / "profile.json"
    path.write_text(profile if isinstance(profile, str) else json.dumps(profile))
    out = StringIO()
    call_command("skillgap", "--profile", str(path), "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_roles_are_ranked_with_every_gap_largest_first(taxonomy, tmp_path):
    result = run(tmp_path, {"skills": [{"skill": SQL, "level": 3}]})
    roles = result["roles"]
    assert len(roles) == 13
    readiness = [r["readiness"] for r in roles]
    assert readiness == sorted(readiness, reverse=True)
    analyst = next(r for r in roles if r["role"] == "data-analyst")
    # Σ w·req of data-analyst = 21.9; SQL (3 × 1.0) is met → readiness 1 − 18.9/21.9
    assert analyst["readiness"] == pytest.approx(1 - 18.9 / 21.9, abs=1e-4)
    assert SQL not in {g["skill"] for g in analyst["gaps"]}
    assert len(analyst["gaps"]) == 10
    weighted = [g["weight"] * (g["required"] - g["current"]) for g in analyst["gaps"]]
    assert weighted == sorted(weighted, reverse=True)
    assert set(analyst["gaps"][0]) == {"skill", "label", "required", "current", "weight"}
    assert analyst["path"] == [] and result["unmatched"] == []


def test_every_printed_skill_is_accepted_back_as_input(taxonomy, tmp_path):
    first = run(tmp_path, {"skills": []}, "--top", "13")
    printed = {g["skill"] for r in first["roles"] for g in r["gaps"]}
    back = run(tmp_path, {"skills": [{"skill": s, "level": 5} for s in sorted(printed)]})
    assert all(r["readiness"] == 1.0 and r["gaps"] == [] for r in back["roles"])


def test_labels_text_and_top(taxonomy, tmp_path):
    result = run(
        tmp_path,
        {"skills": [{"skill": "sql", "level": 2}], "text": "Python3; statistics; knitting"},
        "--top",
        "2",
    )
    assert len(result["roles"]) == 2
    assert [u["phrase"] for u in result["unmatched"]] == ["knitting"]
    assert result["unmatched"][0]["suggestions"]
    everything = run(tmp_path, {"skills": [{"skill": "sql", "level": 2}], "text": "Python3"})
    analyst = next(r for r in everything["roles"] if r["role"] == "data-analyst")
    gaps = {g["skill"]: g for g in analyst["gaps"]}
    assert gaps[SQL]["current"] == 2
    assert PYTHON not in gaps  # text gives level 2, which is what the role asks


def test_the_path_uses_the_centres_catalogue_in_prerequisite_order(taxonomy, tmp_path, centre_a):
    basics = course_with(centre_a, "python-basics", hours=10, outcomes={PYTHON: 2})
    analysis = course_with(
        centre_a,
        "data-analysis-course",
        hours=12,
        outcomes={DATA_ANALYSIS: 3, CLEANSING: 3, VISUAL: 3, STATISTICS: 2},
        prerequisites=[basics],
    )
    result = run(tmp_path, {"skills": [{"skill": PYTHON, "level": 2}]}, "--centre", "dongtan")
    analyst = next(r for r in result["roles"] if r["role"] == "data-analyst")
    assert [s["course"] for s in analyst["path"]] == [analysis.slug]  # Python is already met
    result = run(tmp_path, {}, "--centre", "dongtan")
    analyst = next(r for r in result["roles"] if r["role"] == "data-analyst")
    steps = analyst["path"]
    assert [s["course"] for s in steps] == ["python-basics", "data-analysis-course"]
    assert {c["skill"] for c in steps[1]["closes"]} == {
        DATA_ANALYSIS,
        CLEANSING,
        VISUAL,
        STATISTICS,
    }
    assert steps[0]["hours"] == 10


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        ("{not json", "not valid JSON"),
        ('["a"]', "must be a JSON object"),
        ({"skills": [], "goal": "x"}, "unknown field"),
        ({"skills": [{"skill": SQL, "level": 6}]}, "integer from 0 to 5"),
        ({"skills": [{"skill": SQL, "level": -1}]}, "integer from 0 to 5"),
        ({"skills": [{"skill": SQL, "level": True}]}, "integer from 0 to 5"),
        ({"skills": [{"skill": SQL, "level": "3"}]}, "integer from 0 to 5"),
        ({"skills": [{"skill": SQL, "level": 1, "years": 3}]}, "unknown field"),
        ({"skills": [{"skill": "underwater basket weaving", "level": 1}]}, "unknown skill"),
        ({"skills": [{"skill": SQL, "level": 1}, {"skill": "SQL", "level": 2}]}, "listed twice"),
        ({"skills": {"sql": 1}}, "must be a list"),
        ({"text": 5}, "must be a string"),
    ],
)
def test_bad_input_fails_with_one_clear_line(taxonomy, tmp_path, profile, message):
    with pytest.raises(CommandError, match=message) as info:
        run(tmp_path, profile)
    assert "\n" not in str(info.value)


def test_unknown_centre_top_and_missing_file(taxonomy, tmp_path):
    with pytest.raises(CommandError, match="unknown centre"):
        run(tmp_path, {}, "--centre", "nowhere")
    with pytest.raises(CommandError, match="at least 1"):
        run(tmp_path, {}, "--top", "0")
    with pytest.raises(CommandError, match="cannot read"):
        call_command("skillgap", "--profile", str(tmp_path / "missing.json"), "--json")


def test_a_users_mistake_exits_1_with_one_line_and_no_traceback(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    bad = tmp_path / "profile.json"
    bad.write_text('{"skills": [{"skill": "SQL", "level": 9}]}')
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(  # noqa: S603 — fixed arguments
        [sys.executable, "manage.py", "skillgap", "--profile", str(bad), "--json"],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings.test"},
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "integer from 0 to 5" in lines[0]
    assert "Traceback" not in result.stderr
