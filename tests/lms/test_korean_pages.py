"""A Korean page of the main journeys holds no English sentence: the demo's learner, instructor,
counsellor and centre admin open their pages (the public site, learning, skills, counselling
and the Wagtail admin they work in) in Korean, and no run of English words shows.

The pages are those of the seeded demo (`seed_demo`), with its real ids; tests/lms/english.py
says what counts as visible text and which Latin-letter names a Korean page keeps.
"""

from __future__ import annotations

from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

import pytest

from assessments.models import Assessment
from courses.models import CourseIndexPage, CoursePage, LessonPage
from hub_sites.models import Centre
from lms.accounts.models import User
from lms.privacy.models import Purpose
from lms.privacy.services import record_consents
from lms.privacy.texts import CURRENT_VERSION
from lms.skills.models import Role as JobRole
from tests.factories import mfa_enrol
from tests.lms.english import english_in_page

pytestmark = pytest.mark.django_db

HOST = "dongtan.localhost"


def _lesson_with(course: CoursePage, block_type: str) -> LessonPage:
    return next(
        lesson
        for lesson in LessonPage.objects.child_of(course).live().specific().order_by("path")
        if any(block.block_type == block_type for block in lesson.body)
    )


def _learner_pages(centre: Centre) -> list[str]:
    course = CoursePage.objects.get(
        slug="python-data-analysis", alias_of__isnull=True, locale__language_code="ko"
    )
    index = CourseIndexPage.objects.child_of(centre.site.root_page).first()
    lessons = LessonPage.objects.child_of(course).live().order_by("path")
    quiz_lesson, exercise_lesson = _lesson_with(course, "quiz"), _lesson_with(course, "notebook")
    quiz = Assessment.objects.get(title="판다스 기초 확인 퀴즈")
    exercise = next(
        b.value["assessment"] for b in exercise_lesson.body if b.block_type == "notebook"
    )
    return [
        "/",
        index.relative_url(centre.site),
        course.relative_url(centre.site),
        *(lesson.relative_url(centre.site) for lesson in lessons),
        reverse("assessments:quiz", args=[quiz.pk, quiz_lesson.pk]),
        reverse("assessments:exercise", args=[exercise.pk, exercise_lesson.pk]),
        reverse("learning:dashboard"),
        reverse("assessments:my_grades"),
        reverse("skills:overview"),
        *(reverse("skills:role", args=[role.slug]) for role in JobRole.objects.all()),
        reverse("skills:self_assessment"),
        reverse("skills:cv"),
        reverse("certificates:mine"),
        reverse("privacy:account"),
        reverse("counselling:my_data"),
        reverse("profile"),
        reverse("search") + "?q=파이썬",
    ]


def _admin_pages(centre: Centre) -> list[str]:
    """The Wagtail admin pages every staff member starts from."""
    home = centre.site.root_page
    return [
        "/admin/",
        reverse("wagtailadmin_explore", args=[home.pk]),
        reverse("wagtailimages:index"),
        reverse("wagtaildocs:index"),
        reverse("wagtailmedia:index"),
    ]


def _instructor_pages(centre: Centre) -> list[str]:
    course = CoursePage.objects.get(
        slug="python-data-analysis", alias_of__isnull=True, locale__language_code="ko"
    )
    return [
        *_admin_pages(centre),
        reverse("wagtailadmin_explore", args=[course.pk]),
        reverse("wagtailadmin_explore", args=[course.pk]) + "?q=데이터",
        reverse("wagtailsnippets_assessments_assessment:list"),
        reverse("assessments_gradebook_index"),
        reverse("assessments_gradebook", args=[course.pk]),
    ]


def _counsellor_pages(centre: Centre) -> list[str]:
    learner = User.objects.get(username="dongtan-learner")
    return [
        "/admin/",
        reverse("counselling:caseload"),
        reverse("counselling:at_risk"),
        reverse("counselling:cohorts"),
        reverse("counselling:learner", args=[learner.pk]),
        reverse("skills:staff_learner", args=[learner.pk]),
    ]


def _centre_admin_pages(centre: Centre) -> list[str]:
    return [
        *_admin_pages(centre),
        reverse("wagtailsnippets_skills_role:list"),
        reverse("memberships:index"),
        reverse("certificates_admin_list"),
        reverse("counselling:assignments"),
        reverse("counselling:access_log"),
        reverse("privacy:audit_log"),
    ]


JOURNEYS = {
    "dongtan-learner": _learner_pages,
    "dongtan-instructor": _instructor_pages,
    "dongtan-counsellor": _counsellor_pages,
    "dongtan-admin": _centre_admin_pages,
}


@pytest.fixture
def demo(settings, tmp_path):
    settings.DASI_SKILLS_ARTIFACT = tmp_path / "taxonomy.h5"
    settings.DASI_SKILLS_CACHE = tmp_path / "cache"
    call_command("build_taxonomy", "--small", verbosity=0)
    call_command("seed_demo", port=80)
    mfa_enrol(User.objects.get(username="dongtan-admin"))
    return Centre.objects.get(slug="dongtan")


def consent(user: User) -> None:
    """The consent form answered "yes" to everything, as at sign-up."""
    record_consents(
        user=user, purposes=list(Purpose.values), text_version=CURRENT_VERSION, language="ko"
    )


def _english(client: Client, url: str) -> list[str]:
    response = client.get(url, HTTP_HOST=HOST, HTTP_ACCEPT_LANGUAGE="ko")
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return english_in_page(response.content.decode())


def test_korean_pages_of_every_role_show_no_english(demo):
    found = {}
    for username, pages in JOURNEYS.items():
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        with translation.override("ko"):
            first = reverse("privacy:consent")  # a first sign-in asks for consent first
            found[f"{username} {first}"] = _english(client, first)
            consent(user)
            urls = pages(demo)
        for url in urls:
            found[f"{username} {url}"] = _english(client, url)
    found = {page: runs for page, runs in found.items() if runs}
    assert not found, "English on Korean pages:\n" + "\n".join(
        f"{page}: {runs}" for page, runs in found.items()
    )


def test_the_check_finds_english_sentences_labels_and_templates_but_not_names_or_code():
    page = """<html><head><title>실습</title><style>.a{}</style></head><body>
      <p>pandas로 데이터 정제하기 · Cleaning data with pandas</p>
      <a href="/admin/media/">Media</a>
      <span>1-2 of 2 페이지</span>
      <input type="submit" value="Add video">
      <p>Python과 JupyterLab으로 ESCO 역량을 쌓습니다. © European Union</p>
      <pre>df.dropna(how="any")</pre><code>pd.read_csv('sales.csv')</code>
      <td lang="en">Data analyst</td><span translate="no">dongtan-learner</span>
      <script>var x = "not shown";</script></body></html>"""
    assert english_in_page(page) == [
        "Cleaning data with",
        "Media",
        "of 2 페이지",
        "Add video",
    ]
