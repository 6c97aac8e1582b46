"""Repeatable page benchmark: the lesson and catalogue pages under gunicorn and wrk.

    .venv/bin/python benchmarks/pages.py [--duration 15] [--connections 32]
        [--database-url postgres://postgres@127.0.0.1:5432/dasi_bench] [--write]

For each data size (10 lessons / 50 learners / 5 courses, then 200 / 1000 / 50) it:

1. creates a throw-away database (a SQLite file in a temporary directory by default; with
   --database-url a PostgreSQL database whose name must contain "bench" — it is dropped and
   created again), runs `manage.py migrate` and builds the data with the project's own
   services in a child process (lms.settings.dev);
2. counts SQL queries per page with Django's test client (warm request first, then
   CaptureQueriesContext) for an anonymous visitor and for an enrolled learner;
3. serves the site with gunicorn and the production settings on 127.0.0.1 (a free port) and
   runs wrk on loopback against the lesson page (anonymous and learner) and the catalogue;
4. stops gunicorn and removes the database.

It prints Markdown tables; --write also replaces the `pages` section of docs/benchmarks.md.
Every request goes to 127.0.0.1. Nothing here asserts on timings.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
LUA_SCRIPT = Path(__file__).resolve().with_name("wrk_report.lua")
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
DOC = ROOT / "docs" / "benchmarks.md"
VENV_BIN = Path(sys.executable).parent
HOST = "bench.localhost"
UNCACHED = "anonymous, not cached"  # the visitor's page rendered afresh (cache retired)
OFFER_HOST = "bench-offer.localhost"  # a second centre offering the course (Wagtail aliases)
# docs/benchmarks.md keeps one section per database; everything outside the markers is kept.
MARKERS = {
    "sqlite": ("<!-- pages:start -->", "<!-- pages:end -->"),
    "postgresql": ("<!-- pages-postgresql:start -->", "<!-- pages-postgresql:end -->"),
}
LESSON_TARGET_P95_MS = 50.0  # anonymous lesson page
LEARNER_TARGET_P95_MS = 150.0  # signed-in learner's lesson page
LEARNER_TARGET_RPS = 300.0
REFERENCE_TARGET_RATIO = 0.5  # learner lesson req/s ÷ plain Wagtail page req/s, signed in
BENCH_LESSON_NUMBER = 5  # the lesson page measured: the 5th lesson of the benchmark course
FILLER_LESSONS = 3  # lessons in each of the other courses of the catalogue
MAX_WAIT_SECONDS = 60
# The project's settings with the reference page type (benchmarks/reference) installed.
DEV_SETTINGS = "benchmarks.reference.settings_dev"
PRODUCTION_SETTINGS = "benchmarks.reference.settings_production"


@dataclass(frozen=True)
class Size:
    lessons: int
    learners: int
    courses: int

    @property
    def label(self) -> str:
        return f"{self.lessons} lessons · {self.learners} learners · {self.courses} courses"


SIZES = (Size(lessons=10, learners=50, courses=5), Size(lessons=200, learners=1000, courses=50))


# --------------------------------------------------------------------------------------------
# Child process: build the data, count queries, open a learner session (lms.settings.dev)
# --------------------------------------------------------------------------------------------

SECTIONS = (
    (
        "데이터 불러오기 (Loading the data)",
        "python",
        'import pandas as pd\n\nsales = pd.read_csv("sales.csv", parse_dates=["date"])\n'
        "print(sales.shape)\nsales.info()\nsales.head(10)\n",
        "tip",
    ),
    (
        "결측값 다루기 (Missing values)",
        "python",
        "missing = sales.isna().sum()\nprint(missing[missing > 0])\n\n"
        'sales["region"] = sales["region"].fillna("unknown")\n'
        'sales = sales.dropna(subset=["amount"])\n'
        'sales["amount"] = sales["amount"].astype(float)\n',
        "warning",
    ),
    (
        "SQL로 집계하기 (Aggregating with SQL)",
        "sql",
        "SELECT region,\n       date_trunc('month', sold_on) AS month,\n"
        "       SUM(amount) AS total,\n       COUNT(*) AS orders\nFROM sales\n"
        "WHERE sold_on >= DATE '2026-01-01'\nGROUP BY region, month\n"
        "ORDER BY month, total DESC;\n",
        "note",
    ),
    (
        "작업 자동화 (Automating the report)",
        "bash",
        "#!/usr/bin/env bash\nset -euo pipefail\n"
        'for file in data/*.csv; do\n  python report.py "$file" >> reports/monthly.txt\ndone\n'
        'echo "done: $(wc -l < reports/monthly.txt) lines"\n',
        "tip",
    ),
    (
        "시각화 (Charts)",
        "python",
        "import matplotlib.pyplot as plt\n\n"
        'monthly = sales.groupby(sales["date"].dt.to_period("M"))["amount"].sum()\n'
        "fig, ax = plt.subplots(figsize=(8, 4))\n"
        'monthly.plot(ax=ax, kind="bar", color="#1f5fbf")\n'
        'ax.set_title("월별 매출")\nax.set_ylabel("원")\nfig.tight_layout()\n'
        'fig.savefig("monthly.png", dpi=150)\n',
        "note",
    ),
    (
        "정리 (Wrap-up)",
        "javascript",
        'const rows = await fetch("/api/sales?month=2026-03").then((r) => r.json());\n'
        "const total = rows.reduce((sum, row) => sum + row.amount, 0);\n"
        'console.log(`3월 매출: ${total.toLocaleString("ko-KR")}원`);\n',
        "tip",
    ),
)


def lesson_body(number: int) -> list[dict]:
    """A realistic lesson body: six sections of headings, text, lists, code and callouts."""
    body: list[dict] = []
    for section, (title, language, code, kind) in enumerate(SECTIONS, start=1):
        body += [
            {"type": "heading", "value": {"text": f"{section}. {title}", "size": "h2"}},
            {
                "type": "paragraph",
                "value": (
                    f"<p>이 절에서는 {number}번째 수업의 예제 데이터로 <b>{title}</b>를 "
                    "연습합니다. 실제 업무에서 자주 만나는 상황을 골랐으므로, 코드를 그대로 "
                    "따라 친 뒤 <i>값을 바꿔 가며</i> 결과가 어떻게 달라지는지 확인해 "
                    '보세요. 자세한 설명은 <a href="https://pandas.pydata.org/docs/">공식 '
                    "문서</a>에 있습니다.</p><p>In this section you practise "
                    f"<code>{language}</code> on the sample data of lesson {number}: type "
                    "the code, run it, then change one value at a time and compare.</p>"
                ),
            },
            {
                "type": "paragraph",
                "value": (
                    "<ul><li>입력 파일의 열 이름과 자료형을 먼저 확인합니다.</li>"
                    "<li>한 번에 한 단계씩 실행하고 중간 결과를 출력합니다.</li>"
                    "<li>결과를 저장하기 전에 행 수가 예상과 같은지 봅니다.</li></ul>"
                ),
            },
            {
                "type": "code",
                "value": {
                    "language": language,
                    "code": code,
                    "caption": f"예제 {number}-{section}",
                },
            },
            {
                "type": "callout",
                "value": {
                    "kind": kind,
                    "title": "",
                    "body": (
                        "<p>작은 데이터로 먼저 시험해 보고, 결과가 맞으면 전체 데이터에 "
                        "적용하세요. <b>원본 파일은 덮어쓰지 마세요.</b></p>"
                    ),
                },
            },
            {"type": "heading", "value": {"text": f"{section}.1 연습 문제", "size": "h3"}},
            {
                "type": "paragraph",
                "value": (
                    "<p>위 코드를 지역(region)별로 바꿔 실행하고, 가장 매출이 큰 지역과 "
                    "작은 지역의 차이를 <b>비율</b>로 계산해 보세요. 막히면 앞 절의 예제를 "
                    "다시 읽어 보세요.</p>"
                ),
            },
        ]
    return body


def _publish(page):
    from courses.services import page_publish  # save_revision().publish(), then reload

    return page_publish(page)


def _course_create(index, *, slug: str, title: str, lessons: int, first_body: int = 1):
    from courses.models import CoursePage, LessonPage

    course = CoursePage(
        title=title,
        slug=slug,
        locale=index.locale,
        summary="실무 데이터를 불러와 정리하고 집계해 보고서를 자동으로 만드는 과정입니다.",
        description="<p>파이썬과 SQL로 실제 업무 데이터를 다룹니다.</p>",
        level="beginner",
        estimated_hours=max(1, lessons // 2),
    )
    index.add_child(instance=course)
    course = _publish(course)
    for number in range(1, lessons + 1):
        lesson = LessonPage(
            title=f"{number}. 수업 {number}: 데이터 다루기",
            slug=f"lesson-{number:03d}",
            locale=course.locale,
            intro="예제 데이터로 불러오기부터 집계와 자동화까지 연습합니다.",
            estimated_minutes=25,
            body=lesson_body(first_body + number - 1),
        )
        course.add_child(instance=lesson)
        _publish(lesson)
    return course


def reference_body(number: int) -> str:
    """The text of a lesson as one rich-text field: what a stock Wagtail page would hold."""
    html = []
    for block in lesson_body(number):
        value = block["value"]
        if block["type"] == "heading":
            html.append(f"<{value['size']}>{value['text']}</{value['size']}>")
        elif block["type"] == "paragraph":
            html.append(value)
        elif block["type"] == "code":
            code = value["code"].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            html.append(f"<p><code>{code}</code></p>")
        elif block["type"] == "callout":
            html.append(value["body"])
    return "".join(html)


def _reference_create(parent):
    """A plain Wagtail page (benchmarks/reference) with the benchmark lesson's text."""
    from benchmarks.reference.models import ReferencePage

    page = ReferencePage(
        title="참고 페이지 (plain Wagtail)",
        slug="reference",
        body=reference_body(BENCH_LESSON_NUMBER),
    )
    parent.add_child(instance=page)
    return _publish(page)


