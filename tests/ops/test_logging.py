"""Production logs one JSON object per line; development keeps plain text."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = (
    "import django, logging; django.setup()\n"
    "logging.getLogger('lms.test').warning('grading %s queued', 42)\n"
)


def log_line(settings: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DASI_"))}
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": settings, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {
    "DJANGO_SECRET_KEY": "k" * 50,
    "DJANGO_ALLOWED_HOSTS": "dongtan.example.org",
    "DATABASE_URL": "postgres://dasi@127.0.0.1:5432/dasi",
    "DASI_KEY_ENCRYPTION_KEY": "e" * 50,
    # Production requires a cache and a broker every process shares.
    "CACHE_URL": "redis://127.0.0.1:6379/1",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
}


def test_production_logs_json_lines():
    result = log_line("lms.settings.production", **PRODUCTION)
    assert result.returncode == 0, result.stderr[-2000:]
    record = json.loads(result.stderr.strip().splitlines()[-1])
    assert record["message"] == "grading 42 queued"
    assert record["level"] == "WARNING"
    assert record["logger"] == "lms.test"
    assert {"time", "process"} <= set(record)


def test_development_logs_text_and_json_on_request():
    text = log_line("lms.settings.dev")
    assert text.stderr.strip().splitlines()[-1] == "grading 42 queued"
    as_json = log_line("lms.settings.dev", DASI_LOG_FORMAT="json")
    assert json.loads(as_json.stderr.strip().splitlines()[-1])["message"] == "grading 42 queued"


def test_an_unknown_log_format_is_refused():
    result = log_line("lms.settings.dev", DASI_LOG_FORMAT="xml")
    assert result.returncode != 0
    assert "DASI_LOG_FORMAT must be one of text, json." in result.stderr
