"""Gradebook benchmark: a course with 1,000 learners × 10 assessments.

    .venv/bin/python benchmarks/gradebook.py [--learners 1000] [--assessments 10]
        [--database-url postgres://postgres@127.0.0.1:5432/dasi_bench_gradebook] [--write]

Builds a throw-away database (SQLite in a temporary directory unless --database-url names a
PostgreSQL database whose name contains "bench"; it is dropped and created again), then:

- renders the staff gradebook page 15 times with Django's test client and reports the median
  and p95 server time and the number of SQL queries;
- streams the CSV export and reports its time, its size and the peak Python memory while
  streaming (tracemalloc), against the same export for a tenth of the learners: flat memory
  means rows are not all held at once.

Nothing here asserts on timings. --write replaces the `gradebook` section of docs/benchmarks.md.
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
import tracemalloc
from decimal import Decimal
from pathlib import Path

from report import machine, write_section

ROOT = Path(__file__).resolve().parent.parent


def _prepare_database(url: str | None) -> str:
    if not url:
        path = Path(tempfile.mkdtemp(prefix="dasi-gradebook-")) / "bench.sqlite3"
        return f"sqlite:///{path}"
    name = url.rsplit("/", 1)[1]
    if "bench" not in name:
        sys.exit("benchmarks/gradebook.py: the database name must contain 'bench' (it is dropped)")
    base = url.rsplit("/", 1)[0]
    for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        subprocess.run(["psql", f"{base}/postgres", "-qc", sql], check=True)  # noqa: S603
    return url


def _build(learners: int, assessments: int):
    from django.core.management import call_command

    from assessments.models import Assessment, Attempt, CourseAssessment
    from hub_sites.services import centre_create
    from lms.accounts.models import Membership, Role, User
    from lms.accounts.services import membership_create
    from lms.learning.models import Enrolment
    from tests.factories import make_course

    call_command("migrate", verbosity=0)
    centre = centre_create(
        slug="bench",
        hostname="bench.localhost",
        name_ko="벤치 센터",
        name_en="Bench Centre",
        certificate_issuer_name="Bench Centre",
    )
    course = make_course(centre, "gradebook-bench", lessons=3, translate=False)
    quizzes = [
        Assessment.objects.create(centre=centre, title=f"퀴즈 {n + 1}") for n in range(assessments)
    ]
    for order, quiz in enumerate(quizzes):
        CourseAssessment.objects.create(
            course=course, assessment=quiz, weight=1 + order % 3, sort_order=order
        )
    users = User.objects.bulk_create(
        User(username=f"learner{n:05d}", name=f"학습자 {n:05d}", email=f"l{n}@example.org")
        for n in range(learners)
    )
    Membership.objects.bulk_create(
        Membership(user=u, centre=centre, role=Role.LEARNER) for u in users
    )
    Enrolment.objects.bulk_create(Enrolment(user=u, course=course, centre=centre) for u in users)
    attempts = []
    for number, user in enumerate(users):
        for index, quiz in enumerate(quizzes):
            if (number + index) % 7 == 0:
                continue  # some learners have not started some quizzes
            numbers = (1, 2) if (number + index) % 3 == 0 else (1,)
            for attempt_number in numbers:
                still_open = attempt_number == numbers[-1] and (number + index) % 11 == 0
                attempts.append(
                    Attempt(
                        assessment=quiz,
                        user=user,
                        course=course,
                        number=attempt_number,
                        status=Attempt.Status.IN_PROGRESS if still_open else Attempt.Status.GRADED,
                        score=None if still_open else Decimal((number * 7 + index * 13) % 101),
                        max_score=Decimal(100),
                    )
                )
    Attempt.objects.bulk_create(attempts, batch_size=5000)
    staff = User.objects.create(username="bench-instructor", name="강사")
    membership_create(user=staff, centre=centre, role=Role.INSTRUCTOR)
    return course, staff, len(attempts)


def _measure(course, staff, runs: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = Client(HTTP_HOST="bench.localhost")
    client.force_login(staff)
    url = reverse("assessments_gradebook", args=[course.pk])
    assert client.get(url).status_code == 200  # warm
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    connection.queries_log.clear()  # a full log (maxlen) would hide the count
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    query_count = len(queries)  # now: the next request resets the log
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]

    csv_url = reverse("assessments_gradebook_csv", args=[course.pk])
    tracemalloc.start()
    start = time.perf_counter()
    response = client.get(csv_url)
    size = sum(len(chunk) for chunk in response.streaming_content)
    csv_ms = (time.perf_counter() - start) * 1000
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "median_ms": statistics.median(times),
        "p95_ms": p95,
        "queries": query_count,
        "csv_ms": csv_ms,
        "csv_bytes": size,
        "csv_peak_kib": peak / 1024,
    }


def _child(args) -> None:
    import django

    django.setup()
    course, staff, attempts = _build(args.learners, args.assessments)
    result = _measure(course, staff, args.runs)
    from django.db import connection

    # A tenth of the cohort, same course: the CSV's peak memory should not scale with rows.
    small = _measure_small(course, staff, args.learners // 10)
    print(
        "RESULT",
        args.learners,
        args.assessments,
        attempts,
        connection.vendor,
        *(f"{result[k]:.1f}" for k in ("median_ms", "p95_ms")),
        result["queries"],
        f"{result['csv_ms']:.0f}",
        result["csv_bytes"],
        f"{result['csv_peak_kib']:.0f}",
        f"{small:.0f}",
    )


def _measure_small(course, staff, learners: int) -> float:
    """Peak memory of the CSV export when the staff member sees only `learners` learners."""
    import tracemalloc as tm

    from django.test import Client
    from django.urls import reverse

    from hub_sites.services import centre_create
    from lms.accounts.models import Role
    from lms.accounts.services import membership_create
    from lms.learning.models import Enrolment

    other = centre_create(
        slug="bench-small",
        hostname="small.localhost",
        name_ko="작은 센터",
        name_en="Small Centre",
        certificate_issuer_name="Small",
    )
    ids = list(Enrolment.objects.order_by("user_id").values_list("pk", flat=True)[:learners])
    Enrolment.objects.filter(pk__in=ids).update(centre=other)
    membership_create(user=staff, centre=other, role=Role.INSTRUCTOR)
    from hub_sites.services import course_offer

    course_offer(course=course, centre=other)
    from lms.accounts.models import Membership

    Membership.objects.filter(user=staff).exclude(centre=other).delete()
    staff.groups.clear()
    membership_create(user=staff, centre=other, role=Role.INSTRUCTOR)
    client = Client(HTTP_HOST="bench.localhost")
    client.force_login(staff)
    tm.start()
    response = client.get(reverse("assessments_gradebook_csv", args=[course.pk]))
    for _chunk in response.streaming_content:
        pass
    _current, peak = tm.get_traced_memory()
    tm.stop()
    return peak / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--assessments", type=int, default=10)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--database-url")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args)
        return
    url = _prepare_database(args.database_url)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "DJANGO_DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    output = subprocess.run(  # noqa: S603
        [
            sys.executable,
            __file__,
            "--child",
            "--learners",
            str(args.learners),
            "--assessments",
            str(args.assessments),
            "--runs",
            str(args.runs),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    line = next((x for x in output.stdout.splitlines() if x.startswith("RESULT")), None)
    if line is None:
        sys.exit(f"benchmarks/gradebook.py: the run failed:\n{output.stderr[-3000:]}")
    (
        _,
        learners,
        assessments,
        attempts,
        vendor,
        median,
        p95,
        queries,
        csv_ms,
        csv_bytes,
        peak,
        small,
    ) = line.split()
    table = "\n".join(
        [
            f"Run {dt.date.today().isoformat()} on {machine()}; database: {vendor}.",
            "",
            "| learners × assessments (attempts) | page median | page p95 | queries | CSV time | CSV size | CSV peak memory | same, ⅒ of the learners |",
            "|---|---|---|---|---|---|---|---|",
            f"| {learners} × {assessments} ({attempts}) | {median} ms | {p95} ms | {queries} | {csv_ms} ms | {int(csv_bytes) // 1024} KiB | {peak} KiB | {small} KiB |",
            "",
            "Targets: gradebook ≤ 300 ms and ≤ 20 queries; CSV streamed without holding all rows.",
        ]
    )
    print(table)
    if args.write:
        write_section(
            name="gradebook",
            heading="Gradebook",
            command=".venv/bin/python benchmarks/gradebook.py --write",
            body=table,
        )


if __name__ == "__main__":
    main()
