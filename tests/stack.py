"""Dasi as a service on this machine: gunicorn instances and Celery workers with the production
settings, against one PostgreSQL and one Redis, for the scale-out and fault tests and the load
and fault benchmarks.

The world (a centre, a course whose notebook exercise decides completion, learners, a
counsellor, an admin, a cohort that completed a course) is built once into a template database
(`python -m tests.stack seed`, in a child process) and cloned for each use, so a test costs a
`CREATE DATABASE ... TEMPLATE`. Redis is a redis-server of the stack's own on a port of its
own (restartable, nothing shared with other users of the machine's Redis); PostgreSQL is the
machine's at 127.0.0.1:5432 or, to restart it, a cluster of the stack's own (`PgCluster`).
Every process is started in its own session and stopped by its own id.
"""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
NOTEBOOKS = ROOT / "tests" / "assessments" / "notebooks"
CACHE_DIR = ROOT / "var" / "stack"
HOST = "dongtan.localhost"
PASSWORD = "correct-horse-battery-staple"  # the factories' password (tests.factories.PASSWORD)
# Fixed, because the template keeps the centre's signing key encrypted with it: test data only.
SECRET_KEY = "stack-secret-key-only-for-the-tests-on-this-machine-0123456789abcdef"
KEK = "stack-key-encryption-key-only-for-the-tests-0123456789abcdef"
MACHINE_PG = "postgres://postgres@127.0.0.1:5432"
COHORT = 40  # learners who completed the cohort course (the bulk certificate run)
LOAD_LEARNERS = 32
PORT_BASE = int(os.environ.get("DASI_STACK_PORT_BASE", "18200"))
_next_port = [PORT_BASE]


def free_port() -> int:
    """The next free port from DASI_STACK_PORT_BASE up (one range per user of the machine)."""
    while True:
        port = _next_port[0]
        _next_port[0] += 1
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port


