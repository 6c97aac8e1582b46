"""HTTP for the counsellor cockpit and for a learner's own data.

Cockpit pages answer only to the counsellors and centre admins of the centre serving the
request (others get 403; anonymous visitors go to log in). A learner who is not a learner
of that centre answers 404 whatever the URL, so ids of other centres' learners leak nothing.
Every read of one learner's record is written to the access log.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lms.accounts.models import Role
from lms.privacy.models import AuditEvent
from lms.privacy.services import audit_record
from lms.skills.selectors import learner_report_for_staff
from lms.views import problem

from . import charts, selectors, services
from .forms import AssignForm, CaseloadFilterForm, CohortForm, NoteForm, PlanForm
from .models import CaseloadAssignment, Note, StaffAccessLog
from .selectors import LearnerNotFound
from .sharing import shared_learners, sharing_refused, withheld_count


def cockpit(view: Callable) -> Callable:
    """Let only the centre's counsellors and centre admins in; sets `request.cockpit_roles`."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        centre = getattr(request, "centre", None)
        if not centre:
            raise Http404
        roles = selectors.cockpit_roles(user=request.user, centre=centre)
        if not roles:
            return problem(
                request,
                _(
                    "Only this centre's counsellors and centre admins can open the "
                    "counselling pages."
                ),
                403,
            )
        request.cockpit_roles = roles
        try:
            return view(request, *args, **kwargs)
        except LearnerNotFound:
            raise Http404 from None

    return wrapper


def _is_admin(request: HttpRequest) -> bool:
    return Role.CENTRE_ADMIN in request.cockpit_roles


def _default_scope(request: HttpRequest) -> str:
    """Counsellors start with their own caseload; centre admins (or a counsellor with an
    empty caseload) with the whole centre."""
    if (
        Role.COUNSELLOR in request.cockpit_roles
        and CaseloadAssignment.objects.filter(
            centre=request.centre, counsellor=request.user
        ).exists()
    ):
        return "mine"
    return "all"


def _caseload(request: HttpRequest, *, risk_only: bool = False):
    form = CaseloadFilterForm(
        request.GET, centre=request.centre, default_scope=_default_scope(request)
    )
    if not form.is_valid():
        return form, None
    filters = form.filters()
    if risk_only and not filters.risk:
        filters.risk = "flagged"
    rows = selectors.caseload_rows(
        centre=request.centre, viewer=request.user, filters=filters, options=form.options
    )
    return form, (filters, rows)


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_GET
@cockpit
def caseload(request: HttpRequest) -> HttpResponse:
    """The caseload: filters, search, sorting and pages of learners with their risk."""
    return _list_page(request, "counselling/caseload.html", risk_only=False)


@require_GET
@cockpit
def at_risk(request: HttpRequest) -> HttpResponse:
    """Learners with at least one flag, highest risk first, each with its reasons."""
    return _list_page(request, "counselling/at_risk.html", risk_only=True)


