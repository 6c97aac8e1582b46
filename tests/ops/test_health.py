"""Probes: liveness asks nothing outside the process; readiness fails, naming the check, when the
database, the broker or migrations are not there."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.courses.test_tasks import _database_url

ROOT = Path(__file__).resolve().parents[2]
READY_CHECKS = {
    "DatabaseCheck(alias='default')",
    "MigrationsCheck(alias='default')",
    "Cache(alias='default')",
    "BrokerCheck()",
    "Storage(alias='default')",
    "Storage(alias='private')",
}


def closed_port() -> int:
    """A local port where nothing listens (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db
def test_ready_is_200_with_every_check_passing(client):
    response = client.get("/health/ready/")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert set(body["checks"]) == READY_CHECKS
    assert set(body["checks"].values()) == {"OK"}
    assert "no-cache" in response["Cache-Control"]


def test_live_is_200_and_runs_no_check(client):
    response = client.get("/health/live/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {}}


@pytest.mark.django_db
def test_the_probes_only_answer_get(client):
    assert client.post("/health/ready/").status_code == 405
    assert client.post("/health/live/").status_code == 405


def probe_in_a_fresh_process(settings: str = "lms.settings.test", **env: str) -> dict:
    """Both probes through Django's test client in a process of their own, whose database or
    broker is the one given (a real address where nothing listens)."""
    script = (
        "import django, json; django.setup()\n"
        "from django.test import Client\n"
        "c = Client()\n"
        "out = {}\n"
        "for p in ('/health/live/', '/health/ready/'):\n"
        "    r = c.get(p)\n"
        "    out[p] = (r.status_code, r.json())\n"
        "print(json.dumps(out))\n"
    )
    process = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": settings,
            "DJANGO_ALLOWED_HOSTS": "testserver",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert process.returncode == 0, process.stderr[-3000:]
    return json.loads(process.stdout.strip().splitlines()[-1])


def test_database_down_fails_readiness_naming_the_database_but_not_liveness():
    port = closed_port()
    result = probe_in_a_fresh_process(DATABASE_URL=f"postgres://dasi@127.0.0.1:{port}/dasi")
    assert result["/health/live/"] == [200, {"status": "ok", "checks": {}}]
    status, body = result["/health/ready/"]
    assert status == 503
    assert body["status"] == "fail"
    assert body["checks"]["DatabaseCheck(alias='default')"] == "Unavailable: database unavailable"
    assert body["checks"]["MigrationsCheck(alias='default')"] == "Unavailable: database unavailable"
    assert body["checks"]["BrokerCheck()"] == "OK"
    assert str(port) not in json.dumps(body)  # no address of the infrastructure


def test_broker_down_fails_readiness_naming_the_broker(db):
    port = closed_port()
    result = probe_in_a_fresh_process(
        CELERY_BROKER_URL=f"redis://127.0.0.1:{port}/0",
        DATABASE_URL=_database_url(),  # the test database: only the broker is down
    )
    assert result["/health/live/"][0] == 200
    status, body = result["/health/ready/"]
    assert status == 503
    assert body["checks"]["BrokerCheck()"] == "Unavailable: broker unavailable"
    assert body["checks"]["DatabaseCheck(alias='default')"] == "OK"
    assert body["checks"]["Cache(alias='default')"] == "OK"


def test_cache_down_fails_readiness_but_not_liveness():
    """The development settings take CACHE_URL (the test settings keep a local cache)."""
    port = closed_port()
    result = probe_in_a_fresh_process("lms.settings.dev", CACHE_URL=f"redis://127.0.0.1:{port}/0")
    assert result["/health/live/"] == [200, {"status": "ok", "checks": {}}]
    status, body = result["/health/ready/"]
    assert status == 503
    assert body["checks"]["Cache(alias='default')"] != "OK"
    assert body["checks"]["BrokerCheck()"] == "OK"


@pytest.mark.django_db(transaction=True)
def test_unapplied_migrations_fail_readiness(client):
    from django.core.management import call_command

    from lms import health

    health._migrated.clear()
    call_command("migrate", "counselling", "zero", verbosity=0)
    try:
        response = client.get("/health/ready/")
        assert response.status_code == 503
        message = response.json()["checks"]["MigrationsCheck(alias='default')"]
        assert message.endswith("migrations not applied")
    finally:
        call_command("migrate", verbosity=0)
    health._migrated.clear()
    assert client.get("/health/ready/").status_code == 200


def test_metrics_are_not_served_by_the_public_app(client, db):
    for path in ("/metrics", "/metrics/", "/en/metrics/", "/django_prometheus/metrics"):
        assert client.get(path, follow=True).status_code == 404, path
