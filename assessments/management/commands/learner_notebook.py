"""``manage.py learner_notebook SOURCE.ipynb -o OUT.ipynb``: write the learner version."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from assessments.grader import NotebookError, learner_version, notebook_bytes, read_notebook

from ._grader_io import read_bytes


class Command(BaseCommand):
    help = "Write the learner version of a source notebook (solutions and hidden tests removed)."

    def add_arguments(self, parser):
        parser.add_argument("source", help="the instructor's source notebook")
        parser.add_argument("-o", "--output", help="where to write it (default: stdout)")

    def handle(self, *args, **options):
        data = read_bytes(options["source"], "source notebook")
        try:
            learner = learner_version(read_notebook(data, what="source notebook"))
        except NotebookError as exc:
            raise CommandError(str(exc)) from None
        out = notebook_bytes(learner)
        if options["output"]:
            with open(options["output"], "wb") as fh:
                fh.write(out)
            self.stderr.write(f"wrote {options['output']}")
        else:
            sys.stdout.buffer.write(out)
