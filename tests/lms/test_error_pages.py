"""Uncaught errors end on a static page: a 503 with Retry-After while the database or the task
queue is unreachable, a 500 otherwise; neither page needs the database to render."""

from __future__ import annotations

from django.db import OperationalError
from django.test import Client, override_settings
from django.urls import path

import pytest
from kombu.exceptions import OperationalError as BrokerError

from lms import urls as project_urls
from lms import views

FAILURES = {
    "database": OperationalError("connection to server at 127.0.0.1 refused"),
    "broker": BrokerError("[Errno 111] Connection refused"),
    "bug": ZeroDivisionError("division by zero"),
}


def _fail(request, name):
    raise FAILURES[name]


# This module is the URLconf of the tests below, with the project's error handler.
urlpatterns = [path("fail/<str:name>/", _fail)]
handler500 = project_urls.handler500


@pytest.fixture
def client():
    with override_settings(ROOT_URLCONF=__name__):
        yield Client(raise_request_exception=False)


def test_the_project_routes_uncaught_errors_to_the_static_page():
    assert project_urls.handler500 == "lms.views.server_error"


@pytest.mark.parametrize("name", ["database", "broker"])
def test_a_service_that_is_down_gives_a_503_with_retry_after(client, name):
    response = client.get(f"/fail/{name}/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert "잠시 후 다시 시도해 주세요" in body and "Please try again in a moment" in body
    assert "refused" not in body and "Traceback" not in body
    assert "Content-Security-Policy" in response


def test_any_other_error_gives_the_static_500(client):
    response = client.get("/fail/bug/")

    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "문제가 발생했습니다" in response.content.decode()


def test_the_cause_of_a_wrapped_error_counts():
    try:
        try:
            raise OperationalError("server closed the connection unexpectedly")
        except OperationalError as inner:
            raise RuntimeError("while rendering the page") from inner
    except RuntimeError as outer:
        assert views._dependency_down(outer)
    assert not views._dependency_down(ValueError("bad"))
