"""``manage.py grader_runtime``: build the runtime the sandbox runs learner notebooks with."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.grader.runtime import DEFAULT_BASE_PYTHON, build_runtime
from assessments.grader.sandbox import check_available, runtime_dir


class Command(BaseCommand):
    help = (
        "Create or update the grading runtime (a virtualenv readable by the sandbox user) at "
        "$DASI_GRADER_RUNTIME or var/grader-runtime."
    )

    def add_arguments(self, parser):
        parser.add_argument("--path", help="where to build it (default: the configured runtime)")
        parser.add_argument("--python", default=DEFAULT_BASE_PYTHON, help="base interpreter")
        parser.add_argument("--fresh", action="store_true", help="delete and rebuild")

    def handle(self, *args, **options):
        target = Path(options["path"]) if options["path"] else runtime_dir()
        started = time.monotonic()
        try:
            build_runtime(target, base_python=options["python"], fresh=options["fresh"])
            check_available(target)
        except (OSError, RuntimeError, subprocess.CalledProcessError) as exc:
            raise CommandError(f"could not build the grading runtime: {exc}") from None
        self.stdout.write(f"grading runtime ready at {target} ({time.monotonic() - started:.0f} s)")
