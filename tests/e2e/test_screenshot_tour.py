"""The screenshot tour: the demo (`seed_demo`) as a visitor and each role see it, in Korean and English, on
a phone (375 px) and a desktop (1280 px), into test-artifacts/tour/.

One browser; each role signs in once (a centre admin with an authenticator code) and visits
its main pages in both languages at both widths. Every Dasi page is also checked for what a
reader would notice first: no sideways scrolling on a phone, and content that keeps its
distance from the header line and the footer.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.management import call_command

import pyotp
import pytest

from tests.browser import ARTIFACTS, watch_csp
from tests.factories import mfa_enrol

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ("visitor", "learner", "instructor", "counsellor", "centre_admin")
WIDTHS = (375, 1280)
LANGUAGES = ("ko", "en")
TOUR = ARTIFACTS / "tour"

# Each page's layout facts, measured in the page: how far the document scrolls sideways, and
# the gaps between the header line, the first and last content and the footer.
LAYOUT = """() => {
  const main = document.querySelector("main");
  const header = document.querySelector(".site-header");
  const footer = document.querySelector(".site-footer");
  if (!main || !header || !footer) return null;
  const kids = [...main.children].filter((el) => el.getBoundingClientRect().height > 0);
  const first = kids[0], last = kids[kids.length - 1];
  return {
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    top: first.getBoundingClientRect().top - header.getBoundingClientRect().bottom,
    bottom: footer.getBoundingClientRect().top - last.getBoundingClientRect().bottom,
  };
}"""


def _path(page, language: str) -> str:
    """The site-relative address of a page's translation in `language`."""
    translation = page.get_translation_or_none(
        type(page.locale).objects.get(language_code=language)
    )
    return (translation or page).get_url_parts()[2]


@pytest.fixture
def tour(live_server, transactional_db, settings, tmp_path):
    """The demo seeded for the live server, and the addresses each role visits. (A test
    using the live server flushes the database at its end, so the whole tour is one test.)"""
    from assessments.models import Attempt
    from courses.models import CoursePage, LessonPage
    from lms.accounts.models import User
    from lms.skills.selectors import caches_clear
    from tests.factories import wagtail_base_ensure

    port = urlsplit(live_server.url).port
    settings.DASI_SKILLS_ARTIFACT = tmp_path / "taxonomy.h5"
    settings.DASI_SKILLS_CACHE = tmp_path / "cache"
    wagtail_base_ensure()
    caches_clear()
    call_command("build_taxonomy", "--small", verbosity=0)
    call_command("seed_demo", port=port)
    admin = User.objects.get(username="dongtan-admin")
    secret = mfa_enrol(admin)
    learner = User.objects.get(username="dongtan-learner")
    course = CoursePage.objects.get(
        slug="python-data-analysis", alias_of__isnull=True, locale__language_code="ko"
    )
    lesson = LessonPage.objects.child_of(course).order_by("path")[2]
    attempt = Attempt.objects.filter(user=learner, assessment__kind="quiz").first()
    pages = {
        "visitor": lambda lang: [
            ("home", "/" if lang == "ko" else "/en/"),
            ("catalogue", _path(course.get_parent().specific, lang)),
            ("course", _path(course, lang)),
            ("login", "/accounts/login/"),
            ("signup", "/accounts/signup/"),
        ],
        "learner": lambda lang: [
            ("home", "/" if lang == "ko" else "/en/"),
            ("catalogue", _path(course.get_parent().specific, lang)),
            ("course", _path(course, lang)),
            ("lesson", _path(lesson, lang)),
            ("quiz-result", f"/assessments/attempts/{attempt.pk}/"),
            ("my-learning", "/learning/"),
            ("grades", "/assessments/grades/"),
            ("skills", "/skills/"),
            ("role", "/skills/roles/data-analyst/"),
        ],
        "counsellor": lambda lang: [
            ("caseload", "/counselling/"),
            ("at-risk", "/counselling/at-risk/"),
            ("cohorts", "/counselling/cohorts/"),
            ("learner", f"/counselling/learners/{learner.pk}/"),
            ("learner-skills", f"/skills/learners/{learner.pk}/"),
        ],
        "instructor": lambda lang: [
            ("admin-home", "/admin/"),
            ("gradebooks", "/admin/gradebook/"),
            ("gradebook", f"/admin/gradebook/{course.pk}/"),
            ("lesson-edit", f"/admin/pages/{lesson.pk}/edit/"),
        ],
        "centre_admin": lambda lang: [
            ("admin-home", "/admin/"),
            ("explorer", f"/admin/pages/{course.get_parent().pk}/"),
            ("postings", "/skills/postings/"),
            ("assignments", "/counselling/assignments/"),
        ],
    }
    plans = {
        role: {lang: [(name, path) for name, path in make(lang)] for lang in LANGUAGES}
        for role, make in pages.items()
    }

    def speaks(username: str, language: str) -> None:
        """Make `language` the person's language, which the Wagtail admin follows."""
        from wagtail.users.models import UserProfile

        person = User.objects.get(username=username)
        User.objects.filter(pk=person.pk).update(preferred_language=language)
        profile = UserProfile.get_for_user(person)
        profile.preferred_language = language
        profile.save(update_fields=["preferred_language"])

    yield {
        "base": f"http://dongtan.localhost:{port}",
        "plans": plans,
        "totp": secret,
        "speaks": speaks,
    }
    caches_clear()


