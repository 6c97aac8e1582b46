"""Faults survived, with figures: the scenarios of tests/faults/scenarios.py on real processes.

    .venv/bin/python benchmarks/faults.py [--only worker,redis,postgresql,hub] [--write]

1. worker: the only grading worker SIGKILLed (master, pool child, sandboxes) while it grades a
   slow notebook; a new worker starts; the broker hands it the unacknowledged message after
   the visibility timeout (8 s here, 900 s by default in production).
2. redis: Redis (no persistence) restarted during a bulk issue of 40 certificates on two
   workers; the queued messages are lost and `certificates.batches_resume` queues the rest.
3. postgresql: a PostgreSQL cluster of the benchmark's own stopped (fast shutdown) for 2 s and
   started again while two signed-in learners load their pages on one gunicorn instance.
4. hub: the notebook hub configured but hung (accepts, never answers): course pages as usual.

Prints a Markdown section; --write replaces the `faults` section of docs/benchmarks.md. Exits
non-zero when a fault was not survived. Every connection stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from report import write_section  # noqa: E402

from tests.faults import scenarios  # noqa: E402
from tests.stack import COHORT  # noqa: E402


def _loads() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def worker(figures: dict) -> tuple[list[str], bool]:
    ok = (
        figures["gradings"] == [("done", 6.0)]
        and figures["deliveries"] == 2
        and figures["certificates"] == 1
    )
    return [
        "**Grading worker SIGKILLed mid-grade** (one worker, concurrency 1, visibility timeout"
        f" {figures['visibility_timeout_s']} s)",
        "",
        "| Figure | Value |",
        "|---|---|",
        f"| Grading at the kill | {figures['at_kill'][0][0]} |",
        f"| New worker ready after the kill | {figures['restart_s']:.1f} s |",
        f"| Deliveries of the task (killed worker, new worker) | {figures['deliveries']} |",
        f"| Graded after the kill | {figures['graded_after_kill_s']:.1f} s |",
        f"| Grading results recorded | {len(figures['gradings'])} ({figures['gradings'][0][0]},"
        f" score {figures['gradings'][0][1]:g}) |",
        f"| Certificates issued | {figures['certificates']} |",
    ], ok


def redis(figures: dict) -> tuple[list[str], bool]:
    ok = figures["issued"] == figures["learners"] == COHORT and figures["most_per_learner"] == 1
    return [
        f"**Redis restarted during a bulk issue of {figures['cohort']} certificates** (two"
        " workers, Redis without persistence: the worst case)",
        "",
        "| Figure | Value |",
        "|---|---|",
        f"| Issued when Redis stopped | {figures['issued_at_stop']} |",
        f"| Messages still queued, lost with it | {figures['queued_at_stop']} |",
        f"| Redis down | {figures['redis_down_s']:.1f} s |",
        f"| Issued before the resume task | {figures['issued_before_resume']} |",
        f"| Issued in the end | {figures['issued']} of {figures['cohort']}, to"
        f" {figures['learners']} learners, at most {figures['most_per_learner']} each;"
        f" {figures['distinct_status_indexes']} distinct status-list indexes |",
        f"| Batch errors | {len(figures['batch_errors'])} |",
        f"| Whole run | {figures['total_s']:.1f} s |",
    ], ok


def postgresql(figures: dict) -> tuple[list[str], bool]:
    ok = (
        not figures["web_restarted"]
        and figures["failed_before_stop"] == 0
        and figures["failed_after_recovery"] == 0
    )
    return [
        "**PostgreSQL restarted under page load** (one gunicorn instance, 2 workers; two"
        " signed-in learners loading the dashboard and their grades without pause)",
        "",
        "| Figure | Value |",
        "|---|---|",
        f"| Requests | {figures['requests']} |",
        f"| Failed | {figures['failed']} (HTTP {', '.join(map(str, figures['failed_statuses']))})"
        f"; {figures['failed_before_stop']} before the stop,"
        f" {figures['failed_after_recovery']} after the first page served again |",
        f"| Database down (from the stop command to the end of the start) |"
        f" {figures['down_s']:.1f} s |",
        f"| Requests failing (first failed request sent to last failed answer) |"
        f" {figures['failing_s']:.1f} s |",
        f"| First page served after the start | {figures['recovery_s']:.2f} s |",
        f"| Dasi restarted | {'yes' if figures['web_restarted'] else 'no'} |",
    ], ok


def hub(figures: dict) -> tuple[list[str], bool]:
    pages = figures["pages"]
    ok = all(status == 200 for status, _s in pages.values()) and figures["hub_connections"] == 0
    lines = [
        "**Notebook hub down** (configured, accepting connections and never answering; hub"
        " timeout 2 s)",
        "",
        "| Page | Status | Time |",
        "|---|---|---|",
    ]
    lines += [f"| {name} | {status} | {s * 1000:.0f} ms |" for name, (status, s) in pages.items()]
    lines += [
        "",
        f"Connections to the hub while these pages were served: {figures['hub_connections']}.",
    ]
    return lines, ok


RUNS = {
    "worker": (scenarios.worker_killed_mid_grade, worker),
    "redis": (scenarios.redis_restarted_during_bulk_issue, redis),
    "postgresql": (scenarios.postgresql_restarted_under_load, postgresql),
    "hub": (scenarios.hub_down, hub),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(RUNS))
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    lines = [
        f"{dt.date.today().isoformat()} · commit `{commit}` · {os.cpu_count()} cores"
        f" ({platform.machine()}, shared) · load average at the start {_loads()}",
        "",
        "Stack: gunicorn (`deploy/gunicorn.conf.py`, lms.settings.production), Celery workers,"
        " a redis-server of its own, PostgreSQL (the machine's; a cluster of its own for the"
        " restart); grading in the bubblewrap sandbox.",
        "",
    ]
    failed = []
    for name in args.only.split(","):
        run, describe = RUNS[name]
        section, ok = describe(run())
        lines += [*section, ""]
        if not ok:
            failed.append(name)
    lines.append(f"Load average at the end: {_loads()}.")
    text = "\n".join(lines)
    print(text)
    if args.write:
        write_section(name="faults", heading="Faults", command="make bench-faults", body=text)
    if failed:
        raise SystemExit(f"faults not survived: {', '.join(failed)}")


if __name__ == "__main__":
    main()
