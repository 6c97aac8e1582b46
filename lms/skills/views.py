"""HTTP for the learner's skill pages and the staff view of one learner.

Every view reads through selectors and writes through services; learners only ever see
their own profile, staff only the learners of the centre they serve.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lms.privacy.models import AuditEvent, Purpose
from lms.privacy.selectors import consent_withdrawn, counsellor_sharing_refused
from lms.privacy.services import audit_record
from lms.views import problem

from . import services
from .engine.path import plan_path
from .forms import CVForm, GoalForm, SelfAssessmentForm
from .models import Role, Skill, SkillEvidence, TextClaim
from .selectors import learner_report_for_staff, skill_report


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
        {"report": report, "role_report": role_report, "is_goal": report.goal == role},
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
    """Paste a CV: each phrase is matched to a skill or shown back with suggestions."""
    form = CVForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cv_submit(user=request.user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            form.add_error("text", exc)
        else:
            messages.success(request, _("Your text was read. Check what it was matched to."))
            return redirect("skills:cv")
    claims = TextClaim.objects.filter(user=request.user).select_related("skill")
    unused = consent_withdrawn(user=request.user, purpose=Purpose.RECOMMENDATIONS)
    return render(request, "skills/cv.html", {"form": form, "claims": claims, "cv_unused": unused})


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
    if counsellor_sharing_refused(viewer=request.user, learner=learner, centre=centre):
        return problem(
            request,
            _("This learner has not agreed to share their record with counsellors."),
            403,
        )
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.VIEW,
        learner=learner,
        centre=centre,
        what="skill profile",
    )
    return render(
        request,
        "skills/staff_learner.html",
        {"learner": learner, "report": report, "focus": report.focus},
    )