def _list_page(request: HttpRequest, template: str, *, risk_only: bool) -> HttpResponse:
    form, result = _caseload(request, risk_only=risk_only)
    context = {"form": form, "is_admin": _is_admin(request), "query": _query_without_page(request)}
    if result is None:
        return render(request, template, context, status=400)
    filters, rows = result
    page = Paginator(rows, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.rows_detail(rows=page.object_list, centre=request.centre, options=form.options)
    flagged = sum(1 for r in rows if r.risk.flags)
    withheld = selectors.caseload_withheld(
        centre=request.centre, viewer=request.user, filters=filters
    )
    context.update(filters=filters, page=page, total=len(rows), flagged=flagged, withheld=withheld)
    return render(request, template, context)


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    """A CSV cell that spreadsheets will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_GET
@cockpit
def caseload_csv(request: HttpRequest) -> HttpResponse:
    """The filtered caseload as CSV (UTF-8 with BOM for Excel), streamed row by row; the
    export is logged once with the number of learners."""
    form, result = _caseload(request)
    if result is None:
        return problem(
            request,
            _("The filters are not valid: %(errors)s")
            % {"errors": "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())},
            400,
        )
    filters, rows = result
    learners = selectors.caseload_learners(
        centre=request.centre, viewer=request.user, filters=filters
    )
    selectors.rows_detail(rows=rows, centre=request.centre, learners=learners, options=form.options)
    services.access_record(
        centre=request.centre,
        viewer=request.user,
        what=StaffAccessLog.What.CASELOAD_EXPORT,
        count=len(rows),
    )
    header = [
        _("Name"),
        _("Username"),
        _("E-mail"),
        _("Courses"),
        _("Progress (%)"),
        _("Last active"),
        _("Days since"),
        _("Goal role"),
        _("Target date"),
        _("Risk"),
        _("Reasons"),
        _("Counsellors"),
    ]
    levels = {"none": _("No flag"), "watch": _("Watch"), "high": _("High")}

    def stream() -> Iterator[str]:
        writer = csv.writer(_Echo())
        yield "\ufeff" + writer.writerow([_cell(h) for h in header])
        for row in rows:
            yield writer.writerow(
                [
                    _cell(v)
                    for v in (
                        row.name,
                        row.username,
                        row.email,
                        "; ".join(f"{c.title} {c.percent}%" for c in row.courses),
                        row.progress,
                        row.last_active.isoformat() if row.last_active else "",
                        row.days_since_active if row.days_since_active is not None else "",
                        row.goal_role.name if row.goal_role else "",
                        row.plan.target_date.isoformat() if row.plan else "",
                        levels[row.risk.level],
                        " | ".join(row.risk.reasons),
                        ", ".join(row.counsellors),
                    )
                ]
            )

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="caseload-{request.centre.slug}-{stamp}.csv"'
    )
    return response


# --- One learner ---------------------------------------------------------------------------


def _sharing_refused(request: HttpRequest, learner) -> HttpResponse:
    """A counsellor's view of a learner who withdrew consent to share their record."""
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.DENIED,
        learner=learner,
        centre=request.centre,
        what=gettext_noop("counselling record: sharing with counsellors withdrawn"),
    )
    return problem(
        request,
        _("This learner has not agreed to share their record with counsellors."),
        403,
        reverse("counselling:caseload"),
    )


def _overview(
    request: HttpRequest, learner_id: int, *, note_form=None, plan_form=None, status: int = 200
) -> HttpResponse:
    centre = request.centre
    learner = selectors.learner_get(centre=centre, learner_id=learner_id)
    if sharing_refused(viewer=request.user, learner=learner, centre=centre):
        return _sharing_refused(request, learner)
    try:
        learner, report = learner_report_for_staff(
            viewer=request.user, learner_id=learner.pk, centre=centre
        )
    except PermissionDenied:
        raise Http404 from None
    services.access_record(
        centre=centre, viewer=request.user, learner=learner, what=StaffAccessLog.What.OVERVIEW
    )
    overview = selectors.learner_overview(centre=centre, learner=learner, report=report)
    goal, focus, plan = overview.goal, overview.focus, overview.row.plan
    if plan_form is None:
        initial = {"goal_role": goal.slug if goal else None}
        if plan:
            initial.update(
                target_date=plan.target_date, agreed=plan.agreed, next_meeting=plan.next_meeting
            )
        plan_form = PlanForm(initial=initial)
    context = {
        "learner": learner,
        "row": overview.row,
        "report": report,
        "goal": goal,
        "focus": focus,
        "others": overview.others,
        "enrolled": overview.enrolled,
        "completed_courses": overview.completed_courses,
        "skill_chart": charts.skill_bars(
            overview.chart_rows,
            title=_("Skills of %(name)s against %(role)s")
            % {
                "name": learner.display_name,
                "role": focus.role.name if focus else "",
            },
            desc=_(
                "For each skill the role requires: the learner's level and the required level, "
                "from 0 to 5. The same numbers are in the table below."
            ),
            legend=(_("Level now"), _("Required")),
        )
        if overview.chart_rows
        else None,
        "skill_table": overview.skill_table,
        "weeks": overview.weeks,
        "activity_chart": charts.columns(
            [(w.strftime("%m/%d"), n) for w, n in overview.weeks],
            title=_("Active days per week, last 12 weeks"),
            desc=_(
                "Number of days with any learning activity in each week; the table below has "
                "the same numbers."
            ),
            max_value=7,
        ),
        "enrolments": overview.enrolments,
        "certificates": overview.certificates,
        "timeline": overview.timeline,
        "plans": overview.plans,
        "notes": overview.notes,
        "note_form": note_form or NoteForm(),
        "plan_form": plan_form,
        "access": overview.access,
        "is_admin": _is_admin(request),
        "counsellors": overview.row.counsellors,
    }
    return render(request, "counselling/learner.html", context, status=status)


@require_GET
@cockpit
def learner(request: HttpRequest, learner_id: int) -> HttpResponse:
    """One learner: courses, grades, skills against the goal role, path, certificates,
    activity, plan and notes."""
    return _overview(request, learner_id)


