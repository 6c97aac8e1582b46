"""The fault scenarios, each on a stack of its own (tests/stack.py): they cause the fault,
wait for the platform to recover and return what happened as figures. tests/faults asserts on
them; benchmarks/faults.py writes them into docs/benchmarks.md."""

from __future__ import annotations

import re
import socket
import tempfile
import threading
import time
from pathlib import Path

from tests.stack import (
    COHORT,
    Browser,
    PgCluster,
    notebook,
    running_stack,
    sql,
    wait_for,
    world,
    world_copy,
)

EXERCISE = "/assessments/{exercise}/exercise/{lesson}/"
RECEIVED = re.compile(r"Task assessments\.grade_submission\[[\w-]+\] received")


def _gradings(stack) -> list[tuple]:
    return sql(stack.database_url, "SELECT status, score FROM assessments_gradingresult")


def _count(stack, table: str) -> int:
    return sql(stack.database_url, f"SELECT count(*) FROM {table}")[0][0]  # noqa: S608


def worker_killed_mid_grade(*, visibility_timeout: int = 8, sleep_s: float = 6) -> dict:
    """SIGKILL the only grading worker (master, pool child, sandboxes) while it grades a slow
    notebook, start a new one, and wait for the grading. The unacknowledged message returns to
    the queue after the broker's visibility timeout (production keeps it above the longest
    grading; shortened here)."""
    with running_stack(visibility_timeout=visibility_timeout) as stack:
        port = stack.web("web")
        first = stack.worker("worker-1")
        learner = Browser()
        assert learner.sign_in(port, "stack-learner").status_code == 302
        sent = learner.post(
            port,
            EXERCISE.format(**stack.ids),
            files={
                "notebook": ("slow.ipynb", notebook("correct.ipynb", sleep_s=sleep_s), "text/json")
            },
        )
        assert sent.status_code == 302, sent.status_code
        wait_for(lambda: _gradings(stack) == [("running", None)], timeout=60, what="grading")
        first.kill()
        killed_at = time.monotonic()
        at_kill = _gradings(stack)
        second = stack.worker("worker-2")
        restarted_at = time.monotonic()
        wait_for(
            lambda: _gradings(stack)[0][0] == "done",
            timeout=visibility_timeout + 120,
            what="the submission graded after the restart",
            interval=0.5,
        )
        graded_at = time.monotonic()
        wait_for(
            lambda: _count(stack, "certificates_certificate") >= 1,
            timeout=60,
            what="the certificate",
        )
        time.sleep(1)
        return {
            "visibility_timeout_s": visibility_timeout,
            "at_kill": at_kill,
            "gradings": [(s, float(v)) for s, v in _gradings(stack)],
            "attempts": [
                (s, float(v))
                for s, v in sql(stack.database_url, "SELECT status, score FROM assessments_attempt")
            ],
            "certificates": _count(stack, "certificates_certificate"),
            "deliveries": len(RECEIVED.findall(first.output()))
            + len(RECEIVED.findall(second.output())),
            "restart_s": restarted_at - killed_at,
            "graded_after_kill_s": graded_at - killed_at,
        }


def redis_restarted_during_bulk_issue(*, down_s: float = 1) -> dict:
    """Queue a bulk issue of COHORT certificates on two workers, restart Redis (no persistence:
    every queued message is lost) once a few are issued, then let the resume task (beat's,
    called at once here) queue the rest."""
    with running_stack() as stack:
        stack.worker("worker-1")
        stack.worker("worker-2")
        stack.shell(
            "from lms.certificates.models import CertificateBatch\n"
            "from lms.certificates.tasks import issue_in_batch\n"
            "from lms.learning.models import Enrolment\n"
            "from lms.accounts.models import User\n"
            "e = Enrolment.objects.filter(course__slug='cohort-course', status='completed')\n"
            "ids = list(e.values_list('user_id', flat=True))\n"
            "first = e.first()\n"
            "b = CertificateBatch.objects.create(centre=first.centre, course=first.course,"
            " learner_ids=ids, requested_by=User.objects.get(username='stack-admin'))\n"
            "for i in ids: issue_in_batch.delay(b.pk, i)\n"
        )
        started = time.monotonic()
        wait_for(
            lambda: _count(stack, "certificates_certificate") >= 3,
            timeout=180,
            what="the first certificates issued",
        )
        queued = int(stack.redis.command("LLEN", "celery").split(b"\r\n")[0][1:])
        issued_at_stop = _count(stack, "certificates_certificate")
        stopped = time.monotonic()
        stack.redis.stop()
        time.sleep(down_s)
        stack.redis.start()
        down = time.monotonic() - stopped
        time.sleep(3)  # the workers reconnect and finish what they held
        before_resume = _count(stack, "certificates_certificate")
        stack.celery_call("certificates.batches_resume", {"min_age_s": 0})
        wait_for(
            lambda: _count(stack, "certificates_certificate") >= COHORT,
            timeout=300,
            what="every certificate",
            interval=0.5,
        )
        finished = time.monotonic()
        time.sleep(2)  # a duplicate would show up now
        per_learner = sql(
            stack.database_url,
            "SELECT user_id, count(*) FROM certificates_certificate GROUP BY user_id",
        )
        return {
            "cohort": COHORT,
            "queued_at_stop": queued,
            "issued_at_stop": issued_at_stop,
            "redis_down_s": down,
            "issued_before_resume": before_resume,
            "issued": _count(stack, "certificates_certificate"),
            "learners": len(per_learner),
            "most_per_learner": max(count for _user, count in per_learner),
            "distinct_status_indexes": sql(
                stack.database_url,
                "SELECT count(DISTINCT status_index) FROM certificates_certificate",
            )[0][0],
            "batch_errors": sql(
                stack.database_url, "SELECT errors FROM certificates_certificatebatch"
            )[0][0],
            "total_s": finished - started,
        }


