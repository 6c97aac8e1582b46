"""Dasi's own Prometheus metrics, beside django-prometheus's request, cache and model metrics.

The objects live in prometheus_client's default registry. Under gunicorn and Celery's prefork
pool each process writes its values to files in PROMETHEUS_MULTIPROC_DIR (set before the
process starts), and the exporter of the pod (lms/monitoring.py) adds them up at scrape time.
The queue length is not here: it is read from the broker when Prometheus asks.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import Counter, Histogram

# Seconds; grading and launches take seconds to minutes, certificates well under a minute.
_SLOW_BUCKETS = (0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, float("inf"))
_FAST_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, float("inf"))

GRADING_DURATION = Histogram(
    "dasi_grading_duration_seconds",
    "Time to grade one notebook submission, by outcome.",
    ["status"],
    buckets=_SLOW_BUCKETS,
)
SANDBOX_LAUNCH_DURATION = Histogram(
    "dasi_sandbox_launch_duration_seconds",
    "Time from a learner's 'Open exercise' to the exercise ready in JupyterLab.",
    buckets=_SLOW_BUCKETS,
)
CERTIFICATE_ISSUE_DURATION = Histogram(
    "dasi_certificate_issue_duration_seconds",
    "Time to issue one certificate (signed PDF included), by outcome.",
    ["outcome"],
    buckets=_FAST_BUCKETS,
)
LOGIN_FAILURES = Counter(
    "dasi_login_failures",
    "Failed sign-in attempts (Django's user_login_failed signal).",
)


@contextmanager
def timed(histogram: Histogram, **labels: str) -> Iterator[dict[str, str]]:
    """Observe the duration of the block; the block may change the labels (say, the outcome it
    reached), and an exception is observed with outcome/status 'error'."""
    start = time.perf_counter()
    outcome = dict(labels)
    try:
        yield outcome
    except BaseException:
        outcome.update(dict.fromkeys(outcome, "error"))
        raise
    finally:
        child = histogram.labels(**outcome) if outcome else histogram
        child.observe(time.perf_counter() - start)
