"""Scheduled publishing runs through a real Celery broker and worker process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

import pytest

from courses.models import CoursePage
from courses.tasks import publish_scheduled
from tests.factories import make_centre, make_course, wagtail_base_ensure

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db(transaction=True)


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker():
    """A Celery worker in its own process on the configured broker, on a queue of its own."""
    from lms.celery import app

    app.conf.task_always_eager = False  # this test is about the real broker and worker
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
    }
    process = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "lms",
            "worker",
            "--pool",
            "solo",
            "-Q",
            queue,
            "--loglevel",
            "INFO",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield queue
    finally:
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
        process.terminate()
        try:
            process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def test_worker_publishes_a_course_whose_time_has_come(worker):
    wagtail_base_ensure()
    centre = make_centre("dongtan", default=True)
    course = make_course(centre, "scheduled", lessons=1, live=False, translate=False)
    revision = course.save_revision()
    revision.approved_go_live_at = timezone.now() - timedelta(minutes=1)
    revision.save(update_fields=["approved_go_live_at"])

    publish_scheduled.apply_async(queue=worker)

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and not CoursePage.objects.get(pk=course.pk).live:
        time.sleep(0.5)
    assert CoursePage.objects.get(pk=course.pk).live
