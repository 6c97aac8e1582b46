"""Certificate benchmark: render + sign one certificate, and a bulk issue of 1,000 with a
real Celery worker of concurrency 2 (`celery -A lms worker --concurrency 2`: two prefork
worker processes, each rendering and signing in turn).

    .venv/bin/python benchmarks/certificates.py [--single 30] [--bulk 1000]
        [--database-url postgres://postgres@127.0.0.1:5432/dasi_bench_certificates]
        [--broker-url redis://127.0.0.1:6379/14] [--write]

The bulk run needs a database that takes concurrent writers, so it uses PostgreSQL (the
database named by --database-url, whose name must contain "bench": it is dropped and created
again) and a Celery broker (Redis by default). The single render also reports the CPU time
of the process, which a loaded machine disturbs less than the wall clock. Nothing here asserts
on timings; --write replaces the `certificates` section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
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
        sys.exit("benchmarks/certificates.py: the database name must contain 'bench'")
    base = url.rsplit("/", 1)[0]
    for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        subprocess.run(["psql", f"{base}/postgres", "-qc", sql], check=True)


def _child_build(args) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from hub_sites.services import centre_create
    from lms.accounts.models import Membership, Role, User
    from lms.certificates.render import _fonts
    from lms.certificates.services import certificate_issue
    from lms.learning.models import Enrolment
    from tests.factories import make_course

    call_command("migrate", verbosity=0)
    centre = centre_create(
        slug="bench",
        hostname="bench.localhost",
        name_ko="벤치 디지털 전환 센터",
        name_en="Bench Digital Transition Centre",
        certificate_issuer_name="벤치 센터",
    )
    course = make_course(centre, "certificate-bench", lessons=2, skills=6)
    users = User.objects.bulk_create(
        User(
            username=f"learner{n:05d}",
            name=f"김다시{n:05d}",
            email=f"l{n}@example.org",
            preferred_language="ko" if n % 3 else "en",
        )
        for n in range(args.single + args.bulk)
    )
    Membership.objects.bulk_create(
        Membership(user=u, centre=centre, role=Role.LEARNER) for u in users
    )
    Enrolment.objects.bulk_create(
        Enrolment(user=u, course=course, centre=centre, status="completed") for u in users
    )
    _fonts()  # warm, as a running worker is
    times, cpu = [], []
    for user in users[: args.single]:
        start, start_cpu = time.perf_counter(), time.process_time()
        certificate_issue(learner=user, course=course, centre=centre)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    times.sort()
    print(
        "SINGLE",
        f"{statistics.median(times):.1f}",
        f"{times[int(0.95 * (len(times) - 1))]:.1f}",
        f"{statistics.median(cpu):.1f}",
    )


def _child_dispatch(args) -> None:
    import django

    django.setup()
    from courses.models import CoursePage
    from hub_sites.models import Centre
    from lms.accounts.models import User
    from lms.certificates.models import Certificate, CertificateBatch
    from lms.certificates.tasks import issue_in_batch

    course = CoursePage.objects.get(slug="certificate-bench", locale__language_code="ko")
    centre = Centre.objects.get(slug="bench")
    ids = list(
        User.objects.filter(username__startswith="learner")
        .order_by("pk")
        .values_list("pk", flat=True)
    )[args.single :]
    batch = CertificateBatch.objects.create(centre=centre, course=course, learner_ids=ids)
    start = time.perf_counter()
    for learner_id in ids:
        issue_in_batch.apply_async((batch.pk, learner_id), queue="bench")
    deadline = time.monotonic() + 900
    done = 0
    while time.monotonic() < deadline:
        done = Certificate.objects.filter(user_id__in=ids).count()
        batch.refresh_from_db()
        if done + len(batch.errors) >= len(ids):
            break
        time.sleep(0.5)
    print("BULK", len(ids), done, len(batch.errors), f"{time.perf_counter() - start:.1f}")


def _harfbuzz() -> str:
    version = subprocess.run(
        ["dpkg-query", "-W", "-f=${Version}", "libharfbuzz-subset0"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return f"libharfbuzz-subset0 {version or 'missing'}"


def _commit() -> str:
    return subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    ).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--single", type=int, default=30)
    parser.add_argument("--bulk", type=int, default=1000)
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/dasi_bench_certificates"
    )
    parser.add_argument("--broker-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--child", choices=["build", "dispatch"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "build":
        return _child_build(args)
    if args.child == "dispatch":
        return _child_dispatch(args)
    _prepare(args.database_url)
    private = Path(tempfile.mkdtemp(prefix="dasi-bench-certificates-"))
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "DJANGO_DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
        "CELERY_BROKER_URL": args.broker_url,
        "DASI_PRIVATE_ROOT": str(private),
    }
    common = ["--single", str(args.single), "--bulk", str(args.bulk)]
    built = subprocess.run(
        [sys.executable, __file__, "--child", "build", *common],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    single = next((x.split() for x in built.stdout.splitlines() if x.startswith("SINGLE")), None)
    if single is None:
        sys.exit(f"benchmarks/certificates.py: building failed:\n{built.stderr[-3000:]}")
    subprocess.run(
        ["redis-cli", "-u", args.broker_url, "FLUSHDB"], check=False, capture_output=True
    )
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "lms",
            "worker",
            "-Q",
            "bench",
            "--concurrency",
            "2",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(4)  # the worker's processes start and import Django
        dispatched = subprocess.run(
            [sys.executable, __file__, "--child", "dispatch", *common],
            env=env,
            capture_output=True,
            text=True,
            check=False,
            cwd=ROOT,
        )
    finally:
        worker.terminate()
        worker.wait(30)
    bulk = next((x.split() for x in dispatched.stdout.splitlines() if x.startswith("BULK")), None)
    if bulk is None:
        sys.exit(f"benchmarks/certificates.py: the bulk run failed:\n{dispatched.stderr[-3000:]}")
    _, total, done, failed, seconds = bulk
    table = "\n".join(
        [
            f"Run {dt.date.today().isoformat()} at commit {_commit()} on {machine(_harfbuzz())};"
            " PostgreSQL, Redis broker.",
            "",
            "| measure | result | target |",
            "|---|---|---|",
            f"| render + sign one certificate (A4 PDF/A-3b, Korean or English), {args.single} in a row | p50 {single[1]} ms, p95 {single[2]} ms (CPU p50 {single[3]} ms) | p50 ≤ 50 ms |",
            f"| bulk issue, Celery worker with 2 processes | {done} of {total} in {seconds} s ({failed} failed) | 1,000 ≤ 30 s |",
        ]
    )
    print(table)
    if args.write:
        write_section(
            name="certificates",
            heading="Certificates",
            command=".venv/bin/python benchmarks/certificates.py --write",
            body=table,
        )


if __name__ == "__main__":
    main()
