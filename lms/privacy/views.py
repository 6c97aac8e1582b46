"""HTTP for a person's data rights and for centre admins' privacy pages.

A learner reaches only their own consents, exports and erasure; a download link works once,
for its owner, until it expires. Centre admins read and export only their own centre's audit
log and ask for erasure only of their own centre's learners.
"""

from __future__ import annotations

import csv
import logging

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lms.accounts.models import Role
from lms.accounts.redirects import safe_return_path
from lms.accounts.selectors import centres_where, holds_role, user_roles_in_centre
from lms.views import problem

from . import retention, selectors, services
from .forms import AuditFilterForm, ConsentForm, PolicyForm
from .models import AuditEvent, ConsentRecord, DataExport, ErasureRequest
from .services import LinkRefused

log = logging.getLogger(__name__)


def _refused(request: HttpRequest, what: str, *, learner=None) -> None:
    """Log a refused request about someone's data (application log and audit log)."""
    log.warning("privacy request refused for user %s: %s", request.user.pk, what)
    services.audit_record(
        actor=request.user,
        action=AuditEvent.Action.DENIED,
        learner=learner,
        centre=getattr(request, "centre", None),
        what=what,
    )


def _language() -> str:
    return (get_language() or "ko")[:2]


def _first_error(exc: ValidationError) -> str:
    return exc.messages[0] if exc.messages else str(exc)


@require_http_methods(["GET", "POST"])
@login_required
def consent(request: HttpRequest) -> HttpResponse:
    """The consent page: at first arrival through single sign-on or LTI, and whenever the
    consent text has a new version."""
    next_url = safe_return_path(request, request.GET.get("next"), fallback="/")
    latest = selectors.consent_latest(user=request.user)
    form = ConsentForm(
        request.POST or None,
        initial_consents={p: r.granted for p, r in latest.items()},
    )
    if request.method == "POST":
        if form.is_valid():
            services.record_consents(
                user=request.user,
                purposes=form.chosen_purposes(),
                text_version=form.cleaned_data["text_version"],
                language=_language(),
                source=ConsentRecord.Source.ARRIVAL,
            )
            return redirect(next_url)
        return render(request, "privacy/consent.html", {"form": form}, status=400)
    return render(request, "privacy/consent.html", {"form": form})


@require_GET
@login_required
def account(request: HttpRequest) -> HttpResponse:
    """The learner's privacy page: consents, "download my data" and erasure."""
    user = request.user
    exports = [
        {
            "export": export,
            "token": services.export_link_token(export=export)
            if export.status == DataExport.Status.READY and not export.downloaded_at
            else "",
        }
        for export in selectors.exports_of(user=user)
    ]
    latest = selectors.consent_latest(user=user)
    return render(
        request,
        "privacy/account.html",
        {
            "rows": selectors.consent_rows(user=user),
            "form": ConsentForm(initial_consents={p: r.granted for p, r in latest.items()}),
            "exports": exports,
            "erasure": selectors.erasure_pending(user=user),
            "grace_days": selectors.erasure_grace_days(user=user),
        },
    )


@require_POST
@login_required
def consents_update(request: HttpRequest) -> HttpResponse:
    """Change optional consents from the privacy page (a withdrawal takes effect at once)."""
    form = ConsentForm(request.POST)
    if not form.is_valid():
        return problem(request, _("Tick the required consent and try again."), 400)
    services.record_consents(
        user=request.user,
        purposes=form.chosen_purposes(),
        text_version=form.cleaned_data["text_version"],
        language=_language(),
        source=ConsentRecord.Source.ACCOUNT,
    )
    messages.success(request, _("Your consent choices are saved."))
    return redirect("privacy:account")


@require_POST
@login_required
def export_request(request: HttpRequest) -> HttpResponse:
    """Queue the archive of everything Dasi holds about the signed-in person."""
    services.export_request(user=request.user)
    messages.success(
        request, _("Your archive is being prepared. Its download link appears on this page.")
    )
    return redirect("privacy:account")


@require_GET
@login_required
def export_download(request: HttpRequest, token: str) -> HttpResponse:
    """The archive behind a signed link: its owner only, once, before it expires."""
    try:
        export = services.export_open(token=token, user=request.user)
    except LinkRefused as exc:
        if exc.status == 403:
            return problem(request, _("This download link belongs to someone else."), 403)
        raise Http404(_("This download link has expired or was used already.")) from None
    stamp = timezone.localdate().isoformat()
    return FileResponse(
        export.archive.open("rb"),
        as_attachment=True,
        filename=f"dasi-my-data-{stamp}.zip",
        content_type="application/zip",
    )


@require_POST
@login_required
def erasure_request(request: HttpRequest) -> HttpResponse:
    """The learner asks for their own account to be erased after the grace period."""
    try:
        services.erasure_request(user=request.user, requested_by=request.user)
    except ValidationError as exc:
        return problem(request, _first_error(exc), 409)
    messages.success(request, _("Your account will be erased when the grace period ends."))
    return redirect("privacy:account")


