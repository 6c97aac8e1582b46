"""The catalogue's lesson counts: right for every course, read in one grouped query."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from courses.selectors import catalogue_for_site_root
from tests.factories import lessons_of, make_course

pytestmark = pytest.mark.django_db


def test_each_course_counts_its_own_live_lessons_in_one_query(centre_a):
    sizes = {"one": 1, "two": 2, "five": 5}
    for slug, lessons in sizes.items():
        make_course(centre_a, slug, lessons=lessons, translate=False)
    lessons_of(make_course(centre_a, "hidden-one", lessons=3, translate=False))[0].unpublish()
    root = centre_a.site.root_page
    with CaptureQueriesContext(connection) as queries:
        courses = catalogue_for_site_root(root=root)
    assert {c.slug: c.lesson_count for c in courses} == {**sizes, "hidden-one": 2}
    grouped = [q["sql"] for q in queries.captured_queries if "GROUP BY" in q["sql"]]
    assert len(grouped) == 1  # every course's count at once

    for slug in ("six", "seven", "eight"):
        make_course(centre_a, slug, lessons=1, translate=False)
    with CaptureQueriesContext(connection) as more:
        assert len(catalogue_for_site_root(root=root)) == 7
    assert len(more.captured_queries) == len(queries.captured_queries)


def test_a_catalogue_without_courses_reads_no_counts(centre_a):
    root = centre_a.site.root_page
    with CaptureQueriesContext(connection) as queries:
        assert catalogue_for_site_root(root=root) == []
    assert not [q for q in queries.captured_queries if "GROUP BY" in q["sql"]]
