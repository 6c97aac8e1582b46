"""Grade one submission as a stand-alone program: the entry point of a Kubernetes grading Job.

    python -m assessments.grader.job SOURCE.ipynb SUBMISSION.ipynb [--data DIR] [--executed OUT]

Prints the result as JSON (the shape of ``manage.py grade_notebook --json``) and exits 0; bad input
exits 2 and an unusable sandbox exits 3, each with one line on stderr. No Django needed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .grade import grade
from .notebook import NotebookError
from .sandbox import Limits, SandboxUnavailable


def _data_files(folder: str | None) -> dict[str, bytes]:
    if not folder:
        return {}
    root = Path(folder)
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Grade one notebook submission in the sandbox.")
    parser.add_argument("source")
    parser.add_argument("submission")
    parser.add_argument("--data", help="folder copied into the working directory")
    parser.add_argument("--executed", help="write the executed notebook here (instructors only)")
    parser.add_argument("--cell-timeout", type=int, default=Limits.cell_timeout_s)
    parser.add_argument("--total-timeout", type=int, default=Limits.total_timeout_s)
    args = parser.parse_args(argv)
    try:
        source = Path(args.source).read_bytes()
        submission = Path(args.submission).read_bytes()
        result = grade(
            source,
            submission,
            data_files=_data_files(args.data),
            limits=Limits(cell_timeout_s=args.cell_timeout, total_timeout_s=args.total_timeout),
        )
    except (OSError, NotebookError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except SandboxUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    if args.executed and result.executed_notebook:
        Path(args.executed).write_text(result.executed_notebook, encoding="utf-8")
    print(json.dumps(result.to_dict(), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
