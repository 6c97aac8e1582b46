"""Prometheus metrics: Dasi's own series move when the events happen, and a real gunicorn with
two workers serves every worker's counts (multiprocess mode) on its metrics port only."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.core.exceptions import ValidationError

import pytest
import requests
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from assessments.tasks import grade_submission
from lms.certificates.services import certificate_issue
from lms.sandboxes.localhub import free_port
from tests.courses.test_tasks import _database_url

ROOT = Path(__file__).resolve().parents[2]


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.mark.django_db
def test_a_failed_sign_in_is_counted(client, learner_a):
    before = sample("dasi_login_failures_total")
    client.post("/accounts/login/", {"login": learner_a.username, "password": "wrong-password"})
    assert sample("dasi_login_failures_total") == before + 1


@pytest.mark.django_db
def test_a_grading_run_is_timed_with_its_outcome():
    before = sample("dasi_grading_duration_seconds_count", status="error")
    with pytest.raises(Exception):  # noqa: B017 — no such grading record
        grade_submission.run(grading_id=10**9)
    assert sample("dasi_grading_duration_seconds_count", status="error") == before + 1


@pytest.mark.django_db
def test_a_certificate_issue_is_timed(learner_a, course_a, centre_a):
    before = sample("dasi_certificate_issue_duration_seconds_count", outcome="error")
    with pytest.raises(ValidationError):  # the course is not completed
        certificate_issue(learner=learner_a, course=course_a, centre=centre_a)
    assert sample("dasi_certificate_issue_duration_seconds_count", outcome="error") == before + 1


def scrape(url: str) -> dict[tuple[str, tuple], float]:
    text = requests.get(url, timeout=5).text
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


@pytest.fixture
def gunicorn(tmp_path, transactional_db):
    """gunicorn with two workers (deploy/gunicorn.conf.py), metrics on a port of their own, a
    Redis broker database of this test only."""
    port, metrics_port = free_port(), free_port()
    broker = f"redis://127.0.0.1:6379/{13}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.test",
        "DATABASE_URL": _database_url(),  # the test database, migrated
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_THREADS": "1",
        "DASI_METRICS_PORT": str(metrics_port),
        "DASI_METRICS_ADDR": "127.0.0.1",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus"),
        "CELERY_BROKER_URL": broker,
    }
    (tmp_path / "prometheus").mkdir()
    (tmp_path / "prometheus" / "stale_counter_1.db").write_bytes(b"left by an earlier run")
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "lms.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base, metrics = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{metrics_port}/metrics"
    try:
        for _ in range(120):
            try:
                if requests.get(f"{base}/health/live/", timeout=10).ok:
                    break
            except requests.RequestException:
                time.sleep(0.5)
        else:
            process.terminate()
            pytest.fail(process.communicate(timeout=20)[1][-3000:])
        yield base, metrics, broker, tmp_path / "prometheus"
    finally:
        process.terminate()
        try:
            process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def test_two_gunicorn_workers_are_added_up_on_the_metrics_port(gunicorn):
    base, metrics, broker, folder = gunicorn
    assert not (folder / "stale_counter_1.db").exists()  # the master emptied the folder
    key = (
        "django_http_responses_total_by_status_view_method_total",
        (("method", "GET"), ("status", "200"), ("view", "health_ready")),
    )
    before = scrape(metrics).get(key, 0)  # the start-up polls asked /health/live/ only
    for _ in range(40):
        response = requests.get(f"{base}/health/ready/", timeout=10)
        assert response.status_code == 200, response.text
    files = {p.name for p in folder.glob("counter_*.db")}
    assert len(files) >= 2, files  # both workers wrote counts of their own
    assert scrape(metrics)[key] == before + 40
    # The public port has no metrics at all.
    assert requests.get(f"{base}/metrics", timeout=5).status_code == 404


def test_the_grading_queue_length_is_read_from_the_broker(gunicorn):
    from kombu import Connection

    _, metrics, broker, _ = gunicorn
    with Connection(broker) as connection:
        queue = connection.SimpleQueue("grading")
        queue.clear()
        samples = scrape(metrics)
        assert samples[("dasi_queue_length_up", ())] == 1
        assert samples[("dasi_queue_length", (("queue", "grading"),))] == 0
        for number in range(3):
            queue.put({"n": number, "id": uuid.uuid4().hex})
        samples = scrape(metrics)
        assert samples[("dasi_queue_length", (("queue", "grading"),))] == 3
        assert samples[("dasi_queue_length", (("queue", "default"),))] == 0
        queue.clear()
        queue.close()