def wait_for(predicate, *, timeout: float, what: str, interval: float = 0.2):
    """Poll until predicate() is truthy and return it; fail saying what did not happen."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not within {timeout:.0f} s")
        time.sleep(interval)


def _stop(process: subprocess.Popen | None, *, sig=signal.SIGTERM, timeout: float = 20) -> None:
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


# --- Services the stack runs itself --------------------------------------------------------


@dataclass
class Redis:
    """A redis-server of the stack's own. No persistence: a restart loses every queued message,
    the worst case a broker restart can bring."""

    workdir: Path
    port: int = 0
    process: subprocess.Popen | None = None

    def start(self) -> None:
        self.port = self.port or free_port()
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(  # noqa: S603
            [
                shutil.which("redis-server") or "/usr/bin/redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=(self.workdir / "redis.log").open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(self.ping, timeout=20, what=f"redis-server on {self.port}")

    def ping(self) -> bool:
        with (
            contextlib.suppress(OSError),
            socket.create_connection(("127.0.0.1", self.port), 1) as s,
        ):
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
        return False

    def command(self, *args: str) -> bytes:
        """One command through the RESP protocol (enough for LLEN, DBSIZE, FLUSHDB here)."""
        payload = f"*{len(args)}\r\n" + "".join(f"${len(a)}\r\n{a}\r\n" for a in args)
        with socket.create_connection(("127.0.0.1", self.port), 2) as s:
            s.sendall(payload.encode())
            return s.recv(4096)

    def stop(self) -> None:
        _stop(self.process)
        self.process = None


@dataclass
class PgCluster:
    """A PostgreSQL cluster of the stack's own (initdb into a temporary folder, as the
    `postgres` user when run as root), so it can be stopped and started again."""

    workdir: Path
    port: int = 0
    user: str = "postgres"

    @property
    def data(self) -> Path:
        return self.workdir / "data"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}"

    def _bin(self, name: str) -> str:
        found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
        if not found:
            raise FileNotFoundError(f"no PostgreSQL {name} under /usr/lib/postgresql")
        return str(found[-1])

    def _run(self, *cmd: str, timeout: float = 60) -> None:
        prefix = ["runuser", "-u", self.user, "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *cmd], check=True, timeout=timeout, capture_output=True)  # noqa: S603

    def init(self) -> None:
        self.port = self.port or free_port()
        self.workdir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.workdir, self.user)
        self._run(self._bin("initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust")

    def start(self) -> None:
        self._run(
            self._bin("pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.workdir / "postgres.log"),
            "-o",
            f"-p {self.port} -k {self.workdir} -c listen_addresses=127.0.0.1 -c fsync=off",
            "-w",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run(self._bin("pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")


def pg_admin(server: str = MACHINE_PG):
    import psycopg

    return psycopg.connect(f"{server}/postgres", autocommit=True)


def sql(database_url: str, query: str, *params):
    """Rows of one query on the stack's database (the test process has no Django connection
    there)."""
    import psycopg

    with psycopg.connect(database_url, connect_timeout=5) as conn:
        return conn.execute(query, params).fetchall()


# --- The world, built once -----------------------------------------------------------------


def _fingerprint() -> str:
    digest = hashlib.sha256()
    paths = sorted(ROOT.glob("*/migrations/*.py")) + sorted(ROOT.glob("lms/*/migrations/*.py"))
    for path in [*paths, NOTEBOOKS / "source.ipynb"]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    digest.update(inspect.getsource(seed).encode())
    return digest.hexdigest()[:12]


def seed() -> None:
    """Build the stack's world into the database of DATABASE_URL (run in a child process)."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import hashers
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from allauth.account.models import EmailAddress

    from assessments.models import Assessment, CourseAssessment
    from courses.services import page_publish
    from lms.accounts.models import Role, User
    from lms.learning.models import Enrolment
    from lms.learning.services import enrolment_create, lesson_complete
    from lms.privacy.models import Purpose
    from lms.privacy.services import record_consents
    from lms.privacy.texts import CURRENT_VERSION
    from tests.factories import lessons_of, make_centre, make_course, make_quiz, member

    # One real (production) hash for every seeded person, computed once: hashing each is slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    hashers.get_hashers.cache_clear()
    hashers.get_hashers_by_algorithm.cache_clear()
    centre = make_centre("dongtan", default=True)
    course = make_course(centre, "stack-course", lessons=2, translate=False)
    cohort_course = make_course(centre, "cohort-course", lessons=1, translate=False)
    exercise = Assessment(
        centre=centre, title="파이썬 기초 실습", kind=Assessment.Kind.NOTEBOOK, max_attempts=5
    )
    exercise.notebook_source.save(
        "source.ipynb", ContentFile((NOTEBOOKS / "source.ipynb").read_bytes()), save=False
    )
    exercise.save()
    lesson = lessons_of(course)[0]
    lesson.body = [
        *lesson.body.raw_data,
        {"type": "notebook", "value": {"assessment": exercise.pk, "introduction": ""}},
    ]
    page_publish(lesson)
    CourseAssessment.objects.create(course=course, assessment=exercise, weight=1, required=True)
    quiz_course = make_course(centre, "quiz-course", lessons=2, translate=False)
    make_quiz(centre, quiz_course)

    def person(role: str, username: str):
        user = member(centre, role, username=username)
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        # As at sign-up: the consent form answered, so pages are not the consent page.
        record_consents(
            user=user, purposes=list(Purpose.values), text_version=CURRENT_VERSION, language="ko"
        )
        return user

    learners = [person(Role.LEARNER, "stack-learner"), person(Role.LEARNER, "stack-learner-2")]
    for learner in learners:
        enrolment_create(user=learner, course=course, centre=centre)
        for page in lessons_of(course):
            lesson_complete(user=learner, lesson=page)
    person(Role.COUNSELLOR, "stack-counsellor")
    person(Role.CENTRE_ADMIN, "stack-admin")
    for number in range(LOAD_LEARNERS):
        learner = person(Role.LEARNER, f"load-learner-{number}")
        enrolment_create(user=learner, course=quiz_course, centre=centre)
        enrolment_create(user=learner, course=course, centre=centre)
    cohort = []
    for number in range(COHORT):
        learner = person(Role.LEARNER, f"cohort-{number}")
        cohort.append(enrolment_create(user=learner, course=cohort_course, centre=centre).pk)
    # Completed without the completion signal: the bulk run, not the automatic issue, is tested.
    Enrolment.objects.filter(pk__in=cohort).update(
        status=Enrolment.Status.COMPLETED, completed_at=timezone.now()
    )
    User.objects.update(
        password=hashers.PBKDF2PasswordHasher().encode(
            PASSWORD, hashers.PBKDF2PasswordHasher().salt()
        )
    )
    print(json.dumps({"exercise": exercise.pk, "lesson": lesson.pk}))