def _remove_wagtail_welcome() -> None:
    from wagtail.models import Page, Site

    for site in Site.objects.filter(hostname="localhost", port=80).select_related("root_page"):
        root = site.root_page
        site.delete()
        if type(root.specific) is Page:
            root.delete()


def _build(size: Size, password: str) -> dict:
    """Create the centre, courses, lessons and learners; return what the benchmark needs."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from courses.models import LessonPage
    from hub_sites.services import centre_course_indexes, centre_create, course_offer
    from lms.accounts.models import Membership, Role, User
    from lms.accounts.services import membership_create, user_create
    from lms.learning.models import Enrolment, LessonProgress
    from lms.learning.services import enrolment_create, lesson_complete, lesson_visit

    started = time.monotonic()
    with transaction.atomic():
        _remove_wagtail_welcome()
        centre = centre_create(
            slug="bench",
            hostname=HOST,
            port=80,
            is_default_site=True,
            name_ko="벤치마크 센터",
            name_en="Benchmark Centre",
            certificate_issuer_name="벤치마크 센터 (Benchmark Centre)",
            intro_ko="<p>성능 측정용 센터입니다.</p>",
            intro_en="<p>A centre for measuring performance.</p>",
        )
        index = centre_course_indexes(centre)["ko"]
        course = _course_create(
            index, slug="bench-course", title="업무 데이터 분석 입문", lessons=size.lessons
        )
        for number in range(1, size.courses):
            _course_create(
                index,
                slug=f"course-{number:03d}",
                title=f"과정 {number}: 업무 자동화",
                lessons=FILLER_LESSONS,
            )
        offering = centre_create(
            slug="bench-offer",
            hostname=OFFER_HOST,
            port=80,
            name_ko="제휴 센터",
            name_en="Partner Centre",
            certificate_issuer_name="제휴 센터 (Partner Centre)",
        )
        offered = course_offer(course=course, centre=offering)
        reference = _reference_create(centre.site.root_page)
    pages_done = time.monotonic()

    lessons = list(LessonPage.objects.child_of(course).live().order_by("path"))
    with transaction.atomic():
        # The learner whose session wrk uses: through the services, like a real learner.
        learner = user_create(
            username="bench-learner",
            email="bench-learner@bench.localhost",
            password=password,
            name="김벤치",
        )
        membership_create(user=learner, centre=centre, role=Role.LEARNER)
        enrolment_create(user=learner, course=course, centre=centre)
        for lesson in lessons[: BENCH_LESSON_NUMBER - 2]:
            lesson_complete(user=learner, lesson=lesson)
        lesson_visit(user=learner, lesson=lessons[BENCH_LESSON_NUMBER - 2])
        # A few more through the services, the rest in bulk (password hashing and one
        # service call per lesson would take minutes at 1000 learners × 200 lessons).
        through_services = min(5, size.learners - 1)
        for number in range(1, through_services + 1):
            user = user_create(
                username=f"learner-{number:04d}",
                email=f"learner-{number:04d}@bench.localhost",
                password=password,
            )
            membership_create(user=user, centre=centre, role=Role.LEARNER)
            enrolment_create(user=user, course=course, centre=centre)
            for lesson in lessons[: number % (len(lessons) + 1)]:
                lesson_complete(user=user, lesson=lesson)
        hashed = make_password(password)
        users = User.objects.bulk_create(
            [
                User(
                    username=f"learner-{number:04d}",
                    email=f"learner-{number:04d}@bench.localhost",
                    password=hashed,
                    name=f"학습자 {number}",
                )
                for number in range(through_services + 1, size.learners)
            ],
            batch_size=500,
        )
        if users and users[0].pk is None:  # backends that do not return ids
            users = list(User.objects.filter(username__in=[u.username for u in users]))
        Membership.objects.bulk_create(
            [Membership(user=u, centre=centre, role=Role.LEARNER) for u in users],
            batch_size=500,
        )
        enrolments = Enrolment.objects.bulk_create(
            [Enrolment(user=u, course=course, centre=centre) for u in users], batch_size=500
        )
        if enrolments and enrolments[0].pk is None:
            enrolments = list(Enrolment.objects.filter(user__in=users))
        now = timezone.now()
        progress: list[LessonProgress] = []
        for number, enrolment in enumerate(enrolments):
            done = (number * 7) % (len(lessons) + 1)
            for lesson in lessons[:done]:
                progress.append(
                    LessonProgress(
                        enrolment=enrolment,
                        lesson=lesson,
                        status=LessonProgress.Status.COMPLETED,
                        completed_at=now,
                    )
                )
            if done < len(lessons):
                progress.append(LessonProgress(enrolment=enrolment, lesson=lessons[done]))
                enrolment.last_lesson = lessons[done]
        LessonProgress.objects.bulk_create(progress, batch_size=2000)
        Enrolment.objects.bulk_update(enrolments, ["last_lesson"], batch_size=500)
    finished = time.monotonic()

    bench_lesson = lessons[BENCH_LESSON_NUMBER - 1]
    offered_lesson = LessonPage.objects.child_of(offered).order_by("path")[BENCH_LESSON_NUMBER - 1]
    return {
        "learner_id": learner.pk,
        "urls": {
            "home": "/",
            "catalogue": "/courses/",
            "course": course.get_url_parts()[2],
            "lesson": bench_lesson.get_url_parts()[2],
            "reference": reference.get_url_parts()[2],
        },
        "offered_urls": {
            "offered_course": offered.get_url_parts()[2],
            "offered_lesson": offered_lesson.get_url_parts()[2],
        },
        "counts": {
            "lessons": LessonPage.objects.child_of(course).count(),
            "courses": index.get_children().count(),
            "learners": Membership.objects.filter(centre=centre, role=Role.LEARNER).count(),
            "enrolments": Enrolment.objects.count(),
            "progress_rows": LessonProgress.objects.count(),
        },
        "build_seconds": {
            "pages": round(pages_done - started, 1),
            "learners": round(finished - pages_done, 1),
        },
    }


def _count_queries(
    pages: list[tuple[str, str, str]], learner_id: int, dump_dir: Path | None
) -> dict:
    """Queries per page (after one warm-up request) for a visitor and the enrolled learner;
    `pages` holds (name, host, path)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from lms.accounts.models import User

    try:  # visitors' pages may be served from a cache; count a fresh render too
        from lms.caching import page_cache_invalidate
    except ImportError:
        page_cache_invalidate = None

    learner = User.objects.get(pk=learner_id)
    results: dict[str, dict[str, int]] = {}
    visitors = ["anonymous", *([UNCACHED] if page_cache_invalidate else []), "learner"]
    for who in visitors:
        client = Client()
        if who == "learner":
            client.force_login(learner)
        for name, host, path in pages:
            warm = client.get(path, HTTP_HOST=host)
            if warm.status_code != 200:
                raise SystemExit(f"{who} GET {path}: HTTP {warm.status_code}, expected 200")
            if who == UNCACHED:
                page_cache_invalidate()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path, HTTP_HOST=host)
            if response.status_code != 200:
                raise SystemExit(f"{who} GET {path}: HTTP {response.status_code}, expected 200")
            results.setdefault(name, {})[who] = len(queries.captured_queries)
            if dump_dir is not None:
                slug = re.sub(r"\W+", "-", who)
                dump = dump_dir / f"queries-{slug}-{name}.sql"
                dump.write_text(
                    "".join(f"{q['sql']};\n" for q in queries.captured_queries), encoding="utf-8"
                )
    return results


