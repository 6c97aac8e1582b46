"""Production settings refuse to start without their secrets and pass Django's deploy checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET = "k" * 20 + "Zq8!x#Lm2@Vb7$Rt5%Yn1^Pw4&Hs9*Dj6(Fg3)"


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(
            ("DJANGO_", "DATABASE_URL", "DASI_KEY_ENCRYPTION_KEY", "CACHE_URL", "CELERY_BROKER_URL")
        )
    }
    clean.update({"DJANGO_SETTINGS_MODULE": "lms.settings.production", **env})
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("missing", "env"),
    [
        (
            "DJANGO_SECRET_KEY",
            {"DJANGO_ALLOWED_HOSTS": "a.example", "DATABASE_URL": "postgres://u@h/db"},
        ),
        (
            "DJANGO_ALLOWED_HOSTS",
            {"DJANGO_SECRET_KEY": SECRET, "DATABASE_URL": "postgres://u@h/db"},
        ),
        ("DATABASE_URL", {"DJANGO_SECRET_KEY": SECRET, "DJANGO_ALLOWED_HOSTS": "a.example"}),
    ],
)
def test_production_refuses_to_start_without_a_secret(missing, env):
    result = _manage("check", **env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_passes_the_deploy_checks():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="dongtan.example.org",
        DATABASE_URL="postgres://dasi@127.0.0.1:5432/dasi",
        DASI_KEY_ENCRYPTION_KEY=SECRET[::-1],
        **SHARED,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


SHARED = {"CACHE_URL": "redis://127.0.0.1:6379/1", "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0"}
PRODUCTION = {
    "DJANGO_SECRET_KEY": SECRET,
    "DJANGO_ALLOWED_HOSTS": "dongtan.example.org",
    "DATABASE_URL": "postgres://dasi@127.0.0.1:5432/dasi",
    "DASI_KEY_ENCRYPTION_KEY": SECRET[::-1],
}
SHOW = (
    "import json; from django.conf import settings as s; print(json.dumps({"
    "'cache': s.CACHES['default']['BACKEND'], 'sessions': s.SESSION_ENGINE,"
    " 'broker': s.CELERY_BROKER_URL, 'acks_late': s.CELERY_TASK_ACKS_LATE,"
    " 'reject_on_worker_lost': s.CELERY_TASK_REJECT_ON_WORKER_LOST,"
    " 'prefetch': s.CELERY_WORKER_PREFETCH_MULTIPLIER,"
    " 'visibility_timeout': s.CELERY_BROKER_TRANSPORT_OPTIONS.get('visibility_timeout'),"
    " 'health_checks': s.DATABASES['default'].get('CONN_HEALTH_CHECKS'),"
    " 'rate_limits': s.ACCOUNT_RATE_LIMITS}))"
)


def test_production_keeps_no_state_in_one_process():
    """Sessions, the cache (sign-in rate limits, cached pages) and the broker are shared by
    every web instance and worker; a killed worker's task is handed to another."""
    import json

    result = _manage("shell", "-c", SHOW, **PRODUCTION, **SHARED)
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    assert shown["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert shown["sessions"] == "django.contrib.sessions.backends.db"
    assert shown["broker"].startswith("redis://")
    assert shown["acks_late"] and shown["reject_on_worker_lost"] and shown["prefetch"] == 1
    # Longer than grading's total limit (180 s), so a running grading is never handed twice.
    assert shown["visibility_timeout"] > 180 + 60
    assert shown["health_checks"] is True
    assert shown["rate_limits"]  # allauth's limits are on, counted in the shared cache


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CELERY_BROKER_URL": SHARED["CELERY_BROKER_URL"]}, "CACHE_URL"),
        ({**SHARED, "CACHE_URL": "locmemcache://"}, "shared cache"),
        ({**SHARED, "CACHE_URL": "filecache:///tmp/dasi-cache"}, "shared cache"),
        ({"CACHE_URL": SHARED["CACHE_URL"]}, "CELERY_BROKER_URL"),
        ({**SHARED, "CELERY_BROKER_URL": "filesystem://"}, "CELERY_BROKER_URL"),
    ],
)
def test_production_refuses_a_cache_or_broker_of_one_process(env, message):
    result = _manage("check", **PRODUCTION, **env)
    assert result.returncode != 0
    assert message in result.stderr
