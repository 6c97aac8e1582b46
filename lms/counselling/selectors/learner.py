"""Reads about one learner of a centre: risk row, timeline, enrolments, notes, plans."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import (
    Count,
    QuerySet,
)
from django.utils import timezone

from assessments.models import Attempt
from assessments.selectors import course_grade_for
from hub_sites.models import Centre
from lms.accounts.models import User
from lms.certificates.models import Certificate
from lms.learning.models import Enrolment, LessonProgress
from lms.skills.engine.path import plan_path

from ..models import LearnerPlan, Note, StaffAccessLog
from .caseload import CaseloadRow, CourseLine, _course_titles, learners_of, rows_for_learners

# --- One learner ---------------------------------------------------------------------------


@dataclass
class TimelineEvent:
    when: datetime
    kind: str  # enrolled, lesson, attempt, completed, certificate, plan, note
    text: str


def learner_risk(*, centre: Centre, learner: User, today: date | None = None) -> CaseloadRow:
    """The caseload row (progress, goal, plan, risk) of one learner of the centre."""
    learners = learners_of(centre=centre).filter(pk=learner.pk)
    return rows_for_learners(learners=learners, centre=centre, today=today)[0]


def timeline(*, centre: Centre, learner: User, limit: int = 30) -> list[TimelineEvent]:
    """The learner's recent activity in this centre, newest first."""
    from django.utils.translation import gettext as _

    enrolments = list(
        Enrolment.objects.filter(user=learner, centre=centre).select_related("course")
    )
    course_ids = [e.course_id for e in enrolments]
    titles = {pk: t for pk, (t, _n) in _course_titles(course_ids).items()}
    events: list[TimelineEvent] = []
    for enrolment in enrolments:
        title = titles.get(enrolment.course_id, enrolment.course.title)
        events.append(
            TimelineEvent(
                enrolment.enrolled_at, "enrolled", _("Enrolled in %(course)s") % {"course": title}
            )
        )
        if enrolment.completed_at:
            events.append(
                TimelineEvent(
                    enrolment.completed_at,
                    "completed",
                    _("Completed %(course)s") % {"course": title},
                )
            )
    for progress in (
        LessonProgress.objects.filter(
            enrolment__in=enrolments, status=LessonProgress.Status.COMPLETED
        )
        .select_related("lesson")
        .order_by("-completed_at")[:limit]
    ):
        events.append(
            TimelineEvent(
                progress.completed_at,
                "lesson",
                _("Completed the lesson “%(lesson)s”") % {"lesson": progress.lesson.title},
            )
        )
    for attempt in (
        Attempt.objects.filter(user=learner, course_id__in=course_ids)
        .exclude(submitted_at=None)
        .select_related("assessment")
        .order_by("-submitted_at")[:limit]
    ):
        text = _("Submitted “%(title)s” (attempt %(number)d)") % {
            "title": attempt.assessment.title,
            "number": attempt.number,
        }
        if attempt.percent is not None and attempt.status == Attempt.Status.GRADED:
            text += " · " + _("%(percent)d%%") % {"percent": round(attempt.percent)}
        events.append(TimelineEvent(attempt.submitted_at, "attempt", text))
    for certificate in Certificate.objects.filter(user=learner, centre=centre):
        events.append(
            TimelineEvent(
                certificate.issued_at,
                "certificate",
                _("Certificate %(number)s issued") % {"number": certificate.number},
            )
        )
    events = [e for e in events if e.when is not None]
    events.sort(key=lambda e: e.when, reverse=True)
    return events[:limit]


def weekly_activity(*, active_days: list[date], today: date, weeks: int = 12) -> list[tuple]:
    """(week start, active days that week) for the last `weeks` weeks, oldest first."""
    start = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    counts = [0] * weeks
    for day in active_days:
        index = (day - start).days // 7
        if 0 <= index < weeks:
            counts[index] += 1
    return [(start + timedelta(weeks=i), counts[i]) for i in range(weeks)]


def notes_for(*, centre: Centre, learner: User) -> QuerySet[Note]:
    """The centre's notes about a learner, newest first, with authors and version counts."""
    return (
        Note.objects.filter(centre=centre, learner=learner)
        .select_related("author")
        .annotate(version_count=Count("versions"))
        .order_by("-created_at", "-pk")
    )


def note_get(*, centre: Centre, note_id: int) -> Note:
    """A note of the centre about one of its learners (Note.DoesNotExist otherwise)."""
    return (
        Note.objects.filter(centre=centre, learner__in=learners_of(centre=centre))
        .select_related("author", "learner")
        .prefetch_related("versions__replaced_by")
        .get(pk=note_id)
    )


def plans_for(*, centre: Centre, learner: User) -> QuerySet[LearnerPlan]:
    """Every plan saved for the learner in this centre, newest first."""
    return LearnerPlan.objects.filter(centre=centre, learner=learner).select_related(
        "goal_role", "created_by"
    )


