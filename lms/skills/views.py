"""HTTP for the learner's skill pages and the staff view of one learner.

Every view reads through selectors and writes through services; learners only ever see
their own profile, staff only the learners of the centre they serve.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods, require_POST

from lms.counselling.sharing import sharing_refused
from lms.privacy.models import AuditEvent
from lms.privacy.services import audit_record
from lms.views import problem

from . import services
from .consent import cv_use_allowed
from .engine.path import plan_path
from .forms import CVForm, GoalForm, PostingForm, SelfAssessmentForm
from .models import Role, Skill, SkillEvidence, TextClaim
from .selectors import (
    claims_for_review,
    learner_report_for_staff,
    postings_for_staff,
    role_demand,
    role_demand_rows,
    skill_report,
)


def _centre(request: HttpRequest):
    centre = getattr(request, "centre", None)
    return centre if centre else None


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """My skills: levels with provenance, the goal role's readiness and the role explorer."""
    report = skill_report(user=request.user, centre=_centre(request), paths_for=1)
    return render(
        request,
        "skills/overview.html",
        {
            "report": report,
            "focus": report.focus,
            "goal_form": GoalForm(initial={"role": report.goal.slug if report.goal else None}),
            "demand": role_demand(centre=_centre(request)),
        },
    )


@login_required
def role_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One role: the exact gap, skill by skill, and the path through this centre's courses."""
    role = get_object_or_404(Role, slug=slug, is_active=True)
    report = skill_report(user=request.user, centre=_centre(request), paths_for=0)
    role_report = next((r for r in report.roles if r.role.pk == role.pk), None)
    if role_report is None:
        raise Http404
    if role_report.path is None and report.courses:
        role_report.path = plan_path(
            role_report.fit.gaps,
            [c.engine for c in report.courses.values()],
            completed={str(pk) for pk in report.profile.completed_courses},
            levels=report.profile.levels,
        )
    return render(
        request,
        "skills/role_detail.html",
        {
            "report": report,
            "role_report": role_report,
            "is_goal": report.goal == role,
            "demand": role_demand(centre=_centre(request)).get(role.pk),
        },
    )


