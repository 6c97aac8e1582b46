"""gunicorn settings for Dasi: `gunicorn -c deploy/gunicorn.conf.py lms.wsgi`.

Every value can be overridden with the GUNICORN_* variable named beside it.

Metrics: with DASI_METRICS_PORT set, the master process serves Prometheus metrics on that port
(never on the public one). With more than one worker set PROMETHEUS_MULTIPROC_DIR to a folder
of this pod only (an emptyDir): each worker writes its values there and the master adds them up.
"""

import multiprocessing
import os

# Where to listen; put a TLS-terminating proxy in front that sets X-Forwarded-Proto.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Worker processes: two per core plus one is gunicorn's rule of thumb for I/O-bound Django.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# Threads per worker; >1 switches to the gthread worker, which copes better with slow clients.
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
# Seconds before a silent worker is killed and replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# Recycle workers now and then so slow leaks never grow unbounded.
# A wide jitter keeps workers from all restarting in the same second under steady load.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "10000"))
# Access log to stdout in the common format; errors to stderr.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = "-"
# Forwarded headers are trusted only from the local proxy.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Load the application once in the arbiter and fork the workers from it: a recycled worker
# then starts in milliseconds, where importing Django and every app again costs seconds of
# CPU that the other workers' requests wait for (p95 of seconds at each recycling). Code is
# then reloaded by restarting gunicorn, not by HUP alone.
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() not in {"0", "false", "no"}


def pre_fork(server, worker):
    """Workers must not share a database connection the arbiter may have opened while
    loading the application: each opens its own."""
    if preload_app:
        from django.db import connections  # gunicorn hook: Django is loaded only by now

        connections.close_all()


# Heartbeat files of the workers in memory, not on a (possibly read-only) disk.
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or (
    "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 — tmpfs of this machine
)

METRICS_PORT = int(os.environ.get("DASI_METRICS_PORT") or 0)
MULTIPROC_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


def on_starting(server):
    """Before any worker: the metric files of an earlier run of this pod are removed."""
    if MULTIPROC_DIR:
        from lms.monitoring import reset_multiprocess_dir

        reset_multiprocess_dir()


def when_ready(server):
    """The master serves the metrics of all workers, and the Celery queue lengths."""
    if METRICS_PORT:
        from lms.monitoring import start_exporter

        broker_url = os.environ.get("CELERY_BROKER_URL", "")
        start_exporter(
            METRICS_PORT,
            addr=os.environ.get("DASI_METRICS_ADDR", "0.0.0.0"),  # noqa: S104 — pod network
            # The embedded filesystem broker of development has no queue to measure.
            broker_url="" if broker_url.startswith("filesystem") else broker_url,
        )


def child_exit(server, worker):
    """A worker ended (recycled, killed): its live gauges stop counting."""
    if MULTIPROC_DIR:
        from lms.monitoring import process_exited

        process_exited(worker.pid)