def _manage(env: dict, *args: str, timeout: float = 600) -> str:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


@dataclass
class World:
    """The template database and files: built once per fingerprint, cloned per stack."""

    name: str
    files: Path  # media/, private/ and static/ of the template
    ids: dict


def world(server: str = MACHINE_PG) -> World:
    key = _fingerprint()
    name = f"dasi_scaleout_tpl_{key}"
    files = CACHE_DIR / key
    ready = files / "ready.json"
    with pg_admin(server) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and ready.exists():
            return World(name, files, json.loads(ready.read_text()))
        stale = conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE 'dasi\\_scaleout\\_tpl\\_%%'"
        ).fetchall()
        for (old,) in stale:  # worlds of earlier migrations or seeds
            conn.execute(f'DROP DATABASE IF EXISTS "{old}"')
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    shutil.rmtree(files, ignore_errors=True)
    env = base_env(
        database_url=f"{server}/{name}", files=files, broker="memory://", cache="locmemcache://seed"
    )
    env["DJANGO_SETTINGS_MODULE"] = "lms.settings.dev"
    env["CELERY_TASK_ALWAYS_EAGER"] = "true"
    _manage(env, "migrate", "--no-input", "-v", "0")
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tests.stack", "seed"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"seeding the stack failed:\n{out.stderr[-3000:]}")
    ids = json.loads(out.stdout.strip().splitlines()[-1])
    prod = base_env(database_url=f"{server}/{name}", files=files, broker="redis://127.0.0.1:1/0")
    _manage(prod, "collectstatic", "--no-input", "-v", "0")
    ready.write_text(json.dumps(ids))
    return World(name, files, ids)


def world_copy(template: World, server: str) -> World:
    """The world's template database copied into another PostgreSQL server (a PgCluster)."""
    with pg_admin(server) as conn:
        conn.execute(f'CREATE DATABASE "{template.name}"')
    dump = subprocess.run(  # noqa: S603
        ["pg_dump", "--no-owner", "-d", f"{MACHINE_PG}/{template.name}"],  # noqa: S607
        capture_output=True,
        check=True,
        timeout=300,
    )
    subprocess.run(  # noqa: S603
        ["psql", "-q", "-v", "ON_ERROR_STOP=1", "-d", f"{server}/{template.name}"],  # noqa: S607
        input=dump.stdout,
        capture_output=True,
        check=True,
        timeout=300,
    )
    return template


