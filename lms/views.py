"""What every app's views share: the page that explains a refused request."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def problem(request: HttpRequest, message: str, status: int, back_url: str = "") -> HttpResponse:
    """A page (or JSON for scripts) explaining why a request was refused; nothing was changed."""
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"error": message}, status=status)
    return render(
        request, "problem.html", {"message": message, "back_url": back_url}, status=status
    )


def _dependency_down(exc: BaseException | None) -> bool:
    """Whether an uncaught error says a service the platform needs is unreachable right now."""
    from django.db import InterfaceError
    from django.db import OperationalError as DatabaseUnavailable

    from kombu.exceptions import OperationalError as BrokerUnavailable

    while exc is not None:
        if isinstance(exc, (DatabaseUnavailable, InterfaceError, BrokerUnavailable)):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def server_error(request: HttpRequest) -> HttpResponse:
    """The page for an uncaught error, rendered without the database or the session.

    A database or task queue that is down for a moment (a restart, a failover) is a 503 with
    Retry-After, saying that nothing was saved and to try again; anything else is a 500. Both
    are static pages in Korean and English, so rendering them cannot fail the same way.
    """
    import sys

    from django.template.loader import render_to_string

    unavailable = _dependency_down(sys.exc_info()[1])
    status = 503 if unavailable else 500
    body = render_to_string("error.html", {"unavailable": unavailable, "status": status})
    response = HttpResponse(body, status=status)
    if unavailable:
        response["Retry-After"] = "30"
    return response
