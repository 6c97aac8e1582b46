"""Liveness and readiness endpoints for the probes of a container orchestrator.

* ``/health/live/``: the process answers requests. Nothing outside the process is asked, so a
  database or broker outage never gets healthy pods restarted (all of them at once).
* ``/health/ready/``: this pod may take traffic: the database answers, every migration of this
  code is applied, the cache, the Celery broker and both file storages work. 503 otherwise,
  with the failing check named; the load balancer then sends requests to other pods.

The answers are JSON: ``{"status": "ok"|"fail", "checks": {"Database(alias='default')": "OK",
...}}``. Failure messages are short and generic (no host names, no driver errors).
"""

from __future__ import annotations

import asyncio
import dataclasses
from concurrent.futures import ThreadPoolExecutor

from django.db import DatabaseError, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.decorators import method_decorator
from django.views import View

from health_check.base import HealthCheck
from health_check.checks import Cache, Database, Storage
from health_check.exceptions import HealthCheckException, ServiceUnavailable
from health_check.views import HealthCheckView
from kombu.exceptions import OperationalError

from .celery import app as celery_app


@dataclasses.dataclass
class DatabaseCheck(Database):
    """health-check's SELECT 1, without the driver's message (it names hosts and ports)."""

    def run(self):
        try:
            super().run()
        except HealthCheckException as exc:
            raise ServiceUnavailable("database unavailable") from exc


_migrated: set[str] = set()  # aliases found fully migrated; this code's migrations stay applied


@dataclasses.dataclass
class MigrationsCheck(HealthCheck):
    """Every migration this code ships is applied (a new release waits for its migration Job)."""

    alias: str = "default"

    def run(self):
        if self.alias in _migrated:
            return
        connection = connections[self.alias]
        try:
            with connection.temporary_connection():
                executor = MigrationExecutor(connection)
                plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError as exc:
            raise ServiceUnavailable("database unavailable") from exc
        if plan:
            raise ServiceUnavailable(f"{len(plan)} migrations not applied")
        _migrated.add(self.alias)


@dataclasses.dataclass
class BrokerCheck(HealthCheck):
    """The Celery broker accepts a connection (workers need not be up: tasks wait for them)."""

    connect_timeout: float = dataclasses.field(default=2.0, repr=False)

    def run(self):
        try:
            with celery_app.connection_for_write(connect_timeout=self.connect_timeout) as conn:
                conn.ensure_connection(max_retries=1, timeout=self.connect_timeout)
        except (OperationalError, OSError) as exc:
            raise ServiceUnavailable("broker unavailable") from exc


class ProbeView(HealthCheckView):
    """Runs its checks and answers JSON: 200 if all pass, 503 naming those that failed."""

    checks = ()

    # A plain (synchronous) view: the probes are served by gunicorn's sync workers, and an
    # async view would need async_to_sync, which refuses to run in a thread that already
    # has an event loop (a test process with a browser driver). The checks' own loop runs in
    # a thread of its own instead.
    @method_decorator(transaction.non_atomic_requests)
    def dispatch(self, request, *args, **kwargs):
        response = View.dispatch(self, request, *args, **kwargs)
        patch_vary_headers(response, ["Accept"])
        add_never_cache_headers(response)
        return response

    def get(self, request, *args, **kwargs):
        with ThreadPoolExecutor(max_workers=1) as runner:
            self.results = runner.submit(asyncio.run, self._gather()).result()
        checks = {
            repr(result.check): str(result.error) if result.error else "OK"
            for result in self.results
        }
        failed = any(result.error for result in self.results)
        return JsonResponse(
            {"status": "fail" if failed else "ok", "checks": checks},
            status=503 if failed else 200,
        )

    async def _gather(self):
        with self.get_executor() as executor:
            return await asyncio.gather(
                *(check.get_result(executor) for check in self.get_checks())
            )


class LivenessView(ProbeView):
    checks = ()


class ReadinessView(ProbeView):
    checks = (
        DatabaseCheck,
        MigrationsCheck,
        Cache,
        BrokerCheck,
        Storage,
        (Storage, {"alias": "private"}),
    )
