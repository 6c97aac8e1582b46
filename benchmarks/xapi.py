"""xAPI delivery benchmark against a real LRS (Ralph, file-system backend):

1. latency: learners enrol one after another (the real service: the statement is written to
   the outbox in the enrolment's transaction) while one Celery worker runs; each statement's
   delay from the event to the store's acknowledgement (sent_at - created_at);
2. drain: 10,000 statements queued while no worker runs, then one worker (one process)
   started; the time from the first delivery task until all are stored.

    .venv/bin/python benchmarks/xapi.py [--events 60] [--queued 10000]
        [--database-url postgres://postgres@127.0.0.1:5432/dasi_bench_xapi]
        [--broker-url redis://127.0.0.1:6379/12] [--port 18420] [--write]

The database named by --database-url (its name must contain "bench") is dropped and created
again, and the Redis database of --broker-url is emptied (the production broker; the
filesystem transport of `make demo` polls once a second). Nothing here asserts on timings; --write replaces the `xapi` section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from report import machine, write_section

ROOT = Path(__file__).resolve().parent.parent


def _prepare(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    if "bench" not in name:
        sys.exit("benchmarks/xapi.py: the database name must contain 'bench'")
    base = url.rsplit("/", 1)[0]
    for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        subprocess.run(["psql", f"{base}/postgres", "-qc", sql], check=True)


def _worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "lms", "worker", "--concurrency", "1",
         "--loglevel", "WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _ready(process: subprocess.Popen) -> None:
    """Wait until the worker answers a ping (its start is not part of any measure)."""
    from lms.celery import app

    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and process.poll() is None:
        if app.control.ping(timeout=1):
            return
    sys.exit("benchmarks/xapi.py: the worker did not start")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def _child(args) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from hub_sites.services import centre_create
    from lms.accounts.models import Membership, Role, User
    from lms.learning.services import enrolment_create
    from lms.xapi import statements as xs
    from lms.xapi.models import OutboxStatement
    from lms.xapi.services import lrs_endpoint_save
    from tests.factories import make_course
    from tests.xapi.conftest import PASSWORD, USERNAME, Ralph

    call_command("migrate", verbosity=0)
    centre = centre_create(
        slug="bench", hostname="bench.localhost", name_ko="벤치 센터", name_en="Bench Centre",
        certificate_issuer_name="벤치 센터",
    )  # fmt: skip
    course = make_course(centre, "xapi-bench", lessons=1, skills=1)
    users = User.objects.bulk_create(
        User(username=f"learner{n:05d}", name=f"김다시{n:05d}", email=f"l{n}@example.org")
        for n in range(args.events)
    )
    Membership.objects.bulk_create(
        Membership(user=u, centre=centre, role=Role.LEARNER) for u in users
    )
    ralph = Ralph(Path(tempfile.mkdtemp(prefix="dasi-bench-ralph-")), args.port)
    ralph.start()
    lrs_endpoint_save(centre=centre, url=ralph.url, username=USERNAME, password=PASSWORD)
    env = {**os.environ}
    worker = _worker(env)
    try:
        _ready(worker)
        for user in users:
            enrolment_create(user=user, course=course, centre=centre)
            time.sleep(0.2)
        deadline = time.monotonic() + 120
        while (
            time.monotonic() < deadline
            and OutboxStatement.objects.filter(status="pending").exists()
        ):
            time.sleep(0.2)
        delays = sorted(
            (s.sent_at - s.created_at).total_seconds()
            for s in OutboxStatement.objects.filter(status="sent")
        )
        print("LATENCY", len(delays), f"{delays[len(delays) // 2]:.2f}",
              f"{delays[int(0.95 * (len(delays) - 1))]:.2f}", f"{delays[-1]:.2f}")  # fmt: skip
        _stop(worker)
        now = timezone.now()
        actor = xs.Actor(home_page=centre.site.root_url + "/", name="bench")
        activity = xs.Activity(iri=f"{centre.site.root_url}/xapi/activities/course/{course.pk}",
                               kind="course", name=course.title, language="ko")  # fmt: skip
        rows = []
        for n in range(args.queued):
            body = xs.statement(
                identity=f"bench:{n}", verb="experienced", actor=actor, activity=activity,
                when=now, platform="Dasi", language="ko",
            )  # fmt: skip
            rows.append(
                OutboxStatement(
                    id=body["id"],
                    centre=centre,
                    verb=body["verb"]["id"],
                    body=body,
                    next_attempt_at=now,
                )  # fmt: skip
            )
        OutboxStatement.objects.bulk_create(rows, batch_size=1000)
        worker = _worker(env)
        _ready(worker)
        from lms.xapi.tasks import deliver

        start = time.monotonic()
        deliver.delay()
        deadline = start + 600
        queued = OutboxStatement.objects.filter(status="pending", pk__in=[r.pk for r in rows])
        while time.monotonic() < deadline and queued.exists():
            time.sleep(0.2)
        elapsed = time.monotonic() - start
        stored = len({s["id"] for s in ralph.stored_lines()})
        print("DRAIN", args.queued, args.queued - queued.count(), f"{elapsed:.1f}", stored)
    finally:
        _stop(worker)
        ralph.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=60)
    parser.add_argument("--queued", type=int, default=10_000)
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/dasi_bench_xapi"
    )
    parser.add_argument("--broker-url", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--port", type=int, default=18420)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return _child(args)
    _prepare(args.database_url)
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "DJANGO_DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
        "CELERY_BROKER_URL": args.broker_url,
    }
    subprocess.run(
        ["redis-cli", "-u", args.broker_url, "FLUSHDB"], check=False, capture_output=True
    )
    done = subprocess.run(
        [sys.executable, __file__, "--child", "--events", str(args.events),
         "--queued", str(args.queued), "--port", str(args.port)],
        env=env, capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip
    lines = {x.split()[0]: x.split()[1:] for x in done.stdout.splitlines() if x[:5].isupper()}
    if "LATENCY" not in lines or "DRAIN" not in lines:
        sys.exit(f"benchmarks/xapi.py: the run failed:\n{done.stdout[-2000:]}{done.stderr[-3000:]}")
    count, p50, p95, worst = lines["LATENCY"]
    queued, sent, seconds, stored = lines["DRAIN"]
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    body = (
        f"Run {dt.date.today()} at commit {commit} on {machine('PostgreSQL, Redis broker, Ralph 5.1.0 (file-system backend)')}.\n\n"
        "| measure | result | target |\n|---|---|---|\n"
        f"| event → statement stored in the LRS, one worker, {count} enrolments 0.2 s apart | p50 {p50} s, p95 {p95} s, max {worst} s | p95 ≤ 5 s |\n"
        f"| {int(queued):,} queued statements drained by one worker (one process) | {sent} sent in {seconds} s; {stored} distinct ids stored | ≤ 60 s |"
    )
    print(body)
    if args.write:
        write_section(
            name="xapi", heading="xAPI statements to a Learning Record Store",
            command=".venv/bin/python benchmarks/xapi.py --write", body=body,
        )  # fmt: skip


if __name__ == "__main__":
    main()
