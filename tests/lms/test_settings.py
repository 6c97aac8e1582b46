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
        if not k.startswith(("DJANGO_", "DATABASE_URL", "DASI_KEY_ENCRYPTION_KEY", "CACHE_URL"))
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
        CACHE_URL="redis://127.0.0.1:6379/1",
        DASI_KEY_ENCRYPTION_KEY=SECRET[::-1],
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_deploy_checks_ask_for_a_cache_shared_by_every_web_process():
    """Used two-step codes and sign-in rate limits live in the cache (lockouts in the
    database): a per-process cache would let a code be replayed on another process."""
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="dongtan.example.org",
        DATABASE_URL="postgres://dasi@127.0.0.1:5432/dasi",
        DASI_KEY_ENCRYPTION_KEY=SECRET[::-1],
    )
    assert result.returncode != 0
    assert "dasi.W001" in result.stderr