@require_POST
@login_required
def goal_set(request: HttpRequest) -> HttpResponse:
    form = GoalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles."))
        return redirect("skills:overview")
    try:
        services.goal_set(user=request.user, role=form.cleaned_data["role"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("skills:overview")
    messages.success(request, _("Goal role saved."))
    return redirect("skills:role", slug=form.cleaned_data["role"].slug)


@require_POST
@login_required
def goal_clear(request: HttpRequest) -> HttpResponse:
    services.goal_clear(user=request.user)
    messages.success(request, _("Goal role removed."))
    return redirect("skills:overview")


def _assessable_skills(request: HttpRequest, report) -> list[Skill]:
    """The focus role's skills first, then every other skill the learner has."""
    skills: dict[int, Skill] = {}
    focus = report.focus
    if focus is not None:
        for requirement in focus.role.requirements.all():
            skills[requirement.skill.pk] = requirement.skill
    for level in report.profile.rows():
        skills.setdefault(level.skill.pk, level.skill)
    return list(skills.values())


@require_http_methods(["GET", "POST"])
@login_required
def self_assessment(request: HttpRequest) -> HttpResponse:
    """Rate your own skills; ratings count one level lower until evidence confirms them."""
    report = skill_report(user=request.user, centre=None, paths_for=0)
    skills = _assessable_skills(request, report)
    latest: dict[int, int] = {}
    for item in SkillEvidence.objects.filter(
        user=request.user, source_type=SkillEvidence.Source.SELF_ASSESSMENT
    ).order_by("recorded_at"):
        latest[item.skill_id] = item.level
    form = SelfAssessmentForm(request.POST or None, skills=skills, initial_levels=latest)
    if request.method == "POST" and form.is_valid():
        ratings = form.ratings()
        for skill, level in ratings:
            services.self_assessment_record(user=request.user, skill=skill, level=level)
        messages.success(
            request,
            _("%(count)d rating(s) saved.") % {"count": len(ratings)},
        )
        return redirect("skills:overview")
    return render(request, "skills/self_assessment.html", {"form": form, "focus": report.focus})


@require_http_methods(["GET", "POST"])
@login_required
def cv(request: HttpRequest) -> HttpResponse:
    """Paste or upload a CV: each phrase is matched to a skill and shown back as a
    suggestion for the learner to confirm or reject; unmatched phrases get suggestions."""
    form = CVForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        try:
            if upload is not None:
                document = services.document_text(data=form.upload_bytes(), name=upload.name)
            else:
                document = services.document_text(text=form.cleaned_data["text"])
            services.cv_submit(
                user=request.user,
                text=document.text,
                source=document.source,
                document_name=document.name,
            )
        except ValidationError as exc:
            form.add_error("file" if upload is not None else "text", exc)
        else:
            messages.success(
                request, _("Your text was read. Confirm or reject each suggested skill.")
            )
            return redirect("skills:cv")
    try:
        claims = claims_for_review(
            viewer=request.user, learner_id=request.user.pk, centre=_centre(request)
        )
    except PermissionDenied:
        claims = TextClaim.objects.none()
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "skills/cv.html",
        {"form": form, "claims": claims, "cv_unused": not cv_use_allowed(user=request.user)},
        status=status,
    )


@require_POST
@login_required
def claim_review(request: HttpRequest, claim_id: int) -> HttpResponse:
    """Confirm or reject one CV suggestion: the learner's own, or, for a counsellor or
    admin, one of a learner of their centre. Anyone else gets 404."""
    claim = get_object_or_404(TextClaim, pk=claim_id)
    try:
        allowed = claims_for_review(
            viewer=request.user, learner_id=claim.user_id, centre=_centre(request)
        )
    except PermissionDenied:
        raise Http404 from None
    claim = get_object_or_404(allowed, pk=claim_id)
    centre = _centre(request)
    if centre is not None and sharing_refused(
        viewer=request.user, learner=claim.user, centre=centre
    ):
        return _sharing_refused(request, claim.user, centre, "CV suggestion review")
    decision = request.POST.get("decision")
    if decision not in ("confirm", "reject"):
        return HttpResponseBadRequest(_("Choose confirm or reject."))
    try:
        services.claim_review(
            claim=claim,
            reviewer=request.user,
            confirm=decision == "confirm",
            skill_uri=request.POST.get("skill", "")[:255],
        )
    except ValidationError as exc:
        return HttpResponseBadRequest(" ".join(exc.messages))
    if claim.user_id == request.user.pk:
        return redirect("skills:cv")
    return redirect("skills:staff_learner", user_id=claim.user_id)


@require_http_methods(["GET", "POST"])
@login_required
def postings(request: HttpRequest) -> HttpResponse:
    """A centre's local job postings and the skills they ask for (counsellors and admins)."""
    centre = _centre(request)
    try:
        items = postings_for_staff(viewer=request.user, centre=centre)
    except PermissionDenied:
        raise Http404 from None
    form = PostingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.posting_add(
                centre=centre,
                user=request.user,
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as exc:
            form.add_error("text", exc)
        else:
            messages.success(request, _("The posting was read."))
            return redirect("skills:postings")
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "skills/postings.html",
        {"form": form, "postings": items, "demand_rows": role_demand_rows(centre=centre)},
        status=status,
    )


@require_POST
@login_required
def posting_delete(request: HttpRequest, posting_id: int) -> HttpResponse:
    try:
        items = postings_for_staff(viewer=request.user, centre=_centre(request))
    except PermissionDenied:
        raise Http404 from None
    services.posting_delete(posting=get_object_or_404(items, pk=posting_id))
    return redirect("skills:postings")


def _sharing_refused(request: HttpRequest, learner, centre, what: str) -> HttpResponse:
    """A counsellor's request about a learner who withdrew sharing: refused and logged."""
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.DENIED,
        learner=learner,
        centre=centre,
        what=f"{what}: sharing with counsellors withdrawn",
    )
    return problem(
        request, _("This learner has not agreed to share their record with counsellors."), 403
    )


@login_required
def learner_for_staff(request: HttpRequest, user_id: int) -> HttpResponse:
    """A counsellor's or centre admin's view of one learner of the centre they serve."""
    centre = _centre(request)
    if centre is None:
        raise Http404
    try:
        learner, report = learner_report_for_staff(
            viewer=request.user, learner_id=user_id, centre=centre
        )
    except PermissionDenied:
        raise Http404 from None
    try:
        claims = claims_for_review(viewer=request.user, learner_id=user_id, centre=centre)
    except PermissionDenied:
        claims = TextClaim.objects.none()
    if sharing_refused(viewer=request.user, learner=learner, centre=centre):
        return _sharing_refused(request, learner, centre, "skill profile")
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.VIEW,
        learner=learner,
        centre=centre,
        what=gettext_noop("skill profile"),
    )
    return render(
        request,
        "skills/staff_learner.html",
        {
            "learner": learner,
            "report": report,
            "focus": report.focus,
            "claims": claims,
            "demand": role_demand(centre=centre),
        },
    )
