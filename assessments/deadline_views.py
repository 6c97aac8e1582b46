"""HTTP for due dates: the learner's calendar page and iCalendar feed, and the staff page
granting extensions. Views check the request and call `assessments.deadlines`."""

from __future__ import annotations

import calendar as month_calendar
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lms.accounts.selectors import holds_role

from . import deadlines
from .admin_forms import AUTHOR_ROLES, ExtensionForm

FEED_TOKEN_SESSION_KEY = "dasi_calendar_feed_token"  # noqa: S105 — a session key's name
LANGUAGES = ("ko", "en")


def _month(value: str | None) -> date:
    """The first day of the month asked for (``?month=2027-03``), else of this month."""
    today = timezone.localdate()
    if value:
        try:
            year, month = (int(part) for part in value.split("-"))
            return date(year, month, 1)
        except ValueError:
            pass
    return today.replace(day=1)


def _weeks(first: date, items) -> list[list[dict]]:
    """The month as weeks of days (Monday first), each day with the items due on it."""
    by_day: dict[date, list] = {}
    for item in items:
        by_day.setdefault(timezone.localdate(item.due_at), []).append(item)
    weeks = []
    for week in month_calendar.Calendar().monthdatescalendar(first.year, first.month):
        weeks.append(
            [
                {"day": day, "in_month": day.month == first.month, "items": by_day.get(day, [])}
                for day in week
            ]
        )
    return weeks


@require_GET
@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    """The learner's due dates: a month grid, the list of what is open, and their feed."""
    first = _month(request.GET.get("month"))
    items = deadlines.deadlines_of(user=request.user)
    previous = (first - timedelta(days=1)).replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    token = request.session.pop(FEED_TOKEN_SESSION_KEY, None)
    feed_url = (
        request.build_absolute_uri(reverse("assessments:calendar_ics", args=[token]))
        if token
        else None
    )
    return render(
        request,
        "assessments/calendar.html",
        {
            "month": first,
            "weeks": _weeks(first, items),
            "previous": previous,
            "following": following,
            "open_items": [item for item in items if item.is_open],
            "items": items,
            "feed": deadlines.calendar_feed_active(user=request.user),
            "feed_url": feed_url,
            "today": timezone.localdate(),
        },
    )


@require_POST
@login_required
def calendar_feed_new(request: HttpRequest) -> HttpResponse:
    """A new secret calendar address (the old one stops working); shown once."""
    _feed, token = deadlines.calendar_feed_create(user=request.user)
    request.session[FEED_TOKEN_SESSION_KEY] = token
    messages.success(request, _("Your new calendar address is below. Copy it now."))
    return redirect("assessments:calendar")


@require_POST
@login_required
def calendar_feed_revoke(request: HttpRequest) -> HttpResponse:
    deadlines.calendar_feed_revoke(user=request.user)
    messages.success(request, _("Your calendar address no longer works."))
    return redirect("assessments:calendar")


@require_GET
def calendar_ics(request: HttpRequest, token: str) -> HttpResponse:
    """The learner's due dates as iCalendar (RFC 5545), opened by the secret token alone
    (calendar apps send no session). Unknown or revoked: 404. ``?lang=ko|en`` chooses the
    language, else the learner's preferred one."""
    user = deadlines.calendar_feed_user(token=token)
    if user is None:
        raise Http404(_("No such calendar."))
    language = request.GET.get("lang")
    if language not in LANGUAGES:
        language = user.preferred_language if user.preferred_language in LANGUAGES else "ko"
    with translation.override(language):
        body = deadlines.calendar_ics(user=user, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="dasi.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


def extensions(request: HttpRequest) -> HttpResponse:
    """Staff: grant a learner of one of their centres' runs a later due date, with a reason;
    the extensions granted in their centres, newest first."""
    if not holds_role(user=request.user, roles=AUTHOR_ROLES):
        raise PermissionDenied
    status = 200
    form = ExtensionForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                deadlines.extension_grant(
                    granted_by=request.user,
                    due_date=form.cleaned_data["due_date"],
                    user=form.cleaned_data["learner"],
                    due_at=form.cleaned_data["due_at"],
                    reason=form.cleaned_data["reason"],
                )
            except PermissionDenied:
                raise
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    target = {"user": "learner"}.get(field, field)
                    form.add_error(target if target in form.fields else None, errors)
                status = 400
            else:
                messages.success(request, _("The extension has been granted."))
                return redirect("assessments_extensions")
        else:
            status = 400
    elif request.method != "GET":
        return HttpResponse(status=405)
    return TemplateResponse(
        request,
        "assessments/admin/extensions.html",
        {"form": form, "extensions": deadlines.extensions_for_staff(user=request.user)[:200]},
        status=status,
    )
