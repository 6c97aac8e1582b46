"""Shared by the benchmark scripts: describe the machine, and replace a marked section of
docs/benchmarks.md (everything outside the markers is kept)."""

from __future__ import annotations

import os
import platform
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def machine(extra: str = "") -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "unknown",
    )
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    parts = [f"{os.cpu_count()} cores, {cpu}", f"Python {platform.python_version()}"]
    if extra:
        parts.append(extra)
    return "; ".join([*parts, f"load average {load}"])


def write_section(*, name: str, heading: str, command: str, body: str) -> None:
    """Put `body` between `<!-- name:start -->` and `<!-- name:end -->`, adding the section
    (with its heading and the command that produced it) when it is not there yet."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    section = f"{start}\n\n{body}\n\n{end}"
    text = DOC.read_text()
    if start in text:
        text = text[: text.index(start)] + section + text[text.index(end) + len(end) :]
    else:
        text += f"\n## {heading}\n\n`{command}`\n\n{section}\n"
    DOC.write_text(text)