def base_env(*, database_url: str, files: Path, broker: str, cache: str = "") -> dict:
    """The production settings, as an operator sets them, for http on loopback."""
    keep = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DASI_", "CELERY_"))
    }
    keep.pop("DATABASE_URL", None)
    keep.pop("CACHE_URL", None)
    return {
        **keep,
        "DJANGO_SETTINGS_MODULE": "lms.settings.production",
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": ".localhost,127.0.0.1",
        "DATABASE_URL": database_url,
        "CACHE_URL": cache or broker.rsplit("/", 1)[0] + "/1",
        "CELERY_BROKER_URL": broker,
        "DASI_KEY_ENCRYPTION_KEY": KEK,
        "DASI_MEDIA_ROOT": str(files / "media"),
        "DASI_PRIVATE_ROOT": str(files / "private"),
        "DASI_STATIC_ROOT": str(files / "static"),
        # Plain http on loopback: no TLS proxy in front.
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SESSION_COOKIE_SECURE": "false",
        "DJANGO_CSRF_COOKIE_SECURE": "false",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }


# --- The running stack ----------------------------------------------------------------------


@dataclass
class Process:
    name: str
    cmd: list[str]
    env: dict
    log: Path
    process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(  # noqa: S603
                self.cmd,
                cwd=ROOT,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        _stop(self.process, timeout=30)

    def kill(self) -> None:
        """SIGKILL to the whole process group: master, pool children and their sandboxes."""
        _stop(self.process, sig=signal.SIGKILL)

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@dataclass
class Stack:
    """One database cloned from the world, one Redis, any number of web instances and workers."""

    workdir: Path
    server: str = MACHINE_PG  # the PostgreSQL server (the machine's, or a PgCluster's URL)
    visibility_timeout: int = 900
    web_workers: int | None = 2  # None: deploy/gunicorn.conf.py's own workers and threads
    extra_env: dict = field(default_factory=dict)
    database: str = ""
    redis: Redis | None = None
    processes: dict[str, Process] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)
    ids: dict = field(default_factory=dict)

    @property
    def database_url(self) -> str:
        return f"{self.server}/{self.database}"

    def env(self) -> dict:
        env = base_env(
            database_url=self.database_url,
            files=self.workdir,
            broker=f"redis://127.0.0.1:{self.redis.port}/0",
        )
        env["DASI_BROKER_VISIBILITY_TIMEOUT"] = str(self.visibility_timeout)
        return {**env, **self.extra_env}

    def shell(self, code: str) -> str:
        """Run Python in a Django shell on the stack (production settings, its broker)."""
        return _manage(self.env(), "shell", "-c", code, timeout=120)

    def start(self, template: World | None = None) -> Stack:
        template = template or world(self.server)
        self.ids = template.ids
        self.database = f"dasi_scaleout_{os.getpid()}_{int(time.time() * 1000) % 10**8}"
        with pg_admin(self.server) as conn:
            conn.execute(f'CREATE DATABASE "{self.database}" TEMPLATE "{template.name}"')
        for part in ("media", "private", "static"):
            if (template.files / part).exists():
                shutil.copytree(template.files / part, self.workdir / part, dirs_exist_ok=True)
        self.redis = Redis(self.workdir / "redis")
        self.redis.start()
        return self

    def web(self, name: str) -> int:
        port = free_port()
        env = {**self.env(), "GUNICORN_BIND": f"127.0.0.1:{port}"}
        if self.web_workers:
            env.update(GUNICORN_WORKERS=str(self.web_workers), GUNICORN_THREADS="1")
        cmd = [str(VENV_BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py")]
        proc = Process(name, [*cmd, "lms.wsgi:application"], env, self.workdir / f"{name}.log")
        proc.start()
        self.processes[name], self.ports[name] = proc, port
        wait_for(lambda: self._answers(port), timeout=180, what=f"gunicorn {name} on {port}")
        return port

    def _answers(self, port: int) -> bool:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1) as s:
            s.sendall(b"GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
            return s.makefile("rb").readline().split(b" ")[1:2] == [b"200"]
        return False

    def worker(self, name: str, *, concurrency: int = 1) -> Process:
        cmd = [
            str(VENV_BIN / "celery"),
            "-A",
            "lms",
            "worker",
            "-Q",
            "default,grading",  # both queues: either worker may grade (CELERY_TASK_ROUTES)
            "-n",
            f"{name}@%h",
            "--concurrency",
            str(concurrency),
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
        proc = Process(name, cmd, self.env(), self.workdir / f"{name}.log")
        proc.start()
        self.processes[name] = proc
        wait_for(lambda: "ready." in proc.output(), timeout=180, what=f"celery worker {name}")
        return proc

    def celery_call(self, task: str, kwargs: dict | None = None) -> None:
        """Queue a task by name on the stack's broker, as beat would."""
        subprocess.run(  # noqa: S603
            [
                str(VENV_BIN / "celery"),
                "-A",
                "lms",
                "call",
                task,
                "--kwargs",
                json.dumps(kwargs or {}),
            ],
            cwd=ROOT,
            env=self.env(),
            check=True,
            capture_output=True,
            timeout=120,
        )

    def stop(self) -> None:
        for proc in self.processes.values():
            proc.stop()
        self.processes.clear()
        if self.redis is not None:
            self.redis.stop()
        if self.database:
            with contextlib.suppress(Exception), pg_admin(self.server) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')


@contextlib.contextmanager
def running_stack(template: World | None = None, **kwargs):
    """A started stack in a temporary folder, stopped and removed at the end."""
    workdir = Path(tempfile.mkdtemp(prefix="dasi-stack-"))
    stack = Stack(workdir, **kwargs)
    try:
        yield stack.start(template)
    finally:
        stack.stop()
        shutil.rmtree(workdir, ignore_errors=True)


# --- A person's browser ---------------------------------------------------------------------


class Browser:
    """A requests session that reaches each instance at 127.0.0.1:<port> under the centre's
    host name: cookies are kept per host name, as a browser behind one address keeps them."""

    def __init__(self):
        import requests

        self.http = requests.Session()

    def url(self, port: int, path: str) -> str:
        return f"http://127.0.0.1:{port}{path}"

    def get(self, port: int, path: str, **kwargs):
        kwargs.setdefault("timeout", 30)
        kwargs.setdefault("allow_redirects", False)
        return self.http.get(
            self.url(port, path), headers={"Host": HOST, **kwargs.pop("headers", {})}, **kwargs
        )

    def post(self, port: int, path: str, data: dict | None = None, **kwargs):
        token = self.http.cookies.get("csrftoken") or self._csrf(port, path)
        kwargs.setdefault("timeout", 60)
        kwargs.setdefault("allow_redirects", False)
        headers = {"Host": HOST, "X-CSRFToken": token, **kwargs.pop("headers", {})}
        return self.http.post(
            self.url(port, path),
            data={"csrfmiddlewaretoken": token, **(data or {})},
            headers=headers,
            **kwargs,
        )

    def _csrf(self, port: int, path: str) -> str:
        self.get(port, path)
        token = self.http.cookies.get("csrftoken")
        if not token:
            page = self.get(port, "/accounts/login/")
            found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
            token = self.http.cookies.get("csrftoken") or (found.group(1) if found else "")
        return token

    def sign_in(self, port: int, username: str, password: str = PASSWORD, *, prefix: str = ""):
        self.get(port, f"{prefix}/accounts/login/")
        return self.post(
            port, f"{prefix}/accounts/login/", {"login": username, "password": password}
        )


def notebook(name: str, *, sleep_s: float = 0) -> bytes:
    """A golden submission, optionally made slow (a pause in the learner's first answer cell)
    so that a worker can be killed while it grades."""
    data = json.loads((NOTEBOOKS / name).read_text())
    if sleep_s:
        for cell in data["cells"]:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if cell["cell_type"] == "code" and meta.get("solution"):
                source = "".join(cell["source"])
                cell["source"] = f"import time\ntime.sleep({sleep_s})\n{source}"
                break
    return json.dumps(data).encode()


if __name__ == "__main__":
    if sys.argv[1:] == ["seed"]:
        seed()
    else:
        raise SystemExit("usage: python -m tests.stack seed")
