"""In Chromium: a learner signs in to Dasi, opens an exercise and lands in JupyterLab with the
notebook open (no second sign-in); screenshots kept, axe-core on Dasi's pages."""

from __future__ import annotations

from django.urls import reverse

import pytest

from lms.sandboxes.models import SandboxLaunch
from tests.e2e.conftest import artifacts, axe, browser, page  # noqa: F401 — browser fixtures
from tests.factories import PASSWORD

from .test_hub_e2e import world  # noqa: F401 — the same centre, course and exercise

pytestmark = [
    pytest.mark.hub,
    pytest.mark.browser,
    pytest.mark.sandbox,
    pytest.mark.django_db(transaction=True),
]


def test_learner_reaches_the_notebook_in_jupyterlab(hub, world, page, axe, artifacts):  # noqa: F811
    base = world["base"]
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", "jiyoung")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/learning/")

    exercise = reverse("assessments:exercise", args=[world["assessment"].pk, world["lesson"].pk])
    page.goto(base + exercise)
    axe.check(page, "exercise-with-lab")
    page.screenshot(path=artifacts / "30-exercise-page.png", full_page=True)
    page.locator("[data-open-exercise]").click()

    page.wait_for_url("**/lab/tree/exercises/**", timeout=120_000)
    notebook = page.locator(".jp-Notebook").first
    notebook.wait_for(state="visible", timeout=120_000)
    page.locator(".jp-Notebook .jp-Cell").first.wait_for(state="visible", timeout=60_000)
    page.wait_for_function(
        "() => document.querySelector('.jp-Notebook').textContent.includes('YOUR CODE HERE')",
        timeout=60_000,
    )
    page.wait_for_timeout(1500)  # let the kernel indicator settle for the screenshot
    launch = SandboxLaunch.objects.get(user=world["learner"])
    assert launch.state == SandboxLaunch.State.READY
    assert launch.notebook_path.rsplit("/", 1)[-1] in page.url
    page.screenshot(path=artifacts / "31-notebook-in-jupyterlab.png")
