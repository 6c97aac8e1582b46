"""Grading benchmark: Dasi's sandboxed grader against `nbgrader autograde`, and throughput.

    .venv/bin/python benchmarks/grader.py [--runs 5] [--submissions 100] [--nbgrader-python PATH]

For every template in notebooks_templates/ it grades the source notebook as a (correct) submission
`--runs` times with ``assessments.grader.grade`` (a fresh bubblewrap sandbox and kernel each time)
and, in the same run, with nbgrader's own ``NbGraderAPI.autograde`` in a throw-away course directory
(nbgrader installed only in a separate virtualenv, see docs/benchmarks-grader.md). Both are timed
in-process, warm, so interpreter start-up is not counted for either. Then it grades
`--submissions` submissions (learner versions and correct ones, alternating over the templates)
with a process pool of 1 and of 2 workers. Results go to docs/benchmarks-grader.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assessments.grader import grade, learner_version, notebook_bytes, read_notebook  # noqa: E402

TEMPLATES = REPO / "notebooks_templates"
OUT = REPO / "docs" / "benchmarks-grader.md"

NBGRADER_SCRIPT = r"""
import json, shutil, statistics, sys, time, logging
from pathlib import Path
from traitlets.config import Config
from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory

root, slug, source, data_dir = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), sys.argv[4]
runs = int(sys.argv[5])
(root / "source" / slug).mkdir(parents=True)
shutil.copy(source, root / "source" / slug / source.name)
sub = root / "submitted" / "s1" / slug
sub.mkdir(parents=True)
shutil.copy(source, sub / source.name)
if data_dir:
    shutil.copytree(data_dir, root / "source" / slug / "data")
    shutil.copytree(data_dir, sub / "data")
config = Config()
config.CourseDirectory.root = str(root)
config.CourseDirectory.course_id = "bench"
config.CourseDirectory.db_assignments = [{"name": slug}]
config.CourseDirectory.db_students = [{"id": "s1"}]
config.ExecutePreprocessor.timeout = 120
config.Application.log_level = logging.ERROR
api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
result = api.generate_assignment(slug, force=True)
assert result["success"], result["error"]
times = []
for _ in range(runs + 1):
    started = time.perf_counter()
    result = api.autograde(slug, "s1", force=True)
    times.append(time.perf_counter() - started)
    assert result["success"], result["error"]
print(json.dumps({"times": times[1:]}))
"""


def exercises() -> list[dict]:
    return json.loads((TEMPLATES / "manifest.json").read_text(encoding="utf-8"))["exercises"]


def load(exercise: dict) -> tuple[bytes, dict[str, bytes]]:
    folder = TEMPLATES / exercise["slug"]
    source = (folder / f"{exercise['slug']}.ipynb").read_bytes()
    return source, {name: (folder / name).read_bytes() for name in exercise["data_files"]}


def time_dasi(source: bytes, data: dict[str, bytes], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = grade(source, source, data_files=data)
        times.append(time.perf_counter() - started)
        assert result.score == result.max_score, result.to_dict()
    return times


def time_nbgrader(exercise: dict, python: str, runs: int) -> list[float]:
    folder = TEMPLATES / exercise["slug"]
    data_dir = str(folder / "data") if (folder / "data").is_dir() else ""
    with tempfile.TemporaryDirectory(prefix="nbgrader-bench-") as root:
        proc = subprocess.run(
            [
                python,
                "-c",
                NBGRADER_SCRIPT,
                str(Path(root) / "course"),
                exercise["slug"],
                str(folder / f"{exercise['slug']}.ipynb"),
                data_dir,
                str(runs),
            ],
            capture_output=True,
            text=True,
            check=True,
            # nbgrader runs its `alembic` from PATH.
            env={**os.environ, "PATH": f"{Path(python).parent}:{os.environ.get('PATH', '')}"},
        )
    return json.loads(proc.stdout.strip().splitlines()[-1])["times"]


def _grade_one(job: tuple[bytes, bytes, dict[str, bytes]]) -> float:
    source, submission, data = job
    return grade(source, submission, data_files=data).score


def throughput(jobs: list[tuple[bytes, bytes, dict[str, bytes]]], workers: int) -> float:
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(_grade_one, jobs))
    return time.perf_counter() - started


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB RAM, Linux {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--submissions", type=int, default=100)
    parser.add_argument("--nbgrader-python", default="/tmp/nbgrader-venv/bin/python")  # noqa: S108
    parser.add_argument("--output", default=str(OUT))
    args = parser.parse_args()

    rows = []
    for exercise in exercises():
        source, data = load(exercise)
        dasi = time_dasi(source, data, args.runs)
        nbg = time_nbgrader(exercise, args.nbgrader_python, args.runs)
        rows.append((exercise["slug"], statistics.median(dasi), statistics.median(nbg)))
        print(f"{exercise['slug']:<22} dasi {rows[-1][1]:.2f} s  nbgrader {rows[-1][2]:.2f} s")

    pool: list[tuple[bytes, bytes, dict[str, bytes]]] = []
    for exercise in exercises():
        source, data = load(exercise)
        learner = notebook_bytes(learner_version(read_notebook(source)))
        pool += [(source, source, data), (source, learner, data)]
    jobs = [pool[i % len(pool)] for i in range(args.submissions)]
    one = throughput(jobs, 1)
    two = throughput(jobs, 2)
    print(f"{args.submissions} submissions: 1 worker {one:.1f} s, 2 workers {two:.1f} s")

    lines = [
        "# Grader benchmark",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}, "
        f"with `benchmarks/grader.py --runs {args.runs} --submissions {args.submissions}`.",
        "",
        "## Wall time per submission (median of runs, correct submission)",
        "",
        "Dasi: `assessments.grader.grade()` — a fresh bubblewrap sandbox, kernel and runner per "
        "submission, all limits on. nbgrader 0.9.6: `NbGraderAPI.autograde` (in-process, its "
        "gradebook in SQLite), same notebooks and data, same package versions, in the same run.",
        "",
        "| Exercise | Dasi (s) | nbgrader autograde (s) | Dasi / nbgrader |",
        "|---|---:|---:|---:|",
    ]
    for slug, dasi, nbg in rows:
        lines.append(f"| `{slug}` | {dasi:.2f} | {nbg:.2f} | {dasi / nbg:.2f}× |")
    total_dasi = sum(r[1] for r in rows)
    total_nbg = sum(r[2] for r in rows)
    lines += [
        f"| **all six** | **{total_dasi:.2f}** | **{total_nbg:.2f}** | "
        f"**{total_dasi / total_nbg:.2f}×** |",
        "",
        f"## Throughput: {args.submissions} submissions",
        "",
        "Learner versions and correct submissions of the six exercises in turn, graded by a "
        "process pool calling `grade()`; each submission gets its own sandbox.",
        "",
        "| Workers | Total (s) | Submissions / minute | Speed-up |",
        "|---:|---:|---:|---:|",
        f"| 1 | {one:.1f} | {args.submissions / one * 60:.0f} | 1.00× |",
        f"| 2 | {two:.1f} | {args.submissions / two * 60:.0f} | {one / two:.2f}× |",
        "",
    ]
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