def _learner_cookies(urls: dict, learner_id: int) -> dict[str, str]:
    """A logged-in session for wrk (signed with the DJANGO_SECRET_KEY gunicorn uses too)."""
    from django.conf import settings
    from django.test import Client

    from lms.accounts.models import User

    client = Client(HTTP_HOST=HOST)
    client.force_login(User.objects.get(pk=learner_id))
    client.get(urls["lesson"])
    cookies = {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}
    if settings.CSRF_COOKIE_NAME in client.cookies:
        cookies[settings.CSRF_COOKIE_NAME] = client.cookies[settings.CSRF_COOKIE_NAME].value
    return cookies


def child_prepare(args: argparse.Namespace) -> None:
    """Entry point of the child process (DJANGO_SETTINGS_MODULE and DATABASE_URL are set)."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    size = Size(lessons=args.lessons, learners=args.learners, courses=args.courses)
    out = Path(args.prepare)
    data = _build(size, password=os.environ["BENCH_PASSWORD"])
    dump_dir = out.parent / f"queries-{size.lessons}"
    dump_dir.mkdir(exist_ok=True)
    pages = [(name, HOST, path) for name, path in data["urls"].items()]
    pages += [(name, OFFER_HOST, path) for name, path in data["offered_urls"].items()]
    data["queries"] = _count_queries(pages, data["learner_id"], dump_dir)
    data["cookies"] = _learner_cookies(data["urls"], data["learner_id"])
    data["query_dump"] = str(dump_dir)
    out.write_text(json.dumps(data, indent=2), encoding="utf-8")


# --------------------------------------------------------------------------------------------
# Parent process: databases, gunicorn, wrk, report
# --------------------------------------------------------------------------------------------


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run(cmd: list[str], env: dict, timeout: float, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(
        cmd, env=env, cwd=ROOT, timeout=timeout, capture_output=True, text=True, **kwargs
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise SystemExit(f"failed ({result.returncode}): {' '.join(cmd[:4])} …")
    return result


class Database:
    """A throw-away database: a SQLite file in a temporary directory, or PostgreSQL."""

    def __init__(self, url: str | None, workdir: Path):
        self.template = url
        self.workdir = workdir
        self.url = ""

    @property
    def is_postgres(self) -> bool:
        return bool(self.template) and self.template.split(":", 1)[0] in {
            "postgres",
            "postgresql",
            "pgsql",
        }

    def _pg(self) -> tuple[str, str]:
        parts = urlsplit(self.template)
        name = unquote(parts.path.lstrip("/"))
        if "bench" not in name:
            raise SystemExit(f"refusing to drop and create {name!r}: its name must contain 'bench'")
        from psycopg.conninfo import make_conninfo

        admin = make_conninfo(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=unquote(parts.username or "postgres"),
            password=unquote(parts.password or "") or None,
            dbname="postgres",
        )
        return admin, name

    def create(self) -> str:
        if not self.template:
            path = self.workdir / "bench.sqlite3"
            path.unlink(missing_ok=True)
            self.url = f"sqlite:///{path}"
        elif self.is_postgres:
            import psycopg
            from psycopg import sql

            admin, name = self._pg()
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            self.url = self.template
        else:
            raise SystemExit("--database-url: only postgres:// URLs (or none for SQLite)")
        return self.url

    def drop(self) -> None:
        if self.is_postgres and self.url:
            import psycopg
            from psycopg import sql

            admin, name = self._pg()
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )
        elif self.url:
            for suffix in ("", "-wal", "-shm"):
                Path(self.url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
        self.url = ""

    def describe(self) -> str:
        if self.is_postgres:
            import psycopg

            admin, _name = self._pg()
            with psycopg.connect(admin) as conn:
                version = conn.execute("SHOW server_version").fetchone()[0]
            return f"PostgreSQL {version} (local, loopback TCP)"
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version} (file in a temporary directory, WAL)"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(port: int, path: str, cookie: str = "", timeout: float = 10) -> tuple[int, str]:
    """GET from 127.0.0.1 (never elsewhere) with the benchmark Host header."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Host": HOST}
        if cookie:
            headers["Cookie"] = cookie
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def gunicorn_description(config) -> str:
    kind = (
        f"{config.workers} gthread workers × {config.threads} threads"
        if config.threads > 1
        else f"{config.workers} sync workers"
    )
    if config.max_requests is not None:
        kind += f", max_requests {config.max_requests}"
    if GUNICORN_CONF.exists():
        return f"`{GUNICORN_CONF.relative_to(ROOT)}` (access log on), {kind}"
    return kind


