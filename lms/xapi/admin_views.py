"""Admin: each centre admin connects their centre's Learning Record Store and sees what was
sent; superusers also set the platform-wide store."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from lms.accounts.models import Role
from lms.accounts.selectors import centres_where

from .forms import LrsEndpointForm
from .models import LrsEndpoint
from .selectors import outbox_counts
from .services import lrs_endpoint_save

PLATFORM = "platform"


def _scopes(request: HttpRequest) -> dict:
    """What the user may configure: key → centre (None: the platform's store)."""
    centres = centres_where(user=request.user, roles=[Role.CENTRE_ADMIN]).select_related("site")
    scopes = {str(c.pk): c for c in centres}
    if request.user.is_superuser:
        scopes[PLATFORM] = None
    if not scopes:
        raise PermissionDenied
    return scopes


def _form(centre, data=None) -> LrsEndpointForm:
    endpoint = LrsEndpoint.objects.filter(centre=centre).first()
    initial = (
        {"url": endpoint.url, "username": endpoint.username, "enabled": endpoint.enabled}
        if endpoint
        else {"enabled": True}
    )
    return LrsEndpointForm(data, initial=initial, prefix=str(centre.pk if centre else PLATFORM))


def stores(request: HttpRequest) -> HttpResponse:
    scopes = _scopes(request)
    forms = {key: _form(centre) for key, centre in scopes.items()}
    status = 200
    if request.method == "POST":
        key = request.POST.get("scope", "")
        if key not in scopes:
            raise PermissionDenied
        form = forms[key] = _form(scopes[key], request.POST)
        if form.is_valid():
            try:
                lrs_endpoint_save(centre=scopes[key], **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("The learning record store was saved."))
                return redirect("xapi_admin_stores")
        status = 400
    rows = [
        {
            "key": key,
            "centre": centre,
            "form": forms[key],
            "counts": outbox_counts(centre=centre),
            "configured": LrsEndpoint.objects.filter(centre=centre).exists(),
        }
        for key, centre in scopes.items()
    ]
    return TemplateResponse(request, "xapi/admin/stores.html", {"rows": rows}, status=status)
