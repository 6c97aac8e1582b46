"""HTTP for the learner journey. Each view checks the request and calls one service."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from courses.models import CoursePage, LessonPage
from lms.accounts.redirects import safe_return_path
from lms.views import problem

from . import services
from .selectors import dashboard as dashboard_rows
from .selectors import dashboard_context


def _message(exc: ValidationError | PermissionDenied) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or _("You may not do that.")


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    rows = dashboard_rows(user=request.user, request=request)
    return render(
        request,
        "learning/dashboard.html",
        {"rows": rows, **dashboard_context(user=request.user, request=request, rows=rows)},
    )


@require_POST
def enrol(request: HttpRequest, page_id: int) -> HttpResponse:
    course = get_object_or_404(CoursePage, pk=page_id)
    back = course.get_url(request) or "/"
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    try:
        services.enrolment_create(user=request.user, course=course, centre=request.centre)
    except services.AlreadyEnrolled as exc:
        return problem(request, _message(exc), 409, back)
    except PermissionDenied as exc:
        return problem(request, _message(exc), 403, back)
    except ValidationError as exc:
        return problem(request, _message(exc), 400, back)
    messages.success(request, _("You are enrolled. Start with the first lesson."))
    return redirect(back)


def _lesson_or_404(page_id: int) -> LessonPage:
    return get_object_or_404(LessonPage, pk=page_id)


@require_POST
@login_required
def lesson_complete(request: HttpRequest, page_id: int) -> HttpResponse:
    lesson = _lesson_or_404(page_id)
    back = lesson.get_url(request) or "/"
    try:
        services.lesson_complete(user=request.user, lesson=lesson)
    except PermissionDenied as exc:
        return problem(request, _message(exc), 403, back)
    except ValidationError as exc:
        return problem(request, _message(exc), 400, back)
    messages.success(request, _("Lesson completed."))
    return redirect(safe_return_path(request, request.POST.get("next"), fallback=back))


@require_POST
@login_required
def lesson_position(request: HttpRequest, page_id: int) -> HttpResponse:
    """Remember where the learner is in a lesson; called by the lesson page's script."""
    lesson = _lesson_or_404(page_id)
    try:
        payload = json.loads(request.body or b"{}")
        position = payload.get("position", "") if isinstance(payload, dict) else None
        if not isinstance(position, str):
            raise ValidationError(_('Send {"position": "<section id>"}.'))
        services.lesson_position_save(user=request.user, lesson=lesson, position=position)
    except json.JSONDecodeError:
        return JsonResponse({"error": _("The request body is not JSON.")}, status=400)
    except PermissionDenied as exc:
        return JsonResponse({"error": _message(exc)}, status=403)
    except ValidationError as exc:
        return JsonResponse({"error": _message(exc)}, status=400)
    return JsonResponse({"position": position})
