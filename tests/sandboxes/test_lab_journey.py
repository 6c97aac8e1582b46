"""In Chromium: a learner signs in to Dasi, opens an exercise and lands in JupyterLab with the
notebook open (no second sign-in); screenshots kept, axe-core on Dasi's pages."""

from __future__ import annotations

from django.urls import reverse

import pytest

from lms.accounts.oidc import hub_username
from lms.sandboxes.models import SandboxLaunch
from tests.factories import PASSWORD

pytestmark = [
    pytest.mark.hub,
    pytest.mark.browser,
    pytest.mark.sandbox,
    pytest.mark.django_db(transaction=True),
]


def test_learner_reaches_the_notebook_in_jupyterlab(hub, world, page, axe, artifacts):
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

    # First the server refuses to start: the learner is told so and keeps the download path.
    refuse = hub.state_dir / "refuse-spawn"
    refuse.write_text(hub_username(world["learner"]))
    page.locator("[data-open-exercise]").click()
    page.get_by_role("heading", name="JupyterLab을 열 수 없습니다").wait_for(timeout=120_000)
    axe.check(page, "launch-failed")
    page.screenshot(path=artifacts / "32-launch-failed.png", full_page=True)
    assert page.get_by_role("link", name="실습 파일 다운로드").is_visible()

    refuse.unlink()
    page.goto(base + exercise)
    page.locator("[data-open-exercise]").click()

    # The launch page names its real steps while the server starts, announced politely.
    steps = page.locator("[data-launch-stages]")
    steps.wait_for(state="visible", timeout=60_000)
    assert page.locator("[aria-live=polite] [data-launch-label]").inner_text().strip()
    assert steps.locator('[aria-current="step"]').count() == 1
    assert "요청 접수" in steps.inner_text()
    page.screenshot(path=artifacts / "33-launch-steps.png", full_page=True)

    page.wait_for_url("**/lab/tree/exercises/**", timeout=120_000)
    notebook = page.locator(".jp-Notebook").first
    notebook.wait_for(state="visible", timeout=120_000)
    page.locator(".jp-Notebook .jp-Cell").first.wait_for(state="visible", timeout=60_000)
    page.wait_for_function(
        "() => document.querySelector('.jp-Notebook').textContent.includes('YOUR CODE HERE')",
        timeout=60_000,
    )
    # JupyterLab in Korean (the learner's language), the kernel connected ("대기", idle)...
    page.locator(".lm-MenuBar-itemLabel", has_text="파일").first.wait_for(timeout=60_000)
    page.wait_for_function(
        "() => (document.querySelector('#jp-main-statusbar') || {}).textContent?.includes('대기')",
        timeout=120_000,
    )
    page.wait_for_timeout(2000)  # JupyterLab writes the kernel's metadata once connected
    # ...and the notebook nobody touched is not marked unsaved.
    tab = page.locator(".lm-TabBar-tab", has_text=".ipynb").first
    assert "jp-mod-dirty" not in (tab.get_attribute("class") or "")
    # The way back to the lesson in Dasi, on top of the notebook.
    back = page.locator(".jp-Notebook .jp-Cell").first.get_by_role("link", name="레슨으로 돌아가기")
    assert back.get_attribute("href").startswith(base)
    launch = SandboxLaunch.objects.filter(user=world["learner"]).order_by("-created_at")[0]
    assert launch.state == SandboxLaunch.State.READY
    assert launch.notebook_path.rsplit("/", 1)[-1] in page.url
    page.screenshot(path=artifacts / "31-notebook-in-jupyterlab.png")
