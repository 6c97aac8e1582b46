"""Shared helpers of the grader commands: read files and data folders with one-line errors."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from assessments.grader.notebook import MAX_NOTEBOOK_BYTES


def read_bytes(path: str, what: str) -> bytes:
    """The file's bytes, or a CommandError naming it; refuses files over the notebook size limit."""
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"{what} {path}: no such file")
    if file.stat().st_size > MAX_NOTEBOOK_BYTES:
        size = file.stat().st_size / 1024 / 1024
        raise CommandError(
            f"{what} {path} is {size:.1f} MB; "
            f"the limit is {MAX_NOTEBOOK_BYTES / 1024 / 1024:.1f} MB"
        )
    return file.read_bytes()


def read_data_dir(path: str | None, limit_bytes: int = 50 * 1024 * 1024) -> dict[str, bytes]:
    """Every file under ``path`` keyed by its relative POSIX path (the exercise's data files)."""
    if not path:
        return {}
    root = Path(path)
    if not root.is_dir():
        raise CommandError(f"data folder {path}: no such folder")
    files: dict[str, bytes] = {}
    total = 0
    for file in sorted(root.rglob("*")):
        if file.is_file() and not file.name.endswith(".ipynb"):
            total += file.stat().st_size
            if total > limit_bytes:
                raise CommandError(f"data folder {path} holds more than {limit_bytes} bytes")
            files[file.relative_to(root).as_posix()] = file.read_bytes()
    return files