USERNAMES = {
    "learner": "dongtan-learner",
    "instructor": "dongtan-instructor",
    "counsellor": "dongtan-counsellor",
    "centre_admin": "dongtan-admin",
}


def _sign_in(page, base: str, username: str, totp: str) -> None:
    from lms.demo.seed import DEMO_PASSWORD

    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state("networkidle")
    if "/accounts/2fa/authenticate/" in page.url:
        page.fill("input[name=code]", pyotp.TOTP(totp).now())
        page.press("input[name=code]", "Enter")
        page.wait_for_load_state("networkidle")
    assert "/accounts/login/" not in page.url, (
        f"{username} could not sign in: " + page.locator("main").inner_text()[:300]
    )


def _address(path: str, language: str) -> str:
    """Dasi's own pages take the language from the address; the admin from the cookie."""
    if language == "ko" or path.startswith(("/en/", "/admin/")):
        return path
    return "/en" + path


def test_screenshot_tour(browser, tour):
    """Every role's main pages, in both languages, at both widths (one context per role)."""
    TOUR.mkdir(parents=True, exist_ok=True)
    problems = []
    for role in ROLES:
        problems += _role_tour(browser, tour, role)
    assert not problems, "\n".join(problems)


def _role_tour(browser, tour, role: str) -> list[str]:
    context = browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 900})
    violations = watch_csp(context)
    page = context.new_page()
    base = tour["base"]
    if role in USERNAMES:
        _sign_in(page, base, USERNAMES[role], tour["totp"])
    problems = []
    for language in LANGUAGES:
        context.add_cookies([{"name": "dasi_language", "value": language, "url": base}])
        if role in USERNAMES:
            tour["speaks"](USERNAMES[role], language)
        for name, path in tour["plans"][role][language]:
            address = _address(path, language)
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                response = page.goto(base + address)
                page.wait_for_load_state("networkidle")
                assert response.status < 400, f"{address}: {response.status}"
                page.screenshot(path=TOUR / f"{role}-{language}-{width}-{name}.png", full_page=True)
                facts = page.evaluate(LAYOUT)
                if facts is None:  # the Wagtail admin: its own layout
                    continue
                where = f"{address} at {width} px"
                if facts["overflow"] > 0:
                    problems.append(f"{where} scrolls sideways by {facts['overflow']} px")
                if facts["top"] < 12:
                    problems.append(f"{where}: content {facts['top']:.0f} px below the header")
                if facts["bottom"] < 12:
                    problems.append(f"{where}: content {facts['bottom']:.0f} px above the footer")
    page.wait_for_load_state("networkidle")
    context.close()
    violations.check()
    return problems
