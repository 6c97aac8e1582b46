"""Shared fixtures: two centres on their own host names, a course, one person per role."""

from __future__ import annotations

import os

import pytest

from lms.accounts.models import Role
from tests.browser import artifacts, axe, browser, page  # noqa: F401 — shared browser fixtures
from tests.factories import UserFactory, make_centre, make_course, member, wagtail_base_ensure

A_HOST = "dongtan.localhost"
B_HOST = "gimpo.localhost"


def pytest_configure(config):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI every test must run: a skip there means a component is missing."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped under CI, which must provide every component: {report.longrepr}"


@pytest.fixture(autouse=True)
def _fresh_cache_and_language():
    """Cached pages and the active language must not leak from one test into the next (a
    request under /en/ leaves English active in the thread)."""
    from django.conf import settings
    from django.core.cache import cache
    from django.utils import translation

    cache.clear()
    translation.activate(settings.LANGUAGE_CODE)
    yield
    cache.clear()
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """A reused test database may have been flushed by a browser test; restore Wagtail's base."""
    with django_db_blocker.unblock():
        wagtail_base_ensure()


@pytest.fixture
def centre_a(db):
    return make_centre("dongtan", default=True)


@pytest.fixture
def centre_b(db):
    return make_centre("gimpo")


@pytest.fixture
def course_a(centre_a):
    return make_course(centre_a, "data-analysis", lessons=3)


@pytest.fixture
def learner_a(centre_a):
    return member(centre_a, Role.LEARNER, username="learner-a")


@pytest.fixture
def learner_b(centre_b):
    return member(centre_b, Role.LEARNER, username="learner-b")


@pytest.fixture
def instructor_a(centre_a):
    return member(centre_a, Role.INSTRUCTOR, username="instructor-a")


@pytest.fixture
def instructor_b(centre_b):
    return member(centre_b, Role.INSTRUCTOR, username="instructor-b")


@pytest.fixture
def admin_a(centre_a):
    return member(centre_a, Role.CENTRE_ADMIN, username="admin-a")


@pytest.fixture
def admin_b(centre_b):
    return member(centre_b, Role.CENTRE_ADMIN, username="admin-b")


@pytest.fixture
def counsellor_b(centre_b):
    return member(centre_b, Role.COUNSELLOR, username="counsellor-b")


@pytest.fixture
def outsider(db):
    return UserFactory(username="outsider")
