"""``manage.py check_notebook SOURCE.ipynb``: validate a source notebook before it is published."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from assessments.grader import Limits, NotebookError, SandboxUnavailable
from assessments.grader.check import check_source

from ._grader_io import read_bytes
from .grade_notebook import _data_files


class Command(BaseCommand):
    help = (
        "Check a source notebook: nbformat 4 schema, unique grade ids, points >= 0, tests present, "
        "and that it passes its own tests in the sandbox (skip that with --no-run)."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="the instructor's source notebook")
        parser.add_argument("--data", metavar="FOLDER", help="data folder (see grade_notebook)")
        parser.add_argument("--no-run", action="store_true", help="only check the metadata")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args, **options):
        data = read_bytes(options["source"], "source notebook")
        try:
            report = check_source(
                data,
                data_files=_data_files(options["source"], options["data"]),
                run=not options["no_run"],
                limits=Limits(),
            )
        except (NotebookError, SandboxUnavailable) as exc:
            raise CommandError(str(exc)) from None
        if options["json"]:
            self.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False))
        else:
            self.stdout.write(
                f"{len(report.tests)} test cells, {report.max_score:g} points"
                + (f", passes its own tests in {report.duration_s:.1f} s" if report.ran else "")
            )
        if report.problems:
            raise CommandError(report.problems[0])
