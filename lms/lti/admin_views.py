"""Admin views for centre admins: the platforms registered with their centres, and the
values (and dynamic registration address) to give a platform."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from hub_sites.models import Centre
from lms.accounts.models import Role
from lms.accounts.selectors import centres_where

from .dynamic_registration import ticket_for
from .forms import RegistrationForm
from .models import Registration
from .selectors import registrations_of
from .services import registration_create, registration_update


def _admin_centres(request: HttpRequest):
    if request.user.is_superuser:
        return Centre.objects.select_related("site")
    centres = centres_where(user=request.user, roles=[Role.CENTRE_ADMIN]).select_related("site")
    if not centres.exists():
        raise PermissionDenied
    return centres


def _tool_values(centre: Centre) -> dict:
    site = centre.site
    port = "" if site.port in (80, 443) else f":{site.port}"
    scheme = "http" if site.hostname.endswith("localhost") else "https"
    base = f"{scheme}://{site.hostname}{port}"
    return {
        "centre": centre,
        "login": base + reverse("lti:login"),
        "launch": base + reverse("lti:launch"),
        "jwks": base + reverse("lti:jwks"),
        "register": base + reverse("lti:register") + "?ticket=" + ticket_for(centre),
    }


def registration_list(request: HttpRequest) -> HttpResponse:
    centres = _admin_centres(request)
    return TemplateResponse(
        request,
        "lti/admin/list.html",
        {
            "registrations": registrations_of(centres=centres),
            "tools": [_tool_values(centre) for centre in centres],
        },
    )


def registration_edit(request: HttpRequest, registration_id: int | None = None) -> HttpResponse:
    centres = _admin_centres(request)
    instance = None
    if registration_id is not None:
        instance = get_object_or_404(Registration, pk=registration_id, centre__in=centres)
    form = RegistrationForm(request.POST or None, instance=instance, centres=centres)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "centre"}
        if instance is None:
            values.pop("active", None)
            registration_create(centre=form.cleaned_data["centre"], **values)
        else:
            registration_update(registration=instance, **values)
        return redirect("lti_admin_list")
    return TemplateResponse(
        request, "lti/admin/edit.html", {"form": form, "registration": instance}
    )
