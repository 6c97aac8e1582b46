"""Mixed load on the PostgreSQL + Redis stack: 60 s at 32 concurrent users with locust.

    .venv/bin/python benchmarks/load.py [--users 32] [--duration 60] [--write]

Starts the stack of tests/stack.py (gunicorn with deploy/gunicorn.conf.py and the production
settings, one Celery worker, its own redis-server, a database cloned from the stack's world on
the machine's PostgreSQL at 127.0.0.1:5432), then runs benchmarks/locustfile.py headless:
anonymous visitors (catalogue, lessons), signed-in learners (lessons, quiz answers saved) and a
counsellor (caseload). Prints a Markdown table of requests, failures, req/s, p50 and p95 per page;
--write replaces the `load` section of docs/benchmarks.md. Exits non-zero on any failed request.
Every request goes to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from report import write_section  # noqa: E402

from tests.stack import HOST, LOAD_LEARNERS, PASSWORD, VENV_BIN, running_stack, sql  # noqa: E402


def _paths(stack) -> dict:
    rows = sql(
        stack.database_url,
        "SELECT p.id, p.url_path FROM wagtailcore_page p WHERE p.url_path LIKE %s ORDER BY p.path",
        "%/quiz-course/_%",  # the lessons, below the course page
    )
    lessons = ["/" + "/".join(url.strip("/").split("/")[1:]) + "/" for _id, url in rows]
    quiz = sql(stack.database_url, "SELECT id FROM assessments_assessment WHERE kind = 'quiz'")
    return {
        "catalogue": lessons[0].rsplit("/", 3)[0] + "/",
        "lessons": lessons,
        "quiz": f"/assessments/{quiz[0][0]}/in/{rows[0][0]}/",
    }


def run(users: int, duration: int) -> dict:
    load_before = os.getloadavg()
    with running_stack(web_workers=None) as stack, tempfile.TemporaryDirectory() as out:
        port = stack.web("web")
        stack.worker("worker")
        paths = _paths(stack)
        env = {
            **os.environ,
            "DASI_LOAD_HOST": HOST,
            "DASI_LOAD_PASSWORD": PASSWORD,
            "DASI_LOAD_CATALOGUE": paths["catalogue"],
            "DASI_LOAD_LESSONS": json.dumps(paths["lessons"]),
            "DASI_LOAD_QUIZ": paths["quiz"],
            "DASI_LOAD_LEARNERS": json.dumps([f"load-learner-{n}" for n in range(LOAD_LEARNERS)]),
            "DASI_LOAD_COUNSELLORS": json.dumps(["stack-counsellor"]),
        }
        cmd = [
            str(VENV_BIN / "locust"),
            "-f",
            str(ROOT / "benchmarks" / "locustfile.py"),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(users),
            "--run-time",
            f"{duration}s",
            "--host",
            f"http://127.0.0.1:{port}",
            "--csv",
            f"{out}/load",
            "--only-summary",
            "--loglevel",
            "WARNING",
        ]
        result = subprocess.run(
            cmd, env=env, capture_output=True, text=True, timeout=duration + 120
        )
        load_after = os.getloadavg()
        with open(f"{out}/load_stats.csv") as handle:
            rows = list(csv.DictReader(handle))
        failures_text = Path(f"{out}/load_failures.csv").read_text()
        web_errors = stack.processes["web"].output().count('" 500 ')
    return {
        "rows": rows,
        "failures": failures_text,
        "locust_exit": result.returncode,
        "load_before": load_before,
        "load_after": load_after,
        "users": users,
        "duration": duration,
        "web_500": web_errors,
    }


def _commit() -> str:
    return subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()


def report(figures: dict) -> str:
    rows = figures["rows"]
    total = next(r for r in rows if r["Name"] == "Aggregated")
    lines = [
        f"{figures['duration']} s of mixed traffic at {figures['users']} concurrent users (locust"
        f" {_locust_version()}, headless, `benchmarks/locustfile.py`): visitors 3 : learners 4 :"
        " counsellor 1, each waiting 0.5–1.5 s between tasks.",
        "",
        "| Machine | |",
        "|---|---|",
        f"| Date, commit | {dt.date.today().isoformat()}, `{_commit()}` |",
        f"| CPU | {os.cpu_count()} cores, {platform.machine()}, shared with other users |",
        "| Load average (1/5/15 min) before → after | "
        + " / ".join(f"{x:.2f}" for x in figures["load_before"])
        + " → "
        + " / ".join(f"{x:.2f}" for x in figures["load_after"])
        + " |",
        "| Server | gunicorn, lms.settings.production, `deploy/gunicorn.conf.py` defaults"
        " (5 gthread workers × 2 threads), one Celery worker |",
        "| Stack | PostgreSQL 127.0.0.1:5432, redis-server of its own (cache, broker) |",
        "",
        "| Page | Requests | Failures | req/s | p50 ms | p95 ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        name = "**all**" if row["Name"] == "Aggregated" else row["Name"]
        lines.append(
            f"| {name} ({row['Type']}) | {row['Request Count']} | {row['Failure Count']} |"
            f" {float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} |"
            if row["Name"] != "Aggregated"
            else f"| {name} | {row['Request Count']} | {row['Failure Count']} |"
            f" {float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} |"
        )
    lines += [
        "",
        f"Failed requests: {total['Failure Count']}; HTTP 500 in the server log:"
        f" {figures['web_500']}. Pages as of the commit above (the signed-in lesson page"
        " included); the sign-in is PBKDF2 by design. Latencies follow the machine's load"
        " average: compare only runs at a similar load.",
    ]
    return "\n".join(lines)


def _locust_version() -> str:
    out = subprocess.run(
        [str(VENV_BIN / "locust"), "--version"], capture_output=True, text=True
    ).stdout
    return out.split()[1] if out else "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    figures = run(args.users, args.duration)
    section = report(figures)
    print(section)
    if figures["failures"].count("\n") > 1:
        print(figures["failures"], file=sys.stderr)
    if args.write:
        write_section(name="load", heading="Load", command="make bench-load", body=section)
    total = next(r for r in figures["rows"] if r["Name"] == "Aggregated")
    if int(total["Failure Count"]) or figures["web_500"]:
        raise SystemExit("load: some requests failed")


if __name__ == "__main__":
    main()