@require_POST
@login_required
def erasure_cancel(request: HttpRequest, erasure_id: int) -> HttpResponse:
    """Cancel a waiting erasure: the learner, or an admin of the centre that asked."""
    erasure = ErasureRequest.objects.filter(pk=erasure_id).select_related("user").first()
    if erasure is None:
        _refused(request, f"erasure cancel: no erasure {erasure_id}")
        raise Http404
    try:
        services.erasure_cancel(request=erasure, by=request.user)
    except PermissionDenied:
        # Named by id only: the learner may belong to a centre whose log this is not.
        _refused(request, f"erasure cancel: erasure {erasure_id} of another person")
        raise Http404 from None
    except ValidationError as exc:
        return problem(request, _first_error(exc), 409)
    messages.success(request, _("The erasure is cancelled."))
    if erasure.user_id == request.user.pk:
        return redirect("privacy:account")
    return redirect("privacy:audit_log")


# --- Centre admins ---------------------------------------------------------------------------


def _centre_admin(request: HttpRequest):
    centre = getattr(request, "centre", None)
    if centre is None:
        raise Http404
    if not request.user.is_superuser and Role.CENTRE_ADMIN not in user_roles_in_centre(
        user=request.user, centre=centre
    ):
        raise PermissionDenied
    return centre


def _audit_filters(request: HttpRequest, centre):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.audit_rows(centre=centre, **{k: v for k, v in filters.items() if v})
    return form, rows


@require_GET
@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """Centre admins: staff actions on personal data at this centre, filtered."""
    try:
        centre = _centre_admin(request)
    except PermissionDenied:
        return problem(request, _("Only centre admins can read the privacy audit log."), 403)
    form, rows = _audit_filters(request, centre)
    pending = (
        ErasureRequest.objects.filter(
            status=ErasureRequest.Status.PENDING, user__memberships__centre=centre
        )
        .select_related("user")
        .distinct()
    )
    return render(
        request,
        "privacy/audit_log.html",
        {"form": form, "rows": rows[:500], "total": len(rows), "pending": pending},
        status=200 if form.is_bound is False or form.is_valid() else 400,
    )


@require_GET
@login_required
def audit_log_csv(request: HttpRequest) -> HttpResponse:
    """The same entries as CSV (the export itself is logged)."""
    try:
        centre = _centre_admin(request)
    except PermissionDenied:
        return problem(request, _("Only centre admins can read the privacy audit log."), 403)
    form, rows = _audit_filters(request, centre)
    if form.is_bound and not form.is_valid():
        return problem(request, _("Check the filters: a date is not valid."), 400)
    services.audit_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        centre=centre,
        what=f"privacy audit log CSV ({len(rows)} rows)",
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="privacy-audit-{centre.slug}-{timezone.localdate()}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(["at", "actor", "learner", "action", "what"])
    for row in rows:
        writer.writerow([row.at.isoformat(), row.actor, row.learner, row.action, row.what])
    return response


@require_POST
@login_required
def learner_erasure(request: HttpRequest, learner_id: int) -> HttpResponse:
    """A centre admin asks for the erasure of a learner of their centre."""
    try:
        centre = _centre_admin(request)
    except PermissionDenied:
        _refused(request, f"erasure of user {learner_id}: not a centre admin here")
        return problem(request, _("Only centre admins can ask for a learner's erasure."), 403)
    learner = (
        get_user_model()
        .objects.filter(pk=learner_id, memberships__centre=centre, memberships__role=Role.LEARNER)
        .first()
    )
    if learner is None:
        _refused(request, f"erasure of user {learner_id}: not a learner of this centre")
        raise Http404
    try:
        services.erasure_request(user=learner, requested_by=request.user, centre=centre)
    except ValidationError as exc:
        return problem(request, _first_error(exc), 409)
    messages.success(request, _("The learner's account will be erased after the grace period."))
    return redirect("privacy:audit_log")


# --- Wagtail admin: a centre's retention periods -------------------------------------------


def _administered_centres(request: HttpRequest):
    """The centres whose policy the user may set: their own as centre admin (all for
    superusers). Anyone else is refused (Wagtail answers with its "no permission" bounce)."""
    if not holds_role(user=request.user, roles=[Role.CENTRE_ADMIN]):
        raise PermissionDenied
    return centres_where(user=request.user, roles=[Role.CENTRE_ADMIN]).select_related("site")


def retention_index(request: HttpRequest) -> HttpResponse:
    """Admin page: each of the user's centres with its retention periods and what the
    nightly task would delete now."""
    rows = [
        {
            "centre": centre,
            "policy": selectors.policy_for(centre=centre),
            "counts": retention.retention_plan(centre=centre).counts(),
        }
        for centre in _administered_centres(request).order_by("slug")
    ]
    return TemplateResponse(request, "privacy/admin/retention_index.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
def retention_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Admin page: view and change one centre's retention periods (its admins only; another
    centre answers 404), with the dry-run figures of the nightly task."""
    centre = _administered_centres(request).filter(slug=slug).first()
    if centre is None:
        raise Http404
    form = PolicyForm(request.POST or None, instance=selectors.policy_for(centre=centre))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.policy_update(centre=centre, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The retention periods are saved."))
                return redirect("privacy_retention_edit", slug=centre.slug)
        status = 400
    return TemplateResponse(
        request,
        "privacy/admin/retention_edit.html",
        {
            "centre": centre,
            "form": form,
            "counts": retention.retention_plan(centre=centre).counts(),
        },
        status=status,
    )