def access_log_for(*, centre: Centre, learner: User | None = None) -> QuerySet[StaffAccessLog]:
    """Staff reads in this centre, newest first (of one learner, when given)."""
    qs = StaffAccessLog.objects.filter(centre=centre).select_related("viewer", "learner")
    return qs.filter(learner=learner) if learner is not None else qs


def enrolment_lines(*, centre: Centre, learner: User) -> list[dict]:
    """The learner's enrolments through this centre with progress and course grade."""
    lines = []
    for enrolment in Enrolment.objects.filter(user=learner, centre=centre).select_related("course"):
        lines.append({"enrolment": enrolment})
    titles = _course_titles(line["enrolment"].course_id for line in lines)
    done = dict(
        LessonProgress.objects.filter(
            enrolment__in=[line["enrolment"] for line in lines],
            status=LessonProgress.Status.COMPLETED,
            lesson__required=True,
        )
        .values_list("enrolment_id")
        .annotate(n=Count("pk"))
        .values_list("enrolment_id", "n")
    )
    for line in lines:
        enrolment = line["enrolment"]
        title, total = titles.get(enrolment.course_id, (enrolment.course.title, 0))
        line["course"] = CourseLine(
            enrolment.course_id, title, enrolment.status, done.get(enrolment.pk, 0), total
        )
        line["grade"] = course_grade_for(user_id=learner.pk, course=enrolment.course)
        line["has_policy"] = (
            bool(line["grade"].cells) or enrolment.course.graded_assessments.exists()
        )
    return lines


def goal_context(*, report, plan: LearnerPlan | None) -> tuple:
    """The goal role (the plan's, else the learner's own), its fit and path, the chart rows
    (skill, level now, level required) and the next three roles; no queries beyond the
    report's prefetched requirements."""
    goal = plan.goal_role if plan and plan.goal_role else report.goal
    focus = None
    if goal is not None:
        focus = next((r for r in report.roles if r.role.pk == goal.pk), None)
    if focus is not None and focus.path is None and report.courses:
        focus.path = plan_path(
            focus.fit.gaps,
            [c.engine for c in report.courses.values()],
            completed={str(pk) for pk in report.profile.completed_courses},
            levels=report.profile.levels,
        )
    levels = report.profile.levels
    chart_rows = []
    if focus is not None:
        for requirement in focus.role.requirements.all():
            chart_rows.append(
                (
                    requirement.skill.label,
                    int(levels.get(requirement.skill.esco_uri, 0)),
                    requirement.level,
                )
            )
    others = [r for r in report.roles if focus is None or r.role.pk != focus.role.pk][:3]
    return goal, focus, chart_rows, others


@dataclass
class LearnerOverview:
    """What the counsellor's page about one learner shows, besides the recommender's report."""

    row: CaseloadRow
    goal: Any  # the goal role (skills.Role): the plan's, else the learner's own
    focus: Any  # its RoleReport (fit and path), if the role is offered
    chart_rows: list[tuple[str, int, int]]  # (skill, level now, level required)
    others: list  # the next three roles' reports
    weeks: list[tuple]  # (Monday, active days) for the last 12 weeks
    enrolments: list[dict]
    enrolled: dict  # source course id (str) → its CourseLine
    completed_courses: list  # CatalogueCourse of each completed course in the catalogue
    certificates: QuerySet[Certificate]
    timeline: list[TimelineEvent]
    plans: list[LearnerPlan]  # the ten newest
    notes: QuerySet[Note]
    access: list[StaffAccessLog]  # the ten newest, this visit included

    @property
    def skill_table(self) -> list[tuple[str, int, int, int]]:
        """The chart's rows as a table: skill, level now, required, gap."""
        return [(label, now, req, max(req - now, 0)) for label, now, req in self.chart_rows]


def learner_overview(
    *, centre: Centre, learner: User, report, today: date | None = None
) -> LearnerOverview:
    """Everything the page about one learner reads, for a viewer `learner_report_for_staff`
    admitted (`report` is what it returned). Read after the visit is logged: the access log
    shown includes it."""
    row = learner_risk(centre=centre, learner=learner)
    goal, focus, chart_rows, others = goal_context(report=report, plan=row.plan)
    enrolments = enrolment_lines(centre=centre, learner=learner)
    return LearnerOverview(
        row=row,
        goal=goal,
        focus=focus,
        chart_rows=chart_rows,
        others=others,
        weeks=weekly_activity(active_days=row.active_days, today=today or timezone.localdate()),
        enrolments=enrolments,
        enrolled={str(line["course"].course_id): line["course"] for line in enrolments},
        completed_courses=[
            report.courses[str(pk)]
            for pk in report.profile.completed_courses
            if str(pk) in report.courses
        ],
        certificates=Certificate.objects.filter(user=learner, centre=centre).order_by("-issued_at"),
        timeline=timeline(centre=centre, learner=learner),
        plans=plans_for(centre=centre, learner=learner)[:10],
        notes=notes_for(centre=centre, learner=learner),
        access=access_log_for(centre=centre, learner=learner)[:10],
    )