def _load(browser: Browser, port: int, paths: list[str], stop: threading.Event, out: list):
    while not stop.is_set():
        for path in paths:
            started = time.monotonic()
            try:
                status = browser.get(port, path, timeout=10).status_code
            except OSError:
                status = 0
            out.append((started, time.monotonic(), status))


def postgresql_restarted_under_load(*, down_s: float = 2, clients: int = 2) -> dict:
    """Signed-in learners read their pages on one gunicorn instance while a PostgreSQL cluster
    of the stack's own is stopped (fast shutdown: connections cut) and started again."""
    template = world()
    with tempfile.TemporaryDirectory(prefix="dasi-pg-") as folder:
        cluster = PgCluster(Path(folder))
        cluster.init()
        cluster.start()
        try:
            world_copy(template, cluster.url)
            with running_stack(template, server=cluster.url) as stack:
                port = stack.web("web")
                pid = stack.processes["web"].process.pid
                browsers = [Browser() for _ in range(clients)]
                for number, browser in enumerate(browsers):
                    name = "stack-learner" if number == 0 else f"load-learner-{number}"
                    assert browser.sign_in(port, name).status_code == 302
                paths = ["/learning/", "/assessments/grades/"]
                stop, results = threading.Event(), []
                threads = [
                    threading.Thread(target=_load, args=(b, port, paths, stop, results))
                    for b in browsers
                ]
                for thread in threads:
                    thread.start()
                try:
                    time.sleep(2)
                    down_at = time.monotonic()
                    cluster.stop()
                    stopped_at = time.monotonic()
                    time.sleep(down_s)
                    cluster.start()
                    up_at = time.monotonic()
                    wait_for(
                        lambda: any(t > up_at and s == 200 for t, _e, s in results),
                        timeout=30,
                        what="a page served after the restart",
                    )
                    time.sleep(2)
                finally:
                    stop.set()
                    for thread in threads:
                        thread.join(30)
                failed = [(t, e, s) for t, e, s in results if s != 200]
                recovered = min(e for t, e, s in results if t > up_at and s == 200)
                return {
                    "requests": len(results),
                    "failed": len(failed),
                    "failed_statuses": sorted({s for _t, _e, s in failed}),
                    "failed_before_stop": sum(1 for _t, e, _s in failed if e < down_at),
                    "failed_after_recovery": sum(1 for t, _e, _s in failed if t >= recovered),
                    "failing_s": max(e for _t, e, _s in failed) - min(t for t, _e, _s in failed)
                    if failed
                    else 0.0,
                    "down_s": up_at - down_at,
                    "stop_s": stopped_at - down_at,
                    "recovery_s": recovered - up_at,
                    "web_restarted": stack.processes["web"].process.pid != pid
                    or not stack.processes["web"].alive,
                }
        finally:
            cluster.stop(mode="immediate")


class Blackhole:
    """A hub that accepts connections and never answers (a hung hub), counting them."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _addr = self.server.accept()
            except OSError:
                return
            self.connections += 1
            self.held.append(conn)

    def close(self):
        self.server.close()
        for conn in self.held:
            conn.close()


def _rsa_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def hub_down() -> dict:
    """The notebook hub configured but hung: course pages, signed in and not, answer as usual and
    never call it."""
    hub = Blackhole()
    try:
        extra = {
            "DASI_HUB_URL": f"http://127.0.0.1:{hub.port}",
            "DASI_HUB_API_TOKEN": "hub-token",
            "DASI_HUB_TIMEOUT": "2",
            "DASI_OIDC_RSA_PRIVATE_KEY": _rsa_pem(),
        }
        with running_stack(extra_env=extra) as stack:
            port = stack.web("web")
            learner = Browser()
            assert learner.sign_in(port, "stack-learner").status_code == 302
            lesson = sql(
                stack.database_url,
                "SELECT url_path FROM wagtailcore_page WHERE id = %s",
                stack.ids["lesson"],
            )[0][0]
            parts = lesson.strip("/").split("/")[1:]  # below the centre's root page
            pages = {
                "centre home": "/",
                "catalogue": "/" + "/".join(parts[:-2]) + "/",
                "course": "/" + "/".join(parts[:-1]) + "/",
                "lesson with the exercise": "/" + "/".join(parts) + "/",
                "dashboard": "/learning/",
                "exercise": EXERCISE.format(**stack.ids),
            }
            seen = {}
            for who, browser in (("learner", learner), ("anonymous", Browser())):
                for name, path in pages.items():
                    if who == "anonymous" and name in ("dashboard", "exercise"):
                        continue
                    started = time.monotonic()
                    status = browser.get(port, path).status_code
                    seen[f"{who}: {name}"] = (status, time.monotonic() - started)
            return {"pages": seen, "hub_connections": hub.connections}
    finally:
        hub.close()