@require_POST
@cockpit
def note_create(request: HttpRequest, learner_id: int) -> HttpResponse:
    learner = selectors.learner_get(centre=request.centre, learner_id=learner_id)
    if sharing_refused(viewer=request.user, learner=learner, centre=request.centre):
        return _sharing_refused(request, learner)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.note_create(
                centre=request.centre,
                learner=learner,
                author=request.user,
                text=form.cleaned_data["text"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            audit_record(
                actor=request.user,
                action=AuditEvent.Action.EDIT,
                learner=learner,
                centre=request.centre,
                what=gettext_noop("counselling note written"),
            )
            messages.success(request, _("Note saved."))
            return redirect(reverse("counselling:learner", args=[learner.pk]) + "#notes")
    return _overview(request, learner.pk, note_form=form, status=400)


@require_POST
@cockpit
def plan_create(request: HttpRequest, learner_id: int) -> HttpResponse:
    learner = selectors.learner_get(centre=request.centre, learner_id=learner_id)
    if sharing_refused(viewer=request.user, learner=learner, centre=request.centre):
        return _sharing_refused(request, learner)
    form = PlanForm(request.POST)
    if form.is_valid():
        try:
            services.plan_create(
                centre=request.centre,
                learner=learner,
                author=request.user,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            audit_record(
                actor=request.user,
                action=AuditEvent.Action.EDIT,
                learner=learner,
                centre=request.centre,
                what=gettext_noop("learner plan saved"),
            )
            messages.success(request, _("Plan saved. Earlier plans are kept below."))
            return redirect(reverse("counselling:learner", args=[learner.pk]) + "#plan")
    return _overview(request, learner.pk, plan_form=form, status=400)


@require_http_methods(["GET", "POST"])
@cockpit
def note_detail(request: HttpRequest, note_id: int) -> HttpResponse:
    """A note with every earlier text; its author may edit it here."""
    try:
        note = selectors.note_get(centre=request.centre, note_id=note_id)
    except Note.DoesNotExist:
        raise Http404 from None
    if sharing_refused(viewer=request.user, learner=note.learner, centre=request.centre):
        return _sharing_refused(request, note.learner)
    form = NoteForm(request.POST or None, instance=None, initial={"text": note.text})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.note_update(note=note, editor=request.user, text=form.cleaned_data["text"])
            except PermissionDenied as exc:
                return problem(request, str(exc), 403, reverse("counselling:note", args=[note.pk]))
            except ValidationError as exc:
                form.add_error(None, exc)
                status = 400
            else:
                audit_record(
                    actor=request.user,
                    action=AuditEvent.Action.EDIT,
                    learner=note.learner,
                    centre=request.centre,
                    what=gettext_noop("counselling note edited"),
                )
                messages.success(
                    request,
                    _("Note updated; the earlier text is kept if it was older than 24 hours."),
                )
                return redirect(reverse("counselling:learner", args=[note.learner_id]) + "#notes")
        else:
            status = 400
    services.access_record(
        centre=request.centre,
        viewer=request.user,
        learner=note.learner,
        what=StaffAccessLog.What.NOTE,
    )
    return render(
        request,
        "counselling/note.html",
        {
            "note": note,
            "form": form,
            "can_edit": note.author_id == request.user.pk,
            "in_window": timezone.now() <= note.edit_window_ends,
            "is_admin": _is_admin(request),
        },
        status=status,
    )


# --- Centre admin: assignments and the access log ----------------------------------------


@require_http_methods(["GET", "POST"])
@cockpit
def assignments(request: HttpRequest) -> HttpResponse:
    """Centre admins put learners in counsellors' caseloads and take them out."""
    if not _is_admin(request):
        return problem(request, _("Only centre admins can assign learners to counsellors."), 403)
    centre = request.centre
    form = AssignForm(request.POST or None, centre=centre)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created = services.caseload_assign(
                    centre=centre,
                    counsellor=form.cleaned_data["counsellor"],
                    learners=form.cleaned_data["learners"],
                    assigned_by=request.user,
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, exc if isinstance(exc, ValidationError) else str(exc))
                status = 400
            else:
                messages.success(
                    request, _("%(count)d learner(s) assigned.") % {"count": len(created)}
                )
                return redirect("counselling:assignments")
        else:
            status = 400
    rows = (
        CaseloadAssignment.objects.filter(centre=centre)
        .select_related("counsellor", "learner", "assigned_by")
        .order_by("counsellor__name", "learner__name")
    )
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request, "counselling/assignments.html", {"form": form, "page": page}, status=status
    )


@require_POST
@cockpit
def unassign(request: HttpRequest, assignment_id: int) -> HttpResponse:
    try:
        services.caseload_unassign(
            centre=request.centre, assignment_id=assignment_id, by=request.user
        )
    except PermissionDenied as exc:
        return problem(request, str(exc), 403)
    except ValidationError:
        raise Http404 from None
    messages.success(request, _("Learner taken out of the caseload."))
    return redirect("counselling:assignments")


@require_GET
@cockpit
def access_log(request: HttpRequest) -> HttpResponse:
    """Centre admins: who opened which learner's record, when."""
    if not _is_admin(request):
        return problem(request, _("Only centre admins can read the access log."), 403)
    page = Paginator(selectors.access_log_for(centre=request.centre), 100).get_page(
        request.GET.get("page")
    )
    return render(request, "counselling/access_log.html", {"page": page})


# --- Cohorts -----------------------------------------------------------------------------


STAGE_LABELS = {
    "enrolled": _("Enrolled"),
    "started": _("Started a lesson"),
    "halfway": _("Half the lessons done"),
    "lessons_done": _("All lessons done"),
    "completed": _("Completed the course"),
}


@require_GET
@cockpit
def cohorts(request: HttpRequest) -> HttpResponse:
    """Completion funnel per course and a learners × skills heatmap for one course."""
    centre = request.centre
    form = CohortForm(request.GET or None, centre=centre)
    if request.GET and not form.is_valid():
        return render(
            request,
            "counselling/cohorts.html",
            {"form": form, "is_admin": _is_admin(request)},
            status=400,
        )
    data = form.cleaned_data if form.is_bound else {}
    scope = data.get("scope") or _default_scope(request)
    learners = None
    if scope == "mine":
        learners = selectors.learners_of(centre=centre).filter(
            counsellor_assignments__centre=centre, counsellor_assignments__counsellor=request.user
        )
    funnels = []
    for funnel in selectors.completion_funnels(centre=centre, learners=learners):
        stages = [(str(STAGE_LABELS[s.key]), s.count) for s in funnel.stages]
        funnels.append(
            {
                "funnel": funnel,
                "stages": stages,
                "chart": charts.funnel(
                    stages,
                    title=_("Completion funnel: %(course)s") % {"course": funnel.title},
                    desc=_(
                        "Learners at each stage of the course, as a count and a share of those "
                        "enrolled; the table has the same numbers."
                    ),
                ),
            }
        )
    context = {"form": form, "funnels": funnels, "scope": scope, "is_admin": _is_admin(request)}
    course_id = data.get("course")
    if course_id:
        page_number = request.GET.get("page") or "1"
        page_number = int(page_number) if page_number.isdigit() and int(page_number) > 0 else 1
        cohort = learners if learners is not None else selectors.learners_of(centre=centre)
        heat = selectors.skill_heatmap(
            centre=centre,
            course_id=course_id,
            learners=shared_learners(cohort, viewer=request.user, centre=centre),
            enrolled_month=data.get("month"),
            page=page_number,
        )
        pages = max(1, -(-heat.total // selectors.PAGE_SIZE))
        enrolled = selectors.course_learners(centre=centre, course_id=course_id, learners=cohort)
        context.update(
            heat=heat,
            heat_withheld=withheld_count(enrolled, viewer=request.user, centre=centre),
            heat_page=min(page_number, pages),
            heat_pages=pages,
            query=_query_without_page(request),
            heat_chart=charts.heatmap(
                [s.label for s in heat.skills],
                [(name, levels) for _pk, name, levels in heat.rows],
                title=_("Skill levels shown by each learner of this course"),
                desc=_(
                    "Rows are learners, columns are skills; each cell is the highest level from 0 "
                    "to 5 shown in assessments or completed courses. The table below has the same "
                    "numbers."
                ),
            )
            if heat.rows and heat.skills
            else None,
        )
    return render(request, "counselling/cohorts.html", context)


# --- The learner's own data --------------------------------------------------------------


@require_GET
@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    """A learner's page: which staff roles can see their data, recent staff reads of their
    record, and the JSON download."""
    return render(
        request,
        "counselling/my_data.html",
        {
            "centres": selectors.staff_roles_seeing(user=request.user),
            "reads": StaffAccessLog.objects.filter(learner=request.user)
            .select_related("centre__site")
            .order_by("-at")[:20],
        },
    )


@require_GET
@login_required
def my_data_json(request: HttpRequest) -> HttpResponse:
    """Everything Dasi keeps about the signed-in learner, as a JSON download."""
    data = selectors.learner_data_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="dasi-my-data-{request.user.username}.json"'
    )
    return response
