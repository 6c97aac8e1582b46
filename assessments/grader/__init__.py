"""Dasi's notebook grader: validate exercise notebooks, make learner versions, grade in a sandbox.

A plain Python package without Django, so the same code runs in a Celery worker, in
``manage.py grade_notebook`` and in a Kubernetes Job.
"""

from __future__ import annotations

from .assemble import Assembly, assemble
from .grade import CellResult, GradeResult, grade
from .learner import learner_version
from .notebook import NotebookError, notebook_bytes, read_notebook, validate_source
from .sandbox import Limits, SandboxUnavailable

__all__ = [
    "Assembly",
    "CellResult",
    "GradeResult",
    "Limits",
    "NotebookError",
    "SandboxUnavailable",
    "assemble",
    "grade",
    "learner_version",
    "notebook_bytes",
    "read_notebook",
    "validate_source",
]
