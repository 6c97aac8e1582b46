"""The Celery application: configuration comes from Django settings prefixed CELERY_."""

import os
from pathlib import Path

from celery import Celery
from celery.signals import worker_init, worker_process_shutdown

from lms.monitoring import process_exited, reset_multiprocess_dir, start_exporter

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")

app = Celery("dasi")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _broker_folders(sender, **kwargs) -> None:
    """The filesystem broker (the embedded default) needs its folders to exist."""
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


@worker_init.connect
def _metrics_exporter(sender=None, **kwargs) -> None:
    """The worker's parent process serves the metrics its pool processes write (grading
    durations, certificate issue durations) on DASI_METRICS_PORT, when that is set."""
    reset_multiprocess_dir()
    port = int(os.environ.get("DASI_METRICS_PORT") or 0)
    if port:
        start_exporter(port, addr=os.environ.get("DASI_METRICS_ADDR", "0.0.0.0"))  # noqa: S104


@worker_process_shutdown.connect
def _pool_process_exited(sender=None, pid=None, **kwargs) -> None:
    process_exited(int(pid or os.getpid()))
