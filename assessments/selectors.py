"""Reads over attempts: counted results, course grades and the gradebook."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page

from courses.models import CoursePage, LessonPage
from courses.selectors import canonical_page_id, page_in_site
from lms.learning.models import Enrolment
from lms.learning.services import completion_status

from .models import Assessment, Attempt, CourseAssessment, GradingResult


@dataclass
class Cell:
    """One learner × assessment entry of a gradebook."""

    state: str  # not_started, in_progress, submitted, grading, graded
    percent: float | None = None
    attempts: int = 0
    passed: bool = False
    late_penalty: Decimal = Decimal(0)  # of the counted attempt, percent taken off

    @property
    def display(self) -> str:
        """One line for a gradebook cell: the counted percent, the state, and the late
        penalty the counted percent already includes."""
        if self.percent is None:
            return self.state_label
        line = f"{self.percent:.0f}% · {self.state_label}"
        if self.late_penalty:
            line += " · " + str(_("late −%(penalty)s%%") % {"penalty": f"{self.late_penalty:g}"})
        return line

    @property
    def state_label(self) -> str:
        if self.state == "not_started":
            return str(_("Not started"))
        return str(Attempt.Status(self.state).label)


@dataclass
class CourseGrade:
    percent: float
    passed_required: bool
    cells: dict[int, Cell] = field(default_factory=dict)


def course_policy(course: CoursePage) -> list[CourseAssessment]:
    """The graded assessments of a (source) course with their assessments, in order."""
    return list(course.graded_assessments.select_related("assessment").order_by("sort_order"))


def _cells_for(
    attempts: Iterable[tuple], policy: list[CourseAssessment], attempt_policy: str
) -> dict[int, dict[int, Cell]]:
    """user id → assessment id → Cell, from (user_id, assessment_id, status, score, max_score,
    late_penalty) tuples ordered by attempt number (the score counted, after any penalty).

    The counted percent is the best or the last graded attempt's. The state is that of the
    latest attempt, except that an open retry after a graded attempt still shows "graded".
    """
    pass_marks = {item.assessment_id: item.effective_pass_mark for item in policy}
    table: dict[int, dict[int, Cell]] = {}
    for user_id, assessment_id, status, score, max_score, late_penalty in attempts:
        cell = table.setdefault(user_id, {}).get(assessment_id)
        if cell is None:
            cell = table[user_id][assessment_id] = Cell(state="not_started")
        cell.attempts += 1
        if status == Attempt.Status.GRADED:
            percent = float(score / max_score * 100) if max_score else 100.0
            if attempt_policy == "last" or cell.percent is None or percent > cell.percent:
                cell.percent = percent
                cell.late_penalty = late_penalty or Decimal(0)
            cell.passed = cell.percent >= pass_marks.get(assessment_id, 0)
        in_flight_retry = status == Attempt.Status.IN_PROGRESS and cell.percent is not None
        cell.state = Attempt.Status.GRADED if in_flight_retry else status
    return table


ATTEMPT_FIELDS = ("user_id", "assessment_id", "status", "score", "max_score", "late_penalty")


def _grade(cells: dict[int, Cell], policy: list[CourseAssessment]) -> CourseGrade:
    total_weight = sum((item.weight for item in policy), Decimal(0))
    weighted = Decimal(0)
    passed_required = True
    for item in policy:
        cell = cells.get(item.assessment_id)
        percent = Decimal(str(cell.percent)) if cell and cell.percent is not None else Decimal(0)
        weighted += item.weight * percent
        if item.required and not (cell and cell.passed):
            passed_required = False
    percent = float(weighted / total_weight) if total_weight else 100.0
    return CourseGrade(percent=round(percent, 2), passed_required=passed_required, cells=cells)


def course_grade_for(*, user_id: int, course: CoursePage) -> CourseGrade:
    """A learner's weighted course grade under the course's policy (missing work counts 0)."""
    policy = course_policy(course)
    attempts = (
        Attempt.objects.filter(
            user_id=user_id, course=course, assessment_id__in=[p.assessment_id for p in policy]
        )
        .order_by("number")
        .values_list(*ATTEMPT_FIELDS)
    )
    table = _cells_for(attempts, policy, course.attempt_policy)
    return _grade(table.get(user_id, {}), policy)


def grade_completion_status(*, enrolment) -> dict:
    """Assessments' part of a course's completion rule (the `course_completion_status` hook
    of `lms.learning.services.completion_status`): every required assessment passed and the
    weighted course grade at or above the course pass mark."""
    course = enrolment.course
    grade = course_grade_for(user_id=enrolment.user_id, course=course)
    grade_ok = grade.percent >= course.pass_mark
    return {
        "grade": grade,
        "assessments_ok": grade.passed_required,
        "grade_ok": grade_ok,
        "complete": grade.passed_required and grade_ok,
    }


def dashboard_grades(*, user, rows) -> None:
    """The grade so far and the graded work still due, per course of "My learning" (the
    `learning_dashboard_rows` hook of `lms.learning.selectors.dashboard`)."""
    for row in rows:
        course = row.enrolment.course
        policy = course_policy(course)
        if not policy:
            continue
        grade = course_grade_for(user_id=user.pk, course=course)
        due = [
            item.assessment
            for item in policy
            if item.required
            and not (item.assessment_id in grade.cells and grade.cells[item.assessment_id].passed)
        ]
        row.extras["grade"] = {
            "percent": grade.percent,
            "pass_mark": course.pass_mark,
            "passing": grade.passed_required and grade.percent >= course.pass_mark,
            "due": due,
        }


@dataclass
class GradebookRow:
    user_id: int
    name: str
    username: str
    centre: str
    grade: CourseGrade
    cells: list[Cell] = field(default_factory=list)

    @property
    def grade_display(self) -> str:
        mark = " ✓" if self.grade.passed_required else ""
        return f"{self.grade.percent:.1f}%{mark}"


def gradebook_rows(
    *, course: CoursePage, enrolments: QuerySet, policy: list[CourseAssessment]
) -> Iterator[GradebookRow]:
    """Rows of a course gradebook, one per enrolment, streamed in two queries whatever the
    size: enrolments and attempts are both read in user order and merged as they arrive, so
    memory stays flat for any number of learners."""
    enrolment_rows = (
        enrolments.order_by("user_id")
        .values_list(
            "user_id",
            "user__name",
            "user__first_name",
            "user__last_name",
            "user__username",
            "centre__site__site_name",
        )
        .iterator(500)
    )
    attempts = (
        Attempt.objects.filter(
            course=course,
            user_id__in=enrolments.values("user_id"),
            assessment_id__in=[p.assessment_id for p in policy],
        )
        .order_by("user_id", "number")
        .values_list(*ATTEMPT_FIELDS)
        .iterator(500)
    )
    pending = next(attempts, None)
    for user_id, name, first, last, username, centre in enrolment_rows:
        mine = []
        while pending is not None and pending[0] <= user_id:
            if pending[0] == user_id:
                mine.append(pending)
            pending = next(attempts, None)
        cells = _cells_for(mine, policy, course.attempt_policy).get(user_id, {})
        yield GradebookRow(
            user_id=user_id,
            name=name or f"{first} {last}".strip() or username,
            username=username,
            centre=centre,
            grade=_grade(cells, policy),
            cells=[cells.get(p.assessment_id) or Cell(state="not_started") for p in policy],
        )


def gradebook_courses(*, centres=None) -> QuerySet[CoursePage]:
    """Live source courses with a gradebook for staff of `centres`: the centres' own and
    those they offer, in the default language; every source course when `centres` is None
    (superusers)."""
    courses = CoursePage.objects.live().filter(alias_of__isnull=True).order_by("title")
    if centres is None:
        return courses
    within = Q()
    for centre in centres:
        within |= Q(path__startswith=centre.site.root_page.path)
    offered_ids = (
        CoursePage.objects.filter(within).exclude(alias_of__isnull=True).values("alias_of_id")
    )
    return courses.filter(within | Q(pk__in=offered_ids)).filter(
        locale__language_code=settings.LANGUAGE_CODE
    )


def gradebook_enrolments(
    *, course: Page, centres, everyone: bool = False
) -> tuple[CoursePage, QuerySet[Enrolment]]:
    """The source course of a course page and the enrolments in it that staff of `centres`
    may see: those through the centres that have it (their own or offered). `everyone`
    (superusers): all enrolments. PermissionDenied when none of the centres has the course.
    """
    source = CoursePage.objects.get(pk=canonical_page_id(course))
    visible = [
        c
        for c in centres
        if page_in_site(page=source, root=c.site.root_page)
        or CoursePage.objects.filter(alias_of=source).descendant_of(c.site.root_page).exists()
    ]
    if not visible and not everyone:
        raise PermissionDenied
    enrolments = Enrolment.objects.filter(course=source)
    if not everyone:
        enrolments = enrolments.filter(centre__in=visible)
    return source, enrolments


def enrolments_by_centre(enrolments: QuerySet[Enrolment]) -> dict[int, int]:
    """Centre id → how many of `enrolments` run through it (one query)."""
    return dict(
        enrolments.order_by()
        .values("centre_id")
        .annotate(n=Count("pk"))
        .values_list("centre_id", "n")
    )


def gradebook_learner_counts(*, course_ids, centres=None) -> dict[int, int]:
    """Source course id → learners enrolled through `centres` (every centre when None), in
    one grouped query."""
    enrolments = Enrolment.objects.filter(course_id__in=course_ids)
    if centres is not None:
        enrolments = enrolments.filter(centre__in=centres)
    return dict(enrolments.values_list("course_id").annotate(n=Count("user_id", distinct=True)))


def grades_of_learner(*, user) -> list[dict]:
    """A learner's own grades, one row per enrolment: the course (in the active language),
    its completion status, and each graded assessment with its counted cell and attempts."""
    rows = []
    for enrolment in Enrolment.objects.filter(user=user).select_related("course"):
        status = completion_status(enrolment=enrolment)
        policy = course_policy(enrolment.course)
        attempts = Attempt.objects.filter(user=user, course=enrolment.course).order_by(
            "assessment_id", "number"
        )
        rows.append(
            {
                "enrolment": enrolment,
                "course": enrolment.course.localized,
                "status": status,
                "items": [
                    {
                        "policy": item,
                        "cell": status["grade"].cells.get(item.assessment_id),
                        "attempts": [a for a in attempts if a.assessment_id == item.assessment_id],
                    }
                    for item in policy
                ],
            }
        )
    return rows


def attempts_of(*, user, assessment: Assessment, course_id: int) -> QuerySet[Attempt]:
    return Attempt.objects.filter(user=user, assessment=assessment, course_id=course_id).order_by(
        "number"
    )


def lesson_course_id(*, lesson: Page) -> int:
    """The id of the source course of a lesson page (an alias or a translation too): attempts
    and enrolments are kept against it."""
    return LessonPage.objects.get(pk=canonical_page_id(lesson)).get_parent().pk


def is_enrolled(*, user, course_id: int) -> bool:
    return Enrolment.objects.filter(user=user, course_id=course_id).exists()


def attempts_left(*, assessment: Assessment, used: int) -> int | None:
    """How many more attempts the assessment's limit allows after `used` (None: no limit)."""
    return None if not assessment.max_attempts else max(0, assessment.max_attempts - used)


