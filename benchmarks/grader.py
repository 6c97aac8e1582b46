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
from assessments.grader.sandbox import discard_spares, start_zygotes, wait_for_spare  # noqa: E402

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


MODES = {
    "fresh": {"DASI_GRADER_ZYGOTE": "0", "DASI_GRADER_WARM": "0"},
    "cold": {"DASI_GRADER_ZYGOTE": "1", "DASI_GRADER_WARM": "0"},
    "warm": {"DASI_GRADER_ZYGOTE": "1", "DASI_GRADER_WARM": "1"},
}
"""fresh: both sandboxes start inside the call. cold: the worker's zygotes are up, the job's
children are forked inside the call. warm: an idle worker forked them before the job arrived."""


def _set_mode(mode: str) -> None:
    os.environ.update(MODES[mode])
    if mode != "fresh":
        start_zygotes()


def time_dasi(source: bytes, data: dict[str, bytes], runs: int, *, mode: str) -> list[float]:
    _set_mode(mode)
    times = []
    for _ in range(runs):
        if mode == "warm":
            assert wait_for_spare(), "the warm spare did not start"
        started = time.perf_counter()
        result = grade(source, source, data_files=data)
        times.append(time.perf_counter() - started)
        assert result.score == result.max_score, result.to_dict()
    discard_spares()
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


def _worker_init(mode: str) -> None:
    _set_mode(mode)  # a worker starts its zygotes when it starts, as a Celery worker would


def throughput(jobs: list[tuple[bytes, bytes, dict[str, bytes]]], workers: int, mode: str) -> float:
    with ProcessPoolExecutor(
        max_workers=workers, initializer=_worker_init, initargs=(mode,)
    ) as pool:
        list(pool.map(_worker_ready, range(workers)))
        started = time.perf_counter()
        list(pool.map(_grade_one, jobs))
        return time.perf_counter() - started


def _worker_ready(_index: int) -> bool:
    time.sleep(0.5)  # every worker has run its initializer before the clock starts
    return True


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


def _load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--submissions", type=int, default=100)
    parser.add_argument("--nbgrader-python", default="/tmp/nbgrader-venv/bin/python")  # noqa: S108
    parser.add_argument("--output", default=str(OUT))
    args = parser.parse_args()

    load_at_start = _load()
    rows = []
    for exercise in exercises():
        source, data = load(exercise)
        times = {
            mode: statistics.median(time_dasi(source, data, args.runs, mode=mode)) for mode in MODES
        }
        nbg = statistics.median(time_nbgrader(exercise, args.nbgrader_python, args.runs))
        rows.append((exercise["slug"], times["fresh"], times["cold"], times["warm"], nbg))
        print(
            f"{exercise['slug']:<22} fresh {times['fresh']:.2f} s  cold {times['cold']:.2f} s  "
            f"warm {times['warm']:.2f} s  nbgrader {nbg:.2f} s"
        )

    pool: list[tuple[bytes, bytes, dict[str, bytes]]] = []
    for exercise in exercises():
        source, data = load(exercise)
        learner = notebook_bytes(learner_version(read_notebook(source)))
        pool += [(source, source, data), (source, learner, data)]
    jobs = [pool[i % len(pool)] for i in range(args.submissions)]
    rates = {}
    for mode in MODES:
        for workers in (1, 2):
            rates[mode, workers] = throughput(jobs, workers, mode)
            print(
                f"{args.submissions} submissions, {workers} worker(s), {mode}: "
                f"{rates[mode, workers]:.1f} s"
            )

    lines = [
        "# Grader benchmark",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}, "
        f"with `benchmarks/grader.py --runs {args.runs} --submissions {args.submissions}`. "
        f"Load average (1, 5, 15 min) at the start: {load_at_start}; at the end: "
        f"{_load()}.",
        "",
        "## Wall time per submission (median of runs, correct submission)",
        "",
        "- **Dasi fresh**: `assessments.grader.grade()` starting both bubblewrap sandboxes "
        "(learner and judge, see docs/grader.md) inside the measured call, without zygotes "
        "(`DASI_GRADER_ZYGOTE=0`); each imports only what the notebook's cells import; all limits "
        "on. This is what the first submission of a freshly started worker pays.",
        "- **Dasi cold**: a worker whose zygotes are running but which has no spare ready "
        "(`DASI_GRADER_WARM=0`): the learner and judge children are forked from the pre-imported "
        "zygotes inside the measured call.",
        "- **Dasi warm**: an idle worker that forked the next pair after the previous submission. "
        "Each pair still serves exactly one submission. This is the latency a learner sees "
        "whenever the grading queue is not saturated.",
        "- **nbgrader**: nbgrader 0.9.6 `NbGraderAPI.autograde` in a warm Python process (its "
        "gradebook in SQLite, a fresh kernel per call, no sandbox), same notebooks, data and "
        "package versions, in the same run; installed only in a throw-away virtualenv.",
        "",
        "| Exercise | fresh (s) | cold (s) | warm (s) | nbgrader (s) | fresh / nbgrader "
        "| cold / nbgrader | warm / nbgrader |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for slug, fresh, cold, warm, nbg in rows:
        lines.append(
            f"| `{slug}` | {fresh:.2f} | {cold:.2f} | {warm:.2f} | {nbg:.2f} "
            f"| {fresh / nbg:.2f}× | {cold / nbg:.2f}× | {warm / nbg:.2f}× |"
        )
    total = [sum(r[i] for r in rows) for i in (1, 2, 3, 4)]
    lines += [
        f"| **all six** | **{total[0]:.2f}** | **{total[1]:.2f}** | **{total[2]:.2f}** "
        f"| **{total[3]:.2f}** | **{total[0] / total[3]:.2f}×** "
        f"| **{total[1] / total[3]:.2f}×** | **{total[2] / total[3]:.2f}×** |",
        "",
        f"## Throughput: {args.submissions} submissions back to back",
        "",
        "Learner versions and correct submissions of the six exercises in turn, graded by a "
        "process pool calling `grade()`; each submission gets its own pair of sandboxes. Back to back, a "
        "warm spare has no idle time to hide its start-up in.",
        "",
        "| Start | Workers | Total (s) | Submissions / minute | Speed-up |",
        "|---|---:|---:|---:|---:|",
    ]
    for mode in MODES:
        base = rates[mode, 1]
        for workers in (1, 2):
            took = rates[mode, workers]
            lines.append(
                f"| {mode} | {workers} | {took:.1f} "
                f"| {args.submissions / took * 60:.0f} | {base / took:.2f}× |"
            )
    lines.append("")
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
