"""The admin's start page per role: the right figures, only of the viewer's own centre, in a
fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Locale
from wagtail.users.models import UserProfile

import pytest

from assessments.models import Attempt, GradingResult
from lms.accounts.models import Role
from lms.counselling.services import caseload_assign
from lms.learning.models import Enrolment
from lms.learning.services import enrolment_create
from tests.conftest import A_HOST
from tests.factories import make_course, make_quiz, member

pytestmark = pytest.mark.django_db


def _admin_home(client, user) -> str:
    client.force_login(user)
    response = client.get("/admin/", HTTP_HOST=A_HOST)
    assert response.status_code == 200
    return response.content.decode()


def _panel(page: str, marker: str) -> str:
    return page[page.index(marker) :].split("</section>", 1)[0]


def _submitted(user, course, quiz, *, failed: bool) -> Attempt:
    attempt = Attempt.objects.create(
        assessment=quiz, user=user, course=course, number=1, status=Attempt.Status.SUBMITTED
    )
    status = GradingResult.Status.FAILED if failed else GradingResult.Status.QUEUED
    GradingResult.objects.create(attempt=attempt, status=status)
    return attempt


def test_instructor_sees_their_courses_with_learners_and_grading_to_do(
    client, centre_a, centre_b, course_a, instructor_a, instructor_b
):
    empty = make_course(centre_a, "empty-course", lessons=1, translate=False)
    quiz = make_quiz(centre_a, course_a)
    waiting, broken = (member(centre_a, Role.LEARNER) for _ in range(2))
    for learner in (waiting, broken):
        enrolment_create(user=learner, course=course_a, centre=centre_a)
    _submitted(waiting, course_a, quiz, failed=False)
    _submitted(broken, course_a, quiz, failed=True)

    panel = _panel(_admin_home(client, instructor_a), 'id="dasi-my-courses')
    row = panel[panel.index(f'data-course="{course_a.pk}"') :].split("</tr>", 1)[0]
    assert [cell.split(">")[-1] for cell in row.split("</td>")[1:4]] == ["2", "1", ""]
    assert "<strong>1</strong>" in row  # the failed grading, emphasised and linked
    # Courses with learners first; a course without learners still listed, after them.
    assert panel.index(course_a.title) < panel.index(empty.title)

    other = _admin_home(client, instructor_b)
    assert course_a.title not in other


def test_centre_admin_sees_the_centre_week(client, centre_a, centre_b, course_a, admin_a, admin_b):
    fresh, quiet = (member(centre_a, Role.LEARNER) for _ in range(2))
    enrolment_create(user=fresh, course=course_a, centre=centre_a)
    old = enrolment_create(user=quiet, course=course_a, centre=centre_a)
    long_ago = timezone.now() - timedelta(days=40)
    Enrolment.objects.filter(pk=old.pk).update(enrolled_at=long_ago, last_activity_at=long_ago)
    lesson = course_a.get_children().first().specific
    lesson.save_revision(user=admin_a)
    lesson.get_workflow().start(lesson, admin_a)

    panel = _panel(_admin_home(client, admin_a), 'data-centre="dongtan"')
    figures = {
        name: panel.split(f'data-figure="{name}">', 1)[1].split("<", 1)[0].strip()
        for name in ("enrolments_week", "at_risk", "certificates", "in_moderation")
    }
    assert figures == {
        "enrolments_week": "1",
        "at_risk": "1",
        "certificates": "0",
        "in_moderation": "1",
    }
    assert 'data-centre="dongtan"' not in _admin_home(client, admin_b)


def test_counsellor_sees_their_own_learners_at_risk(client, centre_a, course_a, admin_a):
    counsellor = member(centre_a, Role.COUNSELLOR, username="counsellor-a")
    mine, theirs = (member(centre_a, Role.LEARNER, name=n) for n in ("김하나", "이두리"))
    long_ago = timezone.now() - timedelta(days=40)
    for learner in (mine, theirs):
        enrolment = enrolment_create(user=learner, course=course_a, centre=centre_a)
        Enrolment.objects.filter(pk=enrolment.pk).update(
            enrolled_at=long_ago, last_activity_at=long_ago
        )
    caseload_assign(centre=centre_a, counsellor=counsellor, learners=[mine], assigned_by=admin_a)
    page = _admin_home(client, counsellor)
    panel = _panel(page, 'id="dasi-caseload-dongtan')
    assert 'data-at-risk="1"' in panel
    assert "김하나" in panel and "이두리" not in panel
    assert reverse("counselling:learner", args=[mine.pk]) in panel


def test_the_start_page_costs_the_same_with_more_courses_and_learners(
    client, centre_a, course_a, instructor_a
):
    def queries() -> int:
        client.force_login(instructor_a)
        with CaptureQueriesContext(connection) as captured:
            client.get("/admin/", HTTP_HOST=A_HOST)
        return len(captured)

    queries()  # the first request after signing in fills per-session caches
    before = queries()
    for n in range(3):
        course = make_course(centre_a, f"more-{n}", lessons=1, translate=False)
        enrolment_create(user=member(centre_a, Role.LEARNER), course=course, centre=centre_a)
    assert queries() == before


def test_gradebook_list_counts_learners_and_hides_empty_courses(
    client, centre_a, course_a, instructor_a
):
    empty = make_course(centre_a, "empty-course", lessons=1, translate=False)
    enrolment_create(user=member(centre_a, Role.LEARNER), course=course_a, centre=centre_a)
    client.force_login(instructor_a)
    url = reverse("assessments_gradebook_index")
    page = client.get(url, HTTP_HOST=A_HOST).content.decode()
    row = page[page.index(f'data-course="{course_a.pk}"') :].split("</tr>", 1)[0]
    assert "<td>1</td>" in row
    assert empty.title not in page and "?all=1" in page
    everything = client.get(url + "?all=1", HTTP_HOST=A_HOST).content.decode()
    assert empty.title in everything


def test_page_explorer_opens_at_the_centre_home_in_the_admin_language(
    client, centre_a, instructor_a, admin_b, centre_b
):
    home = centre_a.site.root_page
    page = _admin_home(client, instructor_a)
    assert reverse("wagtailadmin_explore", args=[home.pk]) in page
    english_home = home.get_translation(Locale.objects.get(language_code="en"))
    profile = UserProfile.get_for_user(instructor_a)
    profile.preferred_language = "en"
    profile.save()
    page = _admin_home(client, instructor_a)
    assert reverse("wagtailadmin_explore", args=[english_home.pk]) in page
    # Another centre's admin opens at their own home, never at this one.
    page = _admin_home(client, admin_b)
    assert reverse("wagtailadmin_explore", args=[home.pk]) not in page
    assert reverse("wagtailadmin_explore", args=[centre_b.site.root_page.pk]) in page
