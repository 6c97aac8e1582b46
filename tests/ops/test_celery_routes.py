"""Grading has a queue (and workers) of its own; every other task goes to the default queue."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

from lms.celery import app
from lms.monitoring import DEFAULT_QUEUE, GRADING_QUEUE

ROOT = Path(__file__).resolve().parents[2]
GRADING_TASKS = {"assessments.grade_submission"}


def shared_task_names() -> set[str]:
    """The name= of every @shared_task in the project's code, read from the source."""
    names = set()
    for package in ("lms", "courses", "assessments", "hub_sites"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                for decorator in node.decorator_list:
                    call = decorator if isinstance(decorator, ast.Call) else None
                    func = call.func if call else decorator
                    if getattr(func, "id", getattr(func, "attr", "")) != "shared_task":
                        continue
                    keywords = {k.arg: k.value for k in (call.keywords if call else [])}
                    assert "name" in keywords, f"{path}: @shared_task {node.name} needs name="
                    names.add(ast.literal_eval(keywords["name"]))
    return names


def queue_of(name: str) -> str:
    return app.amqp.router.route({}, name)["queue"].name


def test_every_task_is_known_to_the_app_and_named():
    app.loader.import_default_modules()
    names = shared_task_names()
    assert names >= GRADING_TASKS
    assert {"certificates.issue_for_enrolment", "counselling.weekly_digest"} <= names
    assert names <= set(app.tasks)


def test_grading_goes_to_the_grading_queue_and_everything_else_to_the_default():
    names = shared_task_names()
    for name in sorted(names):
        want = GRADING_QUEUE if name in GRADING_TASKS else DEFAULT_QUEUE
        assert queue_of(name) == want, name
    assert settings.CELERY_TASK_DEFAULT_QUEUE == DEFAULT_QUEUE != GRADING_QUEUE


def test_beat_schedules_only_default_queue_tasks():
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert queue_of(entry["task"]) == DEFAULT_QUEUE, entry


def test_a_queued_grading_message_carries_the_grading_routing_key():
    from assessments.tasks import grade_submission

    options = app.amqp.router.route({}, grade_submission.name)
    assert options["queue"].routing_key == GRADING_QUEUE