def submissions_of_learner(*, user, assessment: Assessment, course_id: int) -> list[Attempt]:
    """A learner's notebook submissions in a course, newest first, with their gradings."""
    return list(
        attempts_of(user=user, assessment=assessment, course_id=course_id)
        .prefetch_related("gradings")
        .order_by("-number")
    )


def attempt_in_centres(*, attempt: Attempt, centres) -> bool:
    """Whether the attempt's learner takes its course through one of `centres` (whose staff
    may then read and regrade it)."""
    return Enrolment.objects.filter(
        user_id=attempt.user_id, course_id=attempt.course_id, centre__in=centres
    ).exists()


def submissions_for_staff(
    *, assessment: Assessment, centres=None, limit: int = 500
) -> QuerySet[Attempt]:
    """The newest attempts at an assessment with their learners and gradings: of learners
    enrolled through one of `centres`, or of everyone when `centres` is None (superusers)."""
    attempts = (
        Attempt.objects.filter(assessment=assessment)
        .select_related("user")
        .prefetch_related("gradings")
    )
    if centres is not None:
        # The attempt's own course enrolment decides, as for regrading: a person enrolled at
        # two centres shows each centre only the work done in its courses.
        enrolled_here = Enrolment.objects.filter(
            user_id=OuterRef("user_id"), course_id=OuterRef("course_id"), centre__in=centres
        )
        attempts = attempts.filter(Exists(enrolled_here))
    return attempts.order_by("-submitted_at")[:limit]


def gradings_stale(*, before) -> QuerySet[GradingResult]:
    """Ids of gradings queued, or started, before `before` and not finished: older than any
    grading runs or waits, so their queued message is gone."""
    return GradingResult.objects.filter(
        Q(status=GradingResult.Status.QUEUED, created_at__lt=before)
        | Q(status=GradingResult.Status.RUNNING, started_at__lt=before)
    ).values_list("pk", flat=True)
