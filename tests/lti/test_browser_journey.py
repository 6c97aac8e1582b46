"""In Chromium: an instructor of the platform picks a Dasi course (the picker's response goes
back through the static auto-submit script), then a learner launches it and lands on the
course page in English; axe-core checks the picker."""

from __future__ import annotations

import pytest

from lms.lti.models import Identity

from .platform import INSTRUCTOR, LEARNER, LaunchSpec

pytestmark = [pytest.mark.browser]


def test_deep_link_then_launch_in_chromium(lti, page, axe, artifacts):
    platform = lti["platform"]
    page.goto(platform.login_url(LaunchSpec(sub="teacher", roles=[INSTRUCTOR], deep_link=True)))
    page.wait_for_url("**/lti/deep-link/**")
    assert page.get_by_role("heading", name="Dasi 콘텐츠 추가").is_visible()
    axe.check(page, "lti-picker")
    page.get_by_label(lti["course"].title, exact=False).first.check()
    page.screenshot(path=artifacts / "lti-10-picker.png", full_page=True)
    page.get_by_role("button", name="내 강좌에 추가").click()
    page.wait_for_url(f"{platform.issuer}/deep_link_return")
    assert page.get_by_text("Added").is_visible()
    (item,) = platform.content_items
    assert item["custom"] == {"dasi_item": f"course:{lti['course'].pk}"}
    assert item["window"] == {"targetName": "_blank"}

    spec = LaunchSpec(
        sub="learner-b",
        roles=[LEARNER],
        name="Jane Learner",
        locale="en-GB",
        custom=item["custom"],
        lineitem=item["lineitem_url"],
    )
    page.goto(platform.login_url(spec))
    page.wait_for_url(f"{lti['base']}/en/**")
    english = lti["course"].get_translations().get(locale__language_code="en")
    assert page.get_by_role("heading", name=english.title).first.is_visible()
    page.screenshot(path=artifacts / "lti-20-course.png", full_page=True)
    assert Identity.objects.get(sub="learner-b").user.preferred_language == "en"
