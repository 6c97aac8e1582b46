"""Browser journeys start from a clean screenshot folder (fixtures: tests/browser.py)."""

from __future__ import annotations

import shutil

from tests.browser import ARTIFACTS


def pytest_sessionstart(session):
    if ARTIFACTS.exists():
        shutil.rmtree(ARTIFACTS, ignore_errors=True)
