"""Signed-in course and lesson pages: the part every reader shares comes from a cache keyed by
the published version, the learner's own state from a few queries."""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction

import pytest

from courses.models import PublishedVersion
from courses.services import page_publish
from lms.accounts.models import Role, User
from lms.learning.models import LessonProgress
from lms.learning.services import enrolment_create, lesson_complete
from tests.conftest import A_HOST
from tests.factories import lessons_of, make_course, member

pytestmark = pytest.mark.django_db

MAX_LESSON_QUERIES = 8
MAX_COURSE_QUERIES = 8


def _url(page) -> str:
    return page.get_url_parts()[2]


def _learner_client(centre, course, username: str) -> Client:
    learner = member(centre, Role.LEARNER, username=username)
    enrolment_create(user=learner, course=course, centre=centre)
    client = Client(HTTP_HOST=A_HOST)
    client.force_login(learner)
    return client


def _user(client: Client) -> User:
    return User.objects.get(pk=client.session["_auth_user_id"])


def _queries(client: Client, path: str) -> int:
    assert client.get(path).status_code == 200  # warm: the shared part is cached now
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_signed_in_lesson_and_course_pages_stay_within_their_query_budget(centre_a):
    small = make_course(centre_a, "small-course", lessons=3, translate=False)
    large = make_course(centre_a, "large-course", lessons=15, translate=False)
    counts = {}
    for course in (small, large):
        client = _learner_client(centre_a, course, f"reader-{course.slug}")
        lessons = lessons_of(course)
        lesson_complete(user=_user(client), lesson=lessons[0])
        counts[course.slug] = (_queries(client, _url(lessons[1])), _queries(client, _url(course)))
    lesson_small, course_small = counts["small-course"]
    lesson_large, course_large = counts["large-course"]
    assert lesson_small <= MAX_LESSON_QUERIES, counts
    assert course_small <= MAX_COURSE_QUERIES, counts
    # Neither grows with the number of lessons.
    assert (lesson_small, course_small) == (lesson_large, course_large), counts


def test_the_learners_own_state_is_shown_not_another_learners(centre_a, course_a):
    first = _learner_client(centre_a, course_a, "first-reader")
    second = _learner_client(centre_a, course_a, "second-reader")
    lessons = lessons_of(course_a)
    lesson_complete(user=_user(first), lesson=lessons[0])
    path = _url(lessons[0])
    first_page = first.get(path).content.decode()
    second_page = second.get(path).content.decode()  # the body comes from the cache now
    assert 'class="done-note"' in first_page
    assert 'class="done-note"' not in second_page
    assert "레슨 1: 시작하기" in second_page  # the shared body is the same for both
    # Opening the lesson recorded the second learner's visit, through the cached route too.
    assert LessonProgress.objects.filter(
        enrolment__user=_user(second), lesson=lessons[0], status=LessonProgress.Status.STARTED
    ).exists()


def test_publishing_a_revision_reaches_every_signed_in_learner_on_the_next_request(
    centre_a, course_a
):
    readers = [_learner_client(centre_a, course_a, f"reader-{n}") for n in range(3)]
    lessons = lessons_of(course_a)
    lesson_path, course_path = _url(lessons[0]), _url(course_a)
    for client in readers:  # every shared part is cached now
        assert "레슨 1: 시작하기" in client.get(lesson_path).content.decode()
        assert "레슨 2" in client.get(course_path).content.decode()
    version = PublishedVersion.objects.get().value

    lesson = lessons[0]
    lesson.body = [
        {"type": "heading", "value": {"text": "새로 고친 절", "size": "h2"}},
        {"type": "paragraph", "value": "<p>개정된 본문입니다.</p>"},
    ]
    page_publish(lesson)
    renamed = lessons[1]
    renamed.title = "이름을 바꾼 레슨"
    page_publish(renamed)
    assert PublishedVersion.objects.get().value > version

    for client in readers:
        page = client.get(lesson_path).content.decode()
        assert "개정된 본문입니다." in page and "새로 고친 절" in page
        assert "레슨 1: 시작하기" not in page
        assert "이름을 바꾼 레슨" in page  # the outline in the side bar
        assert "이름을 바꾼 레슨" in client.get(course_path).content.decode()


def test_a_stale_cache_in_another_process_is_never_served(centre_a, course_a):
    """A per-process cache gets no message when another process publishes; the version read
    from the database retires its entries all the same."""
    reader = _learner_client(centre_a, course_a, "reader")
    lessons = lessons_of(course_a)
    path = _url(lessons[0])
    assert "레슨 1: 시작하기" in reader.get(path).content.decode()
    snapshot = dict(cache._cache)  # this process's entries, before the other one publishes
    lesson = lessons[0]
    lesson.body = [{"type": "paragraph", "value": "<p>다른 프로세스가 발행했습니다.</p>"}]
    page_publish(lesson)
    cache._cache.clear()
    cache._cache.update(snapshot)  # as if this process had not seen the publish at all
    assert "다른 프로세스가 발행했습니다." in reader.get(path).content.decode()


def test_unpublishing_a_lesson_takes_it_out_of_every_outline(centre_a, course_a):
    reader = _learner_client(centre_a, course_a, "reader")
    lessons = lessons_of(course_a)
    assert "레슨 3" in reader.get(_url(course_a)).content.decode()
    lessons[2].unpublish()
    assert "레슨 3" not in reader.get(_url(course_a)).content.decode()
    assert "레슨 3" not in reader.get(_url(lessons[0])).content.decode()
    assert reader.get(_url(lessons[2])).status_code == 404


def test_a_view_restriction_added_after_caching_is_enforced(centre_a, course_a):
    reader = _learner_client(centre_a, course_a, "reader")
    lesson = lessons_of(course_a)[0]
    assert reader.get(_url(lesson)).status_code == 200  # route cached
    PageViewRestriction.objects.create(
        page=course_a, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    response = reader.get(_url(lesson))
    assert response.status_code == 200
    assert "레슨 1: 시작하기" not in response.content.decode()  # the password form instead
    assert 'name="password"' in response.content.decode()
