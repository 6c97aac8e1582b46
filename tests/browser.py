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


# Reports every Content Security Policy violation of every page to the test (a binding is
# not subject to the page's policy, so it works where the policy blocks everything else).
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__dasiCspViolation({
    directive: e.effectiveDirective, blocked: e.blockedURI, page: e.documentURI,
    sample: e.sample, line: e.lineNumber, source: e.sourceFile,
  });
});
"""


class CspViolations(list):
    """Violations of the Content Security Policy seen in one test, from the page's
    securitypolicyviolation events and the console's "Refused to ..." messages."""

    def record_event(self, _source, violation: dict) -> None:
        self.append(
            f"{violation['directive']} blocked {violation['blocked'] or 'inline'} on "
            f"{violation['page']} ({violation['source']}:{violation['line']} "
            f"{violation['sample']!r})"
        )

    def record_console(self, message) -> None:
        text = message.text
        if "Content Security Policy" in text or text.startswith("Refused to"):
            self.append(f"console: {text}")

    def check(self) -> None:
        assert not self, "Content Security Policy violations:\n" + "\n".join(self)


def watch_csp(context) -> CspViolations:
    """Collect the CSP violations of every page of a browser context."""
    violations = CspViolations()
    context.expose_binding("__dasiCspViolation", violations.record_event)
    context.add_init_script(CSP_LISTENER)
    context.on("console", violations.record_console)
    return violations


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 900})
    violations = watch_csp(context)
    page = context.new_page()
    page.csp_violations = violations  # a test that provokes one on purpose looks here
    yield page
    # Let in-flight requests finish before the database is flushed under the live server.
    page.wait_for_load_state("networkidle")
    context.close()
    # Every browser journey doubles as a check that the pages it saw pass the policy.
    violations.check()


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
        # Evaluated, not added as an inline <script>, which the pages' CSP would refuse.
        page.evaluate(self.source)
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
