"""Counsellor cockpit benchmark: a caseload of 1,000 learners with months of history.

    .venv/bin/python benchmarks/counselling.py [--learners 1000] [--runs 15]
        [--database-url postgres://postgres@127.0.0.1:5432/dasi_bench_counselling] [--write]

Builds a throw-away database (SQLite in a temporary directory unless --database-url names a
PostgreSQL database whose name contains "bench"; it is dropped and created again) with one
centre, three courses of ten lessons, the bundled roles and skills (`build_taxonomy --small`),
and `--learners` learners all in one counsellor's caseload (then ANALYZE, as autovacuum or
a maintenance job would). Each learner has one or two
enrolments with lesson activity spread over the last 120 days at their own rhythm, graded
quiz attempts on skill-tagged quizzes (some failing repeatedly), a plan and a note. Then,
with Django's test client as that counsellor:

- the caseload page (first page of 50, sorted by risk): its first read, which finds no
  stored risk and computes every row; reads of the stored risk; reads with ten rows marked
  stale by events before each; the at-risk list and the CSV export of the whole caseload;
- one learner's overview (courses, grades, skill report, path, timeline, notes, plan).

Each page is requested `--runs` times after a warm-up; the median and p95 server time and
the SQL query count are reported. Nothing here asserts on timings. --write replaces the
`counselling` section of docs/benchmarks.md.
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
from decimal import Decimal
from pathlib import Path

from report import machine, write_section

ROOT = Path(__file__).resolve().parent.parent


def _prepare_database(url: str | None) -> str:
    if not url:
        path = Path(tempfile.mkdtemp(prefix="dasi-counselling-")) / "bench.sqlite3"
        return f"sqlite:///{path}"
    name = url.rsplit("/", 1)[1]
    if "bench" not in name:
        sys.exit(
            "benchmarks/counselling.py: the database name must contain 'bench' (it is dropped)"
        )
    base = url.rsplit("/", 1)[0]
    for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        subprocess.run(["psql", f"{base}/postgres", "-qc", sql], check=True)  # noqa: S603
    return url


class _KeepTimestamps:
    """Let bulk_create write the constructed timestamps (auto_now fields would replace them)."""

    def __init__(self, *fields):
        self.fields = fields

    def __enter__(self):
        self.saved = [(f, f.auto_now, f.auto_now_add) for f in self.fields]
        for f in self.fields:
            f.auto_now = f.auto_now_add = False

    def __exit__(self, *exc):
        for f, now, add in self.saved:
            f.auto_now, f.auto_now_add = now, add


def _build(learners: int) -> dict:
    from django.core.management import call_command
    from django.utils import timezone

    from assessments.models import Attempt
    from hub_sites.services import centre_create
    from lms.accounts.models import Membership, Role, User
    from lms.accounts.services import membership_create
    from lms.counselling.models import CaseloadAssignment, LearnerPlan, Note
    from lms.learning.models import Enrolment, LessonProgress
    from lms.privacy.models import Purpose
    from lms.privacy.services import record_consents
    from lms.privacy.texts import CURRENT_VERSION
    from lms.skills.models import LearnerGoal, Skill
    from lms.skills.models import Role as SkillRole
    from tests.factories import lessons_of, make_course, make_quiz

    call_command("migrate", verbosity=0)
    call_command("build_taxonomy", "--small", verbosity=0)
    centre = centre_create(
        slug="bench",
        hostname="bench.localhost",
        name_ko="벤치 센터",
        name_en="Bench Centre",
        certificate_issuer_name="Bench Centre",
    )
    skills = list(Skill.objects.order_by("pk")[:6])
    courses, quizzes = [], []
    for number in range(3):
        course = make_course(centre, f"course-{number}", lessons=10, translate=False, skills=0)
        courses.append((course, lessons_of(course)))
        quizzes.append(make_quiz(centre, course, title=f"퀴즈 {number}", skill=skills[number]))
    roles = list(SkillRole.objects.order_by("slug")[:5])
    users = User.objects.bulk_create(
        User(username=f"learner{n:05d}", name=f"학습자 {n:05d}", email=f"l{n}@example.org")
        for n in range(learners)
    )
    Membership.objects.bulk_create(
        Membership(user=u, centre=centre, role=Role.LEARNER) for u in users
    )
    counsellor = User.objects.create(username="bench-counsellor", name="상담사")
    membership_create(user=counsellor, centre=centre, role=Role.COUNSELLOR)
    # The counsellor answered the consent form at their first sign-in, as seeded people have.
    record_consents(
        user=counsellor, purposes=Purpose.values, text_version=CURRENT_VERSION, language="ko"
    )
    now = timezone.now()

    def ago(days: float):
        return now - dt.timedelta(days=days)

    enrolments, progress, attempts = [], [], []
    with _KeepTimestamps(
        Enrolment._meta.get_field("enrolled_at"),
        Enrolment._meta.get_field("last_activity_at"),
        LessonProgress._meta.get_field("started_at"),
        LessonProgress._meta.get_field("updated_at"),
        Attempt._meta.get_field("started_at"),
    ):
        for n, user in enumerate(users):
            gap = 1 + n % 9  # this learner's rhythm, in days
            start = 120 - n % 40
            pause = (n % 7 == 0) * 25  # one in seven stopped a while ago
            for index in range(1 + (n % 3 == 0)):
                course, lessons = courses[(n + index) % 3]
                done = min(len(lessons), int((start - pause) / gap / 2))
                last = pause + (start - pause) % gap
                enrolments.append(
                    Enrolment(
                        user=user,
                        course=course,
                        centre=centre,
                        enrolled_at=ago(start),
                        last_activity_at=ago(last),
                    )
                )
                for number_, lesson in enumerate(lessons[:done]):
                    day = start - number_ * 2 * gap
                    progress.append(
                        LessonProgress(
                            enrolment=enrolments[-1],
                            lesson=lesson,
                            status="completed",
                            started_at=ago(day),
                            completed_at=ago(day - gap),
                            updated_at=ago(day - gap),
                        )
                    )
            quiz = quizzes[n % 3]
            course = courses[n % 3][0]
            for number_ in range(1, 2 + n % 4):
                failing = n % 5 == 0
                attempts.append(
                    Attempt(
                        assessment=quiz,
                        user=user,
                        course=course,
                        number=number_,
                        status=Attempt.Status.GRADED,
                        score=Decimal(20 if failing else 40 + 20 * number_),
                        max_score=Decimal(100),
                        started_at=ago(10 + number_),
                        submitted_at=ago(10 + number_),
                        graded_at=ago(10 + number_),
                    )
                )
        Enrolment.objects.bulk_create(enrolments, batch_size=2000)
        LessonProgress.objects.bulk_create(progress, batch_size=5000)
        Attempt.objects.bulk_create(attempts, batch_size=5000)
    LearnerGoal.objects.bulk_create(
        LearnerGoal(user=u, role=roles[n % len(roles)]) for n, u in enumerate(users) if n % 2
    )
    today = timezone.localdate()
    LearnerPlan.objects.bulk_create(
        LearnerPlan(
            centre=centre,
            learner=u,
            goal_role=roles[n % len(roles)],
            target_date=today + dt.timedelta(days=20 + n % 90),
            agreed="주 3회 학습",
            created_by=counsellor,
        )
        for n, u in enumerate(users)
        if n % 3 == 0
    )
    Note.objects.bulk_create(
        Note(centre=centre, learner=u, author=counsellor, text="첫 상담 메모")
        for u in users[: learners // 2]
    )
    CaseloadAssignment.objects.bulk_create(
        CaseloadAssignment(centre=centre, counsellor=counsellor, learner=u, assigned_by=counsellor)
        for u in users
    )
    from django.db import connection

    with connection.cursor() as cursor:  # fresh planner statistics, as autovacuum would
        cursor.execute("ANALYZE")
    return {
        "counsellor": counsellor,
        "learner": users[7],
        "enrolments": len(enrolments),
        "progress": len(progress),
        "attempts": len(attempts),
    }


def _time(client, url: str, runs: int, before=lambda: None) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    before()
    response = client.get(url)  # warm
    assert response.status_code == 200, (url, response.status_code)
    if response.streaming:
        b"".join(response.streaming_content)
    times = []
    for _ in range(runs):
        before()
        start = time.perf_counter()
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        times.append((time.perf_counter() - start) * 1000)
    connection.queries_log.clear()
    before()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    times.sort()
    return {
        "median": statistics.median(times),
        "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
        "queries": len(queries),
    }


def _child(args) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from lms.accounts.models import User

    built_start = time.perf_counter()
    data = _build(args.learners)
    built = time.perf_counter() - built_start
    client = Client(HTTP_HOST="bench.localhost")
    client.force_login(data["counsellor"])
    pages = {
        "caseload": reverse("counselling:caseload"),
        "at_risk": reverse("counselling:at_risk"),
        "csv": reverse("counselling:caseload_csv"),
        "overview": reverse("counselling:learner", args=[data["learner"].pk]),
    }
    # The first read after the data was written finds no stored risk: every learner's row
    # is computed and stored by it (as after an upgrade without the backfill).
    start = time.perf_counter()
    assert client.get(pages["caseload"]).status_code == 200
    print("RESULT", "first", f"{(time.perf_counter() - start) * 1000:.1f}", "-", "-")
    for name, url in pages.items():
        result = _time(client, url, args.runs)
        print(
            "RESULT",
            name,
            f"{result['median']:.1f}",
            f"{result['p95']:.1f}",
            result["queries"],
        )
    # Ten learners' rows marked stale by events before every request (their risk is
    # computed on that read; the beat task would have caught most of them).
    from lms.counselling.services import risk_invalidate

    stale = list(
        User.objects.filter(username__startswith="learner")
        .order_by("pk")[:10]
        .values_list("pk", flat=True)
    )
    result = _time(
        client, pages["caseload"], args.runs, before=lambda: risk_invalidate(learners=stale)
    )
    print(
        "RESULT",
        "stale",
        f"{result['median']:.1f}",
        f"{result['p95']:.1f}",
        result["queries"],
    )
    print(
        "DATA",
        connection.vendor,
        args.learners,
        data["enrolments"],
        data["progress"],
        data["attempts"],
        f"{built:.0f}",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--database-url")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args)
        return
    url = _prepare_database(args.database_url)
    artefacts = Path(tempfile.mkdtemp(prefix="dasi-counselling-skills-"))
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "DJANGO_DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
        "DASI_SKILLS_ARTIFACT": str(artefacts / "taxonomy.h5"),
        "DASI_SKILLS_CACHE": str(artefacts / "cache"),
    }
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    output = subprocess.run(  # noqa: S603
        [
            sys.executable,
            __file__,
            "--child",
            "--learners",
            str(args.learners),
            "--runs",
            str(args.runs),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    results = [x.split()[1:] for x in output.stdout.splitlines() if x.startswith("RESULT")]
    data = next((x.split()[1:] for x in output.stdout.splitlines() if x.startswith("DATA")), None)
    if not results or data is None:
        sys.exit(f"benchmarks/counselling.py: the run failed:\n{output.stderr[-3000:]}")
    vendor, learners, enrolments, progress, attempts, built = data
    labels = {
        "first": "caseload page, first read: no stored risk (every row computed, stored)",
        "stale": "caseload page, 10 rows marked stale by events (computed on read)",
        "caseload": "caseload page (50 of all, sorted by risk)",
        "at_risk": "at-risk list",
        "csv": "caseload CSV (every learner, streamed)",
        "overview": "learner overview",
    }
    targets = {"caseload": "p95 ≤ 150 ms, ≤ 25 queries", "overview": "≤ 200 ms"}
    rows = [
        f"| {labels[name]} | {median} ms | {p95} ms | {queries} | {targets.get(name, '')} |"
        if p95 != "-"
        else f"| {labels[name]} | {median} ms (one read) | — | — | |"
        for name, median, p95, queries in results
    ]
    table = "\n".join(
        [
            f"Run {dt.date.today().isoformat()} on {machine()}; database: {vendor}; "
            f"load average before the run {load}.",
            "",
            f"Data: {learners} learners in one counsellor's caseload, {enrolments} enrolments, "
            f"{progress} lesson-progress rows over 120 days, {attempts} graded attempts, "
            f"a plan for a third and a note for half of them (built in {built} s).",
            "",
            "| page | median | p95 | queries | target |",
            "|---|---|---|---|---|",
            *rows,
            "",
            "Risk is read from each learner's stored row (`counselling.LearnerRisk`), kept "
            "current by the events that change it and a beat task for the passing of days; "
            "a row missing or marked stale is computed on the read that meets it (the first "
            "two rows). `tests/counselling/test_selectors.py` asserts that the query count "
            "does not grow with the caseload, read or computed. Load averages near 2 on 2 "
            "cores mean the machine was shared with other work during the run; the p95 "
            "column shows it most.",
        ]
    )
    print(table)
    if args.write:
        write_section(
            name=f"counselling-{vendor}",
            heading=f"Counsellor cockpit, {'PostgreSQL' if vendor == 'postgresql' else 'SQLite'}",
            command=".venv/bin/python benchmarks/counselling.py --write"
            + (
                " --database-url postgres://…/dasi_bench_counselling"
                if vendor == "postgresql"
                else ""
            ),
            body=table,
        )


if __name__ == "__main__":
    main()
