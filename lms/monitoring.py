"""The Prometheus exporter of a pod: a port of its own (DASI_METRICS_PORT), never the public app.

gunicorn (deploy/gunicorn.conf.py) and the Celery worker (lms/celery.py) each run several
processes. With PROMETHEUS_MULTIPROC_DIR set, every process writes its metric values to files
there; the exporter, started once in the parent process, adds them up when Prometheus scrapes.
The web pod's exporter also reports how many tasks wait on the grading queue, read from the
broker at scrape time (the grading workers' autoscaler follows it).

Nothing here needs Django: the gunicorn master process runs it before any worker loads Dasi.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from kombu import Connection
from kombu.exceptions import ChannelError
from prometheus_client import REGISTRY, CollectorRegistry, start_http_server
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead

GRADING_QUEUE = "grading"
DEFAULT_QUEUE = "default"
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

logger = logging.getLogger(__name__)


def multiprocess_dir() -> Path | None:
    value = os.environ.get(MULTIPROC_ENV, "")
    return Path(value) if value else None


def reset_multiprocess_dir() -> None:
    """Empty the metric files of an earlier run (called once, before any child starts): files
    of dead processes would otherwise be added to the new run's counters."""
    folder = multiprocess_dir()
    if folder is None:
        return
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)


def process_exited(pid: int) -> None:
    """A child process ended: its gauges ("live" mode) stop counting; counters stay summed."""
    if multiprocess_dir() is not None:
        mark_process_dead(pid)


class QueueLengthCollector:
    """dasi_queue_length{queue=...}: messages waiting on each Celery queue, read from the broker
    at each scrape; a broker that does not answer is dasi_queue_length_up 0, never an error."""

    def __init__(self, broker_url: str, queues: tuple[str, ...] = (GRADING_QUEUE, DEFAULT_QUEUE),
                 transport_options: dict | None = None, timeout: float = 2.0):  # fmt: skip
        self.broker_url = broker_url
        self.queues = queues
        self.transport_options = transport_options or {}
        self.timeout = timeout

    def lengths(self) -> dict[str, int]:
        found = {}
        with Connection(
            self.broker_url,
            connect_timeout=self.timeout,
            transport_options=self.transport_options,
        ) as connection:
            connection.ensure_connection(max_retries=1)
            channel = connection.channel()
            try:
                for queue in self.queues:
                    try:
                        _, count, _ = channel.queue_declare(queue=queue, passive=True)
                    except ChannelError:  # never declared: nothing has been queued yet
                        count = 0
                    found[queue] = int(count)
            finally:
                channel.close()
        return found

    def collect(self) -> Iterator[GaugeMetricFamily]:
        length = GaugeMetricFamily(
            "dasi_queue_length", "Tasks waiting on a Celery queue.", labels=["queue"]
        )
        up = GaugeMetricFamily("dasi_queue_length_up", "1 if the broker answered the scrape.")
        try:
            lengths = self.lengths()
        except Exception:  # noqa: BLE001 — a scrape reports the broker down, it never fails
            logger.warning("queue length: the broker did not answer", exc_info=True)
            up.add_metric([], 0)
        else:
            for queue, count in lengths.items():
                length.add_metric([queue], count)
            up.add_metric([], 1)
        yield length
        yield up


class _ThisProcess:
    """The default registry of this process, served without adding collectors to it."""

    def collect(self):
        yield from REGISTRY.collect()


def registry(*, broker_url: str = "", transport_options: dict | None = None) -> CollectorRegistry:
    """What the exporter serves: every process's metrics added up (multiprocess mode) or this
    process's own, plus the queue lengths when a broker URL is given."""
    if multiprocess_dir() is not None:
        served = CollectorRegistry()
        MultiProcessCollector(served)
    else:
        served = CollectorRegistry()
        served.register(_ThisProcess())
    if broker_url:
        served.register(QueueLengthCollector(broker_url, transport_options=transport_options))
    return served


def start_exporter(port: int, *, addr: str = "0.0.0.0", broker_url: str = "",  # noqa: S104
                   transport_options: dict | None = None) -> None:  # fmt: skip
    """Serve /metrics on port (the pod's own network; the public Ingress never routes there)."""
    served = registry(broker_url=broker_url, transport_options=transport_options)
    start_http_server(port, addr=addr, registry=served)
    logger.info("metrics exporter listening on %s:%s", addr, port)
