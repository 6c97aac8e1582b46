"""gunicorn settings for Dasi: `gunicorn -c deploy/gunicorn.conf.py lms.wsgi`.

Every value can be overridden with the GUNICORN_* variable named beside it.
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
