"""Admin view where a centre admin offers other centres' courses in their own catalogue."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from courses.models import CoursePage
from lms.accounts.models import Role
from lms.accounts.selectors import centres_where

from .selectors import courses_offerable_to
from .services import course_offer


@require_http_methods(["GET", "POST"])
def course_exchange(request: HttpRequest) -> HttpResponse:
    centres = list(centres_where(user=request.user, roles=[Role.CENTRE_ADMIN]))
    if not centres:
        raise PermissionDenied
    wanted = request.POST.get("centre") or request.GET.get("centre")
    centre = next((c for c in centres if str(c.pk) == wanted), None) if wanted else centres[0]
    if centre is None:
        raise PermissionDenied
    if request.method == "POST":
        course_id = request.POST.get("course", "")
        if not course_id.isdigit():
            raise Http404(_("No such course."))
        course = get_object_or_404(CoursePage, pk=int(course_id))
        try:
            course_offer(course=course, centre=centre, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("“%(course)s” is now offered at %(centre)s.")
                % {"course": course.title, "centre": centre},
            )
        return redirect(f"{reverse('hub_sites_course_exchange')}?centre={centre.pk}")
    return TemplateResponse(
        request,
        "hub_sites/admin/course_exchange.html",
        {"centre": centre, "centres": centres, "rows": courses_offerable_to(centre=centre)},
    )
