"""Learners' side of the notebook sandboxes: open an exercise in JupyterLab, submit it back."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessments.models import Assessment
from courses.models import LessonPage
from lms.views import problem

from . import selectors, services
from .hub import HubClient
from .models import SandboxLaunch

State = SandboxLaunch.State


def _exercise_url(launch: SandboxLaunch) -> str:
    return reverse("assessments:exercise", args=[launch.assessment_id, launch.lesson_id])


def _own_launch(request: HttpRequest, launch_id) -> SandboxLaunch:
    launch = get_object_or_404(
        SandboxLaunch.objects.select_related("assessment", "lesson"), pk=launch_id
    )
    if launch.user_id != request.user.pk:
        raise Http404  # someone else's launch does not exist for you
    return launch


def _advance(request: HttpRequest, launch: SandboxLaunch) -> SandboxLaunch:
    return services.launch_advance(
        launch=launch,
        return_url=request.build_absolute_uri(_exercise_url(launch)),
        lesson_url=request.build_absolute_uri(launch.lesson.get_url(request=request) or "/"),
    )


def _next_url(request: HttpRequest, launch: SandboxLaunch) -> str:
    """Where the browser goes now: the hub's sign-in, JupyterLab, or back to the exercise."""
    if launch.state == State.LOGIN:
        return services.hub_login_url(launch=launch, origin=request.build_absolute_uri("/"))
    if launch.state == State.READY:
        return HubClient().lab_url(launch.hub_username, launch.notebook_path)
    if launch.state == State.SUBMITTED:
        return _exercise_url(launch)
    return ""


@login_required
@require_POST
def launch_start(request: HttpRequest, assessment_id: int, lesson_id: int) -> HttpResponse:
    """ "Open exercise" / "Submit my notebook": record the launch, then show its progress."""
    assessment = get_object_or_404(Assessment, pk=assessment_id, kind=Assessment.Kind.NOTEBOOK)
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    intent = request.POST.get("intent", SandboxLaunch.Intent.OPEN)
    if intent not in SandboxLaunch.Intent.values:
        return problem(request, _("Unknown action."), 400)
    back = reverse("assessments:exercise", args=[assessment.pk, lesson.pk])
    try:
        launch = services.launch_create(
            user=request.user,
            assessment=assessment,
            lesson=lesson,
            intent=intent,
            language=getattr(request, "LANGUAGE_CODE", ""),
        )
    except PermissionDenied as exc:
        return problem(request, str(exc), 403, back)
    except ValidationError as exc:
        return problem(request, " ".join(exc.messages), 400, back)
    return redirect("sandboxes:launch", launch_id=launch.pk)


@login_required
@require_GET
def launch_page(request: HttpRequest, launch_id) -> HttpResponse:
    """The launch's progress; moves on by itself (script, or a refresh without one)."""
    launch = _advance(request, _own_launch(request, launch_id))
    next_url = _next_url(request, launch)
    if next_url and launch.state != State.SUBMITTED:
        return redirect(next_url)
    if launch.state == State.SUBMITTED:
        from django.contrib import messages

        messages.success(request, _("Submitted. Grading has started; this page updates itself."))
        return redirect(next_url)
    return render(
        request,
        "sandboxes/launch.html",
        {
            "launch": launch,
            "exercise_url": _exercise_url(launch),
            "stages": selectors.launch_stages(launch),
        },
    )


@login_required
@require_GET
def launch_status(request: HttpRequest, launch_id) -> JsonResponse:
    """The launch's state as JSON for the progress page's script (advances it too)."""
    launch = _advance(request, _own_launch(request, launch_id))
    return JsonResponse(
        {
            "state": launch.state,
            "label": launch.get_state_display(),
            "error": launch.error,
            "next": _next_url(request, launch),
            "stages": selectors.launch_stages(launch),
        }
    )
