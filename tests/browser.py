"""Browser fixtures: Playwright driving Debian's Chromium, axe-core for accessibility.

Imported by tests/conftest.py so every test directory shares one browser per session (two
sync Playwright instances cannot run in one process)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    # Let in-flight requests finish before the database is flushed under the live server.
    page.wait_for_load_state("networkidle")
    context.close()


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


class Axe:
    """Runs axe-core in the page and fails on serious or critical violations."""

    def __init__(self, artifacts: Path):
        if not AXE.exists():
            pytest.skip("axe-core is not installed (npm ci)")
        self.source = AXE.read_text()
        self.artifacts = artifacts

    def check(self, page, name: str) -> None:
        page.add_script_tag(content=self.source)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
        (self.artifacts / f"axe-{name}.json").write_text(
            json.dumps(result["violations"], ensure_ascii=False, indent=1)
        )
        assert not bad, f"{name}: " + "; ".join(
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in bad
        )


@pytest.fixture
def axe(artifacts):
    return Axe(artifacts)
