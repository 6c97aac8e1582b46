"""The engine runs without Django (batch jobs, benchmarks)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ROOT / "lms" / "skills" / "engine"


def test_engine_sources_never_import_django_or_wagtail():
    for source in ENGINE.glob("*.py"):
        for line in source.read_text().splitlines():
            stripped = line.strip()
            if stripped.startswith(("import ", "from ")):
                assert "django" not in stripped and "wagtail" not in stripped, (source, line)


def test_importing_the_engine_loads_no_django_module():
    # The `lms` package itself starts Celery (which touches django.utils); the engine must
    # add nothing Django of its own on top.
    code = (
        "import sys\n"
        "import lms\n"
        "before = set(sys.modules)\n"
        "import lms.skills.engine.gap, lms.skills.engine.path, lms.skills.engine.matching\n"
        "import lms.skills.engine.artefact, lms.skills.engine.taxonomy, lms.skills.engine.encoder\n"
        "new = set(sys.modules) - before\n"
        "print(sorted(m for m in new if m.split('.')[0] in ('django', 'wagtail')))\n"
    )
    result = subprocess.run(  # noqa: S603 — fixed arguments
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