@dataclass
class Gunicorn:
    env: dict
    workers: int
    threads: int
    max_requests: int | None
    logfile: Path
    port: int = 0
    process: subprocess.Popen | None = None

    @property
    def description(self) -> str:
        return gunicorn_description(self)

    def start(self) -> None:
        self.port = free_port()
        # The deployment's own configuration; bind, workers and threads through its
        # GUNICORN_* variables. Access and error logs (and Django's) go to self.logfile.
        cmd = [str(VENV_BIN / "gunicorn")]
        if GUNICORN_CONF.exists():
            cmd += ["-c", str(GUNICORN_CONF)]
        cmd += [
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--threads",
            str(self.threads),
            *(["--max-requests", str(self.max_requests)] if self.max_requests is not None else []),
            "--chdir",
            str(ROOT),
            "lms.wsgi:application",
        ]
        env = {
            **self.env,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": str(self.workers),
            "GUNICORN_THREADS": str(self.threads),
        }
        with self.logfile.open("ab") as output:
            self.process = subprocess.Popen(
                cmd,
                env=env,
                cwd=ROOT,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + MAX_WAIT_SECONDS
        for _attempt in range(MAX_WAIT_SECONDS * 10):
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited ({self.process.returncode}); see {self.logfile}")
            with contextlib.suppress(OSError):
                status, _body = fetch(self.port, "/healthz", timeout=2)
                if status == 200:
                    return
            if time.monotonic() > deadline:
                break
            time.sleep(0.1)
        self.stop()
        raise SystemExit(f"gunicorn did not answer within {MAX_WAIT_SECONDS}s; see {self.logfile}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # the arbiter stops its own workers
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


WRK_LINE = re.compile(r"^WRK_RESULT (.*)$", re.MULTILINE)


def wrk(port: int, path: str, *, duration: int, connections: int, threads: int, cookie: str):
    cmd = [
        "/usr/bin/wrk",
        f"-t{min(threads, connections)}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(LUA_SCRIPT),
        "-H",
        f"Host: {HOST}",
    ]
    if cookie:
        cmd += ["-H", f"Cookie: {cookie}"]
    cmd.append(f"http://127.0.0.1:{port}{path}")
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60)
    match = WRK_LINE.search(result.stdout)
    if result.returncode != 0 or match is None:
        raise SystemExit(f"wrk failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    values = dict(item.split("=", 1) for item in match.group(1).split())
    return {key: float(value) for key, value in values.items()}


@dataclass
class LoadResult:
    page: str
    who: str
    lessons: int
    path: str
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    requests: int
    errors: int
    single_p50_ms: float | None = None


@dataclass
class SizeResult:
    size: Size
    queries: dict
    counts: dict
    build_seconds: dict
    load: list[LoadResult] = field(default_factory=list)
    server_errors: dict[str, int] = field(default_factory=dict)
    loadavg: tuple[float, ...] = ()
    worker_restarts: int = 0


def server_errors(logfile: Path) -> dict[str, int]:
    """Exceptions in the gunicorn/Django log, by their last traceback line."""
    tally: dict[str, int] = {}
    key = ""
    if logfile.exists():
        for line in logfile.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith(("The above exception", "During handling of the above")):
                if key in tally:  # a chained traceback: count only its last exception
                    tally[key] -= 1
                continue
            match = re.match(r"^([\w.]+(?:Error|Exception)): (.*)$", line)
            if match:
                key = f"{match.group(1)}: {match.group(2)[:80]}"
                tally[key] = tally.get(key, 0) + 1
    return {error: count for error, count in tally.items() if count > 0}


# Pages put under load: (page, who, marker that must be in the response).
LOAD_CASES = (
    ("lesson", "anonymous", 'class="card gate"'),
    ("lesson", "learner", 'class="lesson-actions card"'),
    ("course", "learner", 'class="progress-label"'),
    ("catalogue", "anonymous", 'class="card course-card"'),
    ("reference", "anonymous", 'class="reference-title"'),
    ("reference", "learner", 'class="reference-title"'),
)


def check_page(
    port: int, path: str, cookie: str, marker: str, logfile: Path, expect_cards: int = 0
) -> None:
    """Refuse to benchmark an error page, a login redirect or a page for the wrong visitor."""
    status, body = fetch(port, path, cookie)
    if status != 200 or marker not in body:
        tail = logfile.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise SystemExit(
            f"{tail}\nGET {path}: HTTP {status}, marker {marker!r} missing — not benchmarking"
        )
    if expect_cards and body.count(marker) != expect_cards:
        raise SystemExit(f"GET {path}: {body.count(marker)} course cards, expected {expect_cards}")


def collectstatic(env: dict, static_root: Path) -> None:
    """The production settings keep static files in a manifest storage: collect them into the
    temporary STATIC_ROOT (DASI_STATIC_ROOT), or every page would fail to render."""
    run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"], env, 600)
    if not static_root.joinpath("staticfiles.json").exists():
        raise SystemExit(
            f"collectstatic did not write {static_root}/staticfiles.json: STATIC_ROOT is not "
            "configurable through DASI_STATIC_ROOT in these settings"
        )


def bench_size(size: Size, args, db: Database, base_env: dict, workdir: Path, static_root: Path):
    url = db.create()
    log(f"{size.label}: database {url}")
    dev_env = {**base_env, "DJANGO_SETTINGS_MODULE": DEV_SETTINGS, "DATABASE_URL": url}
    prod_env = {
        **base_env,
        "DJANGO_SETTINGS_MODULE": PRODUCTION_SETTINGS,
        "DATABASE_URL": url,
        # Production shares its cache and broker between processes: Redis, not locmem.
        "CACHE_URL": os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/1"),
        "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0"),
    }
    gunicorn = Gunicorn(
        env=prod_env,
        workers=args.workers,
        threads=args.threads,
        max_requests=args.max_requests,
        logfile=workdir / f"gunicorn-{size.lessons}.log",
    )
    result: SizeResult | None = None
    try:
        run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], dev_env, 900)
        log(f"{size.label}: building data and counting queries ({DEV_SETTINGS})")
        out = workdir / f"prepare-{size.lessons}.json"
        run(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "--prepare",
                str(out),
                "--lessons",
                str(size.lessons),
                "--learners",
                str(size.learners),
                "--courses",
                str(size.courses),
            ],
            dev_env,
            3600,
        )
        data = json.loads(out.read_text(encoding="utf-8"))
        result = SizeResult(
            size=size,
            queries=data["queries"],
            counts=data["counts"],
            build_seconds=data["build_seconds"],
        )
        log(f"{size.label}: built in {data['build_seconds']}; queries {data['queries']}")
        if args.skip_load:
            return result
        cookie = "; ".join(f"{k}={v}" for k, v in data["cookies"].items())
        collectstatic(prod_env, static_root)  # now: a template may have gained a static file
        result.loadavg = tuple(round(n, 2) for n in os.getloadavg())
        gunicorn.start()
        log(f"{size.label}: gunicorn ({gunicorn.description}) on 127.0.0.1:{gunicorn.port}")
        for page, who, marker in LOAD_CASES:
            path = data["urls"][page]
            who_cookie = cookie if who == "learner" else ""
            check_page(
                gunicorn.port,
                path,
                who_cookie,
                marker,
                gunicorn.logfile,
                expect_cards=size.courses if page == "catalogue" else 0,
            )
            common = {"threads": args.threads_wrk, "cookie": who_cookie}
            wrk(gunicorn.port, path, duration=args.warmup, connections=args.connections, **common)
            single = wrk(
                gunicorn.port, path, duration=args.single_duration, connections=1, **common
            )
            loaded = wrk(
                gunicorn.port, path, duration=args.duration, connections=args.connections, **common
            )
            errors = sum(int(v) for k, v in loaded.items() if k.startswith("errors_"))
            result.load.append(
                LoadResult(
                    page=page,
                    who=who,
                    lessons=size.lessons,
                    path=path,
                    rps=loaded["rps"],
                    p50_ms=loaded["p50_us"] / 1000,
                    p95_ms=loaded["p95_us"] / 1000,
                    p99_ms=loaded["p99_us"] / 1000,
                    requests=int(loaded["requests"]),
                    errors=errors,
                    single_p50_ms=single["p50_us"] / 1000 if single["requests"] else None,
                )
            )
            log(
                f"{size.label}: {page} ({who}) {loaded['rps']:.0f} req/s, "
                f"p50 {loaded['p50_us'] / 1000:.1f} ms, p95 {loaded['p95_us'] / 1000:.1f} ms, "
                f"errors {errors}; 1 connection p50 {single['p50_us'] / 1000:.1f} ms "
                f"({single['requests']:.0f} requests)"
            )
        return result
    finally:
        gunicorn.stop()
        if result is not None:
            result.server_errors = server_errors(gunicorn.logfile)
            if gunicorn.logfile.exists():
                result.worker_restarts = gunicorn.logfile.read_text(
                    encoding="utf-8", errors="replace"
                ).count("Autorestarting worker")
        db.drop()


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def machine(db_description: str, gunicorn_description: str, args) -> list[tuple[str, str]]:
    from importlib.metadata import version

    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    wrk_version = subprocess.run(
        ["/usr/bin/wrk", "--version"], capture_output=True, text=True, timeout=10
    ).stdout.splitlines()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=10,
    ).stdout.strip()
    changed = [
        line[3:]
        for line in subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.splitlines()
        if not line[3:].startswith(("benchmarks/", "docs/"))
    ]
    dirty = f" + uncommitted changes to {', '.join(changed)}" if changed else ""
    load = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else []
    return [
        ("Date", dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ("Commit", f"{commit}{dirty}"),
        ("CPU", f"{os.cpu_count()} × {cpu} (nproc {len(os.sched_getaffinity(0))})"),
        ("Memory", memory),
        ("OS", f"{platform.system()} {platform.release()}"),
        ("Load average before the run", " ".join(load)),
        (
            "Software",
            f"Python {platform.python_version()}, Django {version('django')}, "
            f"Wagtail {version('wagtail')}, gunicorn {version('gunicorn')}, "
            f"{wrk_version[0].split(' [')[0] if wrk_version else 'wrk'}",
        ),
        ("Database", db_description),
        ("Server", f"gunicorn, {PRODUCTION_SETTINGS}, {gunicorn_description}, 127.0.0.1"),
        (
            "Load",
            f"wrk -t{min(args.threads_wrk, args.connections)} -c{args.connections} "
            f"-d{args.duration}s on loopback after a {args.warmup}s warm-up; "
            f"“1 conn p50” is a separate {args.single_duration}s run with one connection",
        ),
    ]


def queries_table(results: list[SizeResult]) -> list[str]:
    small, large = results[0], results[-1]
    lines = [
        f"| Page | Visitor | {small.size.lessons} lessons | {large.size.lessons} lessons | "
        "Grows? |",
        "|---|---|--:|--:|---|",
    ]
    names = {
        "home": "Centre home `/` (catalogue)",
        "catalogue": "Catalogue `/courses/`",
        "course": "Course page",
        "lesson": f"Lesson page (lesson {BENCH_LESSON_NUMBER})",
        "offered_course": "Course page, offered by a 2nd centre (alias)",
        "offered_lesson": "Lesson page, offered by a 2nd centre (alias)",
        "reference": "Plain Wagtail page (reference)",
    }
    for page, label in names.items():
        for who in small.queries[page]:
            a = small.queries[page][who]
            b = large.queries[page][who]
            verdict = "no" if a == b else f"**yes (+{b - a})**"
            lines.append(f"| {label} | {who} | {a} | {b} | {verdict} |")
    return lines


def _target(row: LoadResult, reference: LoadResult | None) -> str:
    if row.page != "lesson":
        return ""
    if row.who == "anonymous":
        met = row.p95_ms <= LESSON_TARGET_P95_MS
        return ("yes" if met else "**no**") + f" (p95 ≤ {LESSON_TARGET_P95_MS:.0f} ms)"
    checks = [row.p95_ms <= LEARNER_TARGET_P95_MS, row.rps >= LEARNER_TARGET_RPS]
    wanted = f"≥ {LEARNER_TARGET_RPS:.0f} req/s, p95 ≤ {LEARNER_TARGET_P95_MS:.0f} ms"
    if reference is not None:
        checks.append(row.rps >= REFERENCE_TARGET_RATIO * reference.rps)
        wanted += f", ≥ {REFERENCE_TARGET_RATIO}× reference"
    return ("yes" if all(checks) else "**no**") + f" ({wanted})"


def load_table(results: list[SizeResult]) -> list[str]:
    lines = [
        "| Page | Visitor | Lessons | req/s | × reference | p50 ms | p95 ms | p99 ms | "
        "1 conn p50 ms | Requests | Errors | Target met? |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for result in results:
        references = {row.who: row for row in result.load if row.page == "reference"}
        for row in result.load:
            reference = references.get(row.who)
            ratio = f"{row.rps / reference.rps:.2f}" if reference and reference.rps else "n/a"
            single = "n/a" if row.single_p50_ms is None else f"{row.single_p50_ms:.1f}"
            lines.append(
                f"| {row.page} | {row.who} | {row.lessons} | {row.rps:.0f} | {ratio} | "
                f"{row.p50_ms:.1f} | {row.p95_ms:.1f} | {row.p99_ms:.1f} | {single} | "
                f"{row.requests} | {row.errors} | {_target(row, reference)} |"
            )
    return lines


def report(results: list[SizeResult], machine_rows, args, database: str) -> str:
    start, end = MARKERS[database]
    title = "SQLite" if database == "sqlite" else "PostgreSQL"
    lines = [start, "", f"## Page benchmark, {title} (`benchmarks/pages.py`)", ""]
    lines += ["| | |", "|---|---|"]
    lines += [f"| {key} | {value} |" for key, value in machine_rows]
    lines += ["", "Data sizes (built with the project's services; pages published in Wagtail):", ""]
    for result in results:
        c = result.counts
        lines.append(
            f"- {result.size.lessons} lessons in the benchmark course, {c['courses']} courses "
            f"in the catalogue, {c['learners']} learners enrolled, {c['progress_rows']} "
            f"lesson-progress rows (built in {result.build_seconds['pages']} s + "
            f"{result.build_seconds['learners']} s)"
            + (
                f"; load average {' '.join(map(str, result.loadavg))} when its load runs began"
                " (counting this benchmark's own earlier runs)."
                if result.loadavg
                else "."
            )
        )
    if not args.skip_load:
        lines += ["", "### Under load", ""]
        lines += load_table(results)
        lines += [
            "",
            "wrk keeps every connection busy (a closed loop), so latency is mostly queueing: "
            "mean latency ≈ connections ÷ req/s. “1 conn p50” is the time one request takes on "
            "an otherwise idle server. Errors are non-2xx/3xx responses and socket errors. "
            "“× reference” is the page's req/s over the plain Wagtail page's "
            "(benchmarks/reference: a title and a rich-text body holding the same text as "
            "the lesson, Wagtail's own routing and serve) for the same visitor in the same "
            "run, served by the same gunicorn and database.",
        ]
        errors = [
            f"- {result.size.lessons} lessons: {count} × `{error}`"
            for result in results
            for error, count in sorted(result.server_errors.items(), key=lambda i: -i[1])[:5]
        ]
        if errors:
            lines += ["", "Exceptions in the server log:", "", *errors]
        restarts = [
            f"{result.size.lessons} lessons: {result.worker_restarts}"
            for result in results
            if result.worker_restarts
        ]
        if restarts:
            lines += [
                "",
                "gunicorn recycled workers (`max_requests`) during the runs — "
                + ", ".join(restarts)
                + " times; requests that arrive while the new workers start wait for them.",
            ]
    lines += [
        "",
        "### SQL queries per page",
        "",
        "Django test client, second request (the first warms caches); "
        "“learner” is logged in and enrolled in the course.",
        "",
    ]
    lines += queries_table(results)
    lines += ["", end]
    return "\n".join(lines) + "\n"


INTRO = """# Benchmarks

Repeatable measurements of Dasi. Compare only runs made with the same command on the same
machine, and read the machine table first: a run while tests or a build share the CPU (see the
load average) is not comparable with a run on a quiet machine.

## How to run

    make bench                                     # runs benchmarks/pages.py (see the Makefile)
    .venv/bin/python benchmarks/pages.py --write   # the same, and rewrites the results below

Options: `--duration 15` (seconds per wrk run), `--connections 32`, `--database-url
postgres://postgres@127.0.0.1:5432/dasi_bench` (PostgreSQL instead of a SQLite file; the
database name must contain `bench`: it is dropped and created again), `--workers 5 --threads 1`
(gunicorn with `deploy/gunicorn.conf.py`; the default is 2 × cores + 1 sync workers, `--threads 2`
gives the gthread workers the deploy file defaults to), `--max-requests 0` (no worker recycling;
the default is the deploy file's), `--sizes 10,200`, `--skip-load` (only count queries), `--keep`
(keep the temporary directory with the server log and the SQL of every counted page). Without
`--write` it only prints.

For each data size (10 lessons, 50 learners, 5 courses; then 200 lessons, 1000 learners, 50
courses) the page benchmark builds a throw-away database with the project's services, counts
SQL queries per page with Django's test client, serves the site with gunicorn
(`deploy/gunicorn.conf.py`) and the production settings on 127.0.0.1, and puts the lesson and
catalogue pages under load with wrk (`benchmarks/wrk_report.lua` reports req/s and latency
percentiles), with a plain Wagtail page (`benchmarks/reference`) as the yardstick in the same
run. Targets on the 2-core benchmark machine at 32 connections: anonymous lesson page p95 ≤ 50
ms; learner lesson page ≥ 300 req/s, p95 ≤ 150 ms and ≥ 0.5× the reference page signed in;
≤ 8 queries on the learner's lesson and course pages, and queries per page that do not grow
with the number of lessons, courses or learners.

"""


def write_doc(section: str, database: str) -> None:
    DOC.parent.mkdir(parents=True, exist_ok=True)
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else INTRO
    start, end = MARKERS[database]
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end) + r"\n?", re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section, text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOC.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=15, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads-wrk", type=int, default=2, help="wrk threads")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of wrk before measuring")
    parser.add_argument(
        "--single-duration", type=int, default=5, help="seconds of the one-connection run"
    )
    parser.add_argument("--database-url", default=None, help="postgres://…/dasi_bench")
    cores = len(os.sched_getaffinity(0))
    parser.add_argument("--workers", type=int, default=2 * cores + 1)
    # Sync workers by default: the pages are CPU-bound, and with keep-alive connections the
    # gthread worker (deploy/gunicorn.conf.py's default of 2 threads) leaves some requests
    # waiting ~1 s even when the page comes from the cache in under a millisecond.
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per worker (>1: gthread workers)"
    )
    parser.add_argument(
        "--max-requests",
        type=int,
        default=None,
        help="gunicorn max_requests (default: deploy/gunicorn.conf.py's; 0 turns recycling off)",
    )
    parser.add_argument("--write", action="store_true", help="rewrite docs/benchmarks.md")
    parser.add_argument("--skip-load", action="store_true", help="only count queries")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument(
        "--sizes",
        type=lambda text: {int(n) for n in text.split(",")},
        default={size.lessons for size in SIZES},
        help="which data sizes to run, by lesson count (default: 10,200)",
    )
    parser.add_argument("--prepare", help=argparse.SUPPRESS)
    parser.add_argument("--lessons", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--learners", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--courses", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        child_prepare(args)
        return
    if not Path("/usr/bin/wrk").exists() and not args.skip_load:
        raise SystemExit("wrk not found at /usr/bin/wrk (apt-get install wrk)")

    workdir = Path(tempfile.mkdtemp(prefix="dasi-bench-"))
    static_root = workdir / "static"
    alphabet = string.ascii_letters + string.digits
    base_env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
        "DJANGO_SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(64)),
        "DASI_KEY_ENCRYPTION_KEY": "".join(secrets.choice(alphabet) for _ in range(64)),
        "DJANGO_ALLOWED_HOSTS": f"{HOST},{OFFER_HOST},127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SESSION_COOKIE_SECURE": "false",
        "DJANGO_CSRF_COOKIE_SECURE": "false",
        "DASI_STATIC_ROOT": str(static_root),
        "DASI_MEDIA_ROOT": str(workdir / "media"),
        "CELERY_BROKER_URL": "memory://",
        "BENCH_PASSWORD": secrets.token_urlsafe(16),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    db = Database(args.database_url, workdir)
    log(f"working in {workdir}")
    results: list[SizeResult] = []
    try:
        machine_rows = machine(db.describe(), gunicorn_description(args), args)
        for size in (s for s in SIZES if s.lessons in args.sizes):
            results.append(bench_size(size, args, db, base_env, workdir, static_root))
    finally:
        db.drop()
        if args.keep:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    database = "postgresql" if db.is_postgres else "sqlite"
    section = report(results, machine_rows, args, database)
    print(section)
    print(json.dumps([asdict(r) for r in results], default=str), file=sys.stderr)
    if args.write:
        write_doc(section, database)
        log(f"wrote {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
