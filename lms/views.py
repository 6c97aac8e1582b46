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
