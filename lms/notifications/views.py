"""HTTP for a person's notifications, their preferences, course announcements and private
messages.

Every page shows only the signed-in person's own rows: another person's notification or
thread id matches nothing and answers 404, as does a course not offered by the centre that
serves the request. Refused writes change nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lms.accounts.models import User
from lms.views import problem

from . import selectors, services
from .forms import AnnouncementForm, MessageForm, NewMessageForm, PreferencesForm
from .tasks import announcement_deliver
from .texts import render as render_text


def _centre(request: HttpRequest):
    centre = getattr(request, "centre", None)
    if not centre:
        raise Http404
    return centre


@login_required
@require_http_methods(["GET"])
def notification_list(request: HttpRequest) -> HttpResponse:
    """A person's notifications, newest first, unread ones marked."""
    page = Paginator(selectors.notifications_of(user=request.user), 30).get_page(
        request.GET.get("page")
    )
    items = [(n, render_text(n)) for n in page.object_list]
    return render(request, "notifications/list.html", {"page": page, "items": items})


def _next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


@require_POST
@login_required
def mark_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification (`id`) or all of them (`all`) read; others' ids match nothing."""
    if request.POST.get("all"):
        services.notifications_mark_read(user=request.user)
    else:
        try:
            ids = [int(request.POST["id"])]
        except (KeyError, ValueError):
            return problem(request, _("Say which notification to mark read."), 400)
        changed = services.notifications_mark_read(user=request.user, ids=ids)
        if not changed and not selectors.notifications_of(user=request.user).filter(pk__in=ids):
            raise Http404
    return redirect(_next(request, request.path.removesuffix("read/")))


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """How a person wants each kind of notification."""
    form = PreferencesForm(
        request.POST or None, initial_channels=selectors.channels_of(user=request.user)
    )
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "notifications/preferences.html", {"form": form}, status=400)
        services.preferences_set(user=request.user, channels=form.channels())
        messages.success(request, _("Your notification settings are saved."))
        return redirect(request.path)
    return render(request, "notifications/preferences.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def announcements(request: HttpRequest, course_id: int) -> HttpResponse:
    """A course's announcements (its learners and staff); its staff post new ones here."""
    centre = _centre(request)
    course = selectors.course_in_centre(course_id=course_id, centre=centre)
    if course is None or not selectors.may_read_announcements(
        user=request.user, centre=centre, course=course
    ):
        raise Http404
    may_post = selectors.may_announce(user=request.user, centre=centre)
    form = AnnouncementForm(request.POST or None) if may_post else None
    status = 200
    if request.method == "POST":
        if not may_post:
            return problem(
                request, _("Only this centre's instructors and admins can post announcements."), 403
            )
        if form.is_valid():
            try:
                announcement = services.announcement_create(
                    centre=centre,
                    course=course,
                    author=request.user,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                )
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, error if isinstance(error, ValidationError) else str(error))
            else:
                transaction.on_commit(lambda: announcement_deliver.delay(announcement.pk))
                messages.success(request, _("Announcement posted; the course's learners are told."))
                return redirect(request.path)
        status = 400
    context = {
        "course": course,
        "announcements": selectors.announcements_of_course(course=course, centre=centre)[:50],
        "form": form,
    }
    return render(request, "notifications/announcements.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def threads(request: HttpRequest) -> HttpResponse:
    """A person's private conversations at this centre, and whom they may write to."""
    centre = _centre(request)
    people = selectors.correspondents_of(user=request.user, centre=centre)
    context = {
        "threads": selectors.threads_of(user=request.user, centre=centre),
        "form": NewMessageForm(correspondents=people) if people else None,
    }
    return render(request, "notifications/threads.html", context)


@require_POST
@login_required
def message_new(request: HttpRequest) -> HttpResponse:
    """Write to one's counsellor, or to a learner of one's caseload (anyone else: refused)."""
    centre = _centre(request)
    people = selectors.correspondents_of(user=request.user, centre=centre)
    form = NewMessageForm(request.POST, correspondents=people)
    if not form.is_valid():
        return render(
            request,
            "notifications/threads.html",
            {"threads": selectors.threads_of(user=request.user, centre=centre), "form": form},
            status=400 if people else 403,
        )
    to = User.objects.get(pk=form.cleaned_data["to"])
    try:
        message = services.message_send(
            centre=centre, sender=request.user, to=to, body=form.cleaned_data["body"]
        )
    except ValidationError as error:
        return problem(request, " ".join(error.messages), 400)
    return redirect("notifications:thread", thread_id=message.thread_id)


@login_required
@require_http_methods(["GET", "POST"])
def thread(request: HttpRequest, thread_id: int) -> HttpResponse:
    """One conversation; either of its two people answers here. Opening it marks its
    message notifications read."""
    centre = _centre(request)
    found = selectors.thread_for(user=request.user, thread_id=thread_id, centre=centre)
    if found is None:
        raise Http404
    form = MessageForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.thread_reply(
                    thread=found, sender=request.user, body=form.cleaned_data["body"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect(request.path)
        status = 400
    else:
        services.thread_notifications_read(user=request.user, thread=found)
    context = {
        "thread": found,
        "thread_messages": found.messages.select_related("author"),
        "form": form,
    }
    return render(request, "notifications/thread.html", context, status=status)
