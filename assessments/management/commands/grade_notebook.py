"""``manage.py grade_notebook SOURCE.ipynb SUBMISSION.ipynb --json``: grade one submission."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.grader import Limits, NotebookError, SandboxUnavailable, grade

from ._grader_io import read_bytes, read_data_dir


class Command(BaseCommand):
    help = (
        "Grade a learner's notebook against the instructor's source notebook in the sandbox. "
        "Bad input exits non-zero with one line on stderr."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="the instructor's source notebook (nbgrader metadata)")
        parser.add_argument("submission", help="the learner's notebook")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        parser.add_argument(
            "--data",
            metavar="FOLDER",
            help="folder whose files are copied into the working directory "
            "(default: the 'data' folder next to the source, as data/...)",
        )
        parser.add_argument("--no-data", action="store_true", help="run without data files")
        parser.add_argument("--cell-timeout", type=int, default=Limits.cell_timeout_s)
        parser.add_argument("--total-timeout", type=int, default=Limits.total_timeout_s)
        parser.add_argument(
            "--executed",
            metavar="OUT.ipynb",
            help="also write the executed notebook (hidden tests included: instructors only)",
        )

    def handle(self, *args, **options):
        source = read_bytes(options["source"], "source notebook")
        submission = read_bytes(options["submission"], "submission")
        data = {} if options["no_data"] else _data_files(options["source"], options["data"])
        limits = Limits(
            cell_timeout_s=options["cell_timeout"], total_timeout_s=options["total_timeout"]
        )
        try:
            result = grade(source, submission, data_files=data, limits=limits)
        except (NotebookError, SandboxUnavailable) as exc:
            raise CommandError(str(exc)) from None
        if options["executed"] and result.executed_notebook:
            with open(options["executed"], "w", encoding="utf-8") as fh:
                fh.write(result.executed_notebook)
        if options["json"]:
            self.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False))
            return
        for cell in result.cells:
            self.stdout.write(
                f"{cell.grade_id:<28} {cell.points:>5g} / {cell.max_points:<5g} {cell.status}"
            )
            if cell.status != "passed":
                self.stdout.write("    " + cell.feedback.splitlines()[0])
        limits_hit = ", ".join(result.limits_hit) or "none"
        self.stdout.write(
            f"score {result.score:g} / {result.max_score:g} in {result.duration_s:.1f} s "
            f"(limits hit: {limits_hit})"
        )


def _data_files(source: str, folder: str | None) -> dict[str, bytes]:
    if folder:
        return read_data_dir(folder)
    default = Path(source).resolve().parent / "data"
    if default.is_dir():
        return {f"data/{name}": content for name, content in read_data_dir(str(default)).items()}
    return {}
