"""Who may use the cockpit, and caseloads with risk, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import get_language

from assessments.deadlines import deadline_counts
from assessments.models import Assessment, Attempt, CourseAssessment
from courses.models import CoursePage, LessonPage
from hub_sites.models import Centre
from lms.accounts.models import Membership, Role, User
from lms.learning.models import Enrolment, LessonProgress
from lms.skills.models import LearnerGoal, Skill
from lms.skills.models import Role as SkillRole

from .. import risk
from ..models import CaseloadAssignment, LearnerPlan

COCKPIT_ROLES = (Role.COUNSELLOR, Role.CENTRE_ADMIN)
HISTORY_DAYS = 180  # the window over which a learner's own rhythm is measured
PAGE_SIZE = 50


class LearnerNotFound(ObjectDoesNotExist):
    """No learner with that id in the viewer's centre (whether or not they exist elsewhere)."""


# --- Who may use the cockpit -----------------------------------------------------------


def cockpit_roles(*, user, centre: Centre | None) -> set[str]:
    """The cockpit roles (counsellor, centre admin) a user holds in the centre; both for
    superusers; empty for anyone else or without a centre."""
    if centre is None or not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return set(COCKPIT_ROLES)
    return set(
        Membership.objects.filter(user=user, centre=centre, role__in=COCKPIT_ROLES).values_list(
            "role", flat=True
        )
    )


def counsellors_of(*, centre: Centre) -> QuerySet[User]:
    """The centre's counsellors, by name."""
    return (
        User.objects.filter(
            memberships__centre=centre, memberships__role=Role.COUNSELLOR, is_active=True
        )
        .distinct()
        .order_by("name", "username")
    )


def learners_of(*, centre: Centre) -> QuerySet[User]:
    """The centre's learners."""
    return User.objects.filter(
        Exists(Membership.objects.filter(user=OuterRef("pk"), centre=centre, role=Role.LEARNER))
    )


def learner_get(*, centre: Centre, learner_id: int) -> User:
    """A learner of the centre, or LearnerNotFound: a learner of another centre is not
    distinguishable from a learner who does not exist."""
    learner = learners_of(centre=centre).filter(pk=learner_id).first()
    if learner is None:
        raise LearnerNotFound
    return learner


# --- Caseload ----------------------------------------------------------------------------


@dataclass
class CaseloadFilters:
    """What a caseload list is narrowed to; every value comes cleaned from the form."""

    scope: str = "mine"  # mine: assigned to the viewer; all: every learner of the centre
    course: int | None = None
    role: str = ""  # goal role slug
    risk: str = ""  # "", flagged, watch, high, none
    activity: str = ""  # "", 7, 30, over30, never
    q: str = ""
    sort: str = "risk"  # risk, name, activity, progress


@dataclass
class CourseLine:
    course_id: int
    title: str
    status: str
    done: int
    total: int

    @property
    def percent(self) -> int:
        if self.status == Enrolment.Status.COMPLETED:
            return 100
        return round(100 * self.done / self.total) if self.total else 0


@dataclass
class CaseloadRow:
    """One learner of a caseload with progress, goal, plan and risk."""

    learner_id: int
    name: str
    username: str
    email: str
    courses: list[CourseLine] = field(default_factory=list)
    last_active: date | None = None
    goal_role: SkillRole | None = None
    plan: LearnerPlan | None = None
    counsellors: list[str] = field(default_factory=list)
    risk: risk.Assessment = field(default_factory=risk.Assessment)
    active_days: list[date] = field(default_factory=list)

    @property
    def progress(self) -> int:
        """Mean course progress in percent (0 without courses)."""
        if not self.courses:
            return 0
        return round(sum(c.percent for c in self.courses) / len(self.courses))

    @property
    def days_since_active(self) -> int | None:
        if self.last_active is None:
            return None
        return (timezone.localdate() - self.last_active).days


def _named(name: str, first: str, last: str, username: str) -> str:
    return name or f"{first} {last}".strip() or username


def caseload_learners(*, centre: Centre, viewer, filters: CaseloadFilters) -> QuerySet[User]:
    """The learners a caseload lists before risk and goal filters: the centre's learners,
    narrowed to the viewer's assignments, a course and a search."""
    learners = learners_of(centre=centre)
    if filters.scope == "mine":
        learners = learners.filter(
            Exists(
                CaseloadAssignment.objects.filter(
                    centre=centre, counsellor=viewer, learner=OuterRef("pk")
                )
            )
        )
    if filters.course:
        learners = learners.filter(
            Exists(
                Enrolment.objects.filter(
                    user=OuterRef("pk"), centre=centre, course_id=filters.course
                )
            )
        )
    query = filters.q.strip()
    if query:
        learners = learners.filter(
            Q(name__icontains=query)
            | Q(username__icontains=query)
            | Q(email__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
        )
    return learners


class LocalDay(Func):
    """The date of a timestamp in the current time zone, as "YYYY-MM-DD" text.

    Text, because reading tens of thousands of dates through Django's converters costs more
    than the query. On SQLite, SQLite's own date() shifts by the zone's offset now (Django's
    TruncDate would call a Python function per row): exact for zones without daylight saving
    such as Asia/Seoul, at most an hour off around a transition elsewhere. PostgreSQL
    converts each timestamp exactly with AT TIME ZONE.
    """

    output_field = CharField()

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        zone = timezone.get_current_timezone_name()
        return f"CAST(CAST(({sql} AT TIME ZONE %s) AS date) AS varchar)", (*params, zone)

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        offset = int(timezone.localtime().utcoffset().total_seconds())
        return f"date({sql}, '{offset:+d} seconds')", params


_day = lru_cache(maxsize=4096)(date.fromisoformat)


def _activity_days(learners: QuerySet[User], centre: Centre, since: datetime) -> dict:
    """learner id → sorted active days in this centre since `since`, in one UNION query over
    enrolments, lesson progress and attempts."""
    ids = learners.values("pk")
    enrolments = Enrolment.objects.filter(user_id__in=ids, centre=centre)

    def days(qs, user_field: str, stamp: str):
        return (
            qs.filter(**{f"{stamp}__gte": since})
            .annotate(uid=F(user_field), day=LocalDay(stamp))
            .order_by()
            .values_list("uid", "day")
        )

    progress = LessonProgress.objects.filter(enrolment__in=enrolments)
    attempts = Attempt.objects.filter(
        Exists(
            Enrolment.objects.filter(
                user_id=OuterRef("user_id"), course_id=OuterRef("course_id"), centre=centre
            )
        ),
        user_id__in=ids,
    )
    union = days(enrolments, "user_id", "enrolled_at").union(
        days(enrolments, "user_id", "last_activity_at"),
        days(progress, "enrolment__user_id", "started_at"),
        days(progress, "enrolment__user_id", "completed_at"),
        days(progress, "enrolment__user_id", "updated_at"),
        days(attempts, "user_id", "started_at"),
        days(attempts, "user_id", "submitted_at"),
    )
    found: dict[int, set[date]] = defaultdict(set)
    for user_id, day in union:
        if day is not None:
            found[user_id].add(_day(day))
    return {user_id: sorted(days) for user_id, days in found.items()}


def _assessment_skills(assessment_ids: Iterable[int]) -> tuple[dict, dict]:
    """(assessment id → (pass mark, skill ids), skill id → label), in two queries."""
    assessments = list(
        Assessment.objects.filter(pk__in=set(assessment_ids)).only(
            "pk", "pass_mark", "questions", "skill_map"
        )
    )
    skill_pks: dict[int, set[int]] = {}
    skill_uris: dict[int, set[str]] = {}
    for assessment in assessments:
        skill_pks[assessment.pk] = {
            block["value"].get("skill")
            for block in assessment.questions.raw_data
            if isinstance(block.get("value"), dict) and block["value"].get("skill")
        }
        skill_uris[assessment.pk] = {
            item.get("uri")
            for items in (assessment.skill_map or {}).values()
            if isinstance(items, list)
            for item in items
            if isinstance(item, dict) and item.get("uri")
        }
    all_pks = set().union(*skill_pks.values()) if skill_pks else set()
    all_uris = set().union(*skill_uris.values()) if skill_uris else set()
    skills = (
        list(Skill.objects.filter(Q(pk__in=all_pks) | Q(esco_uri__in=all_uris)))
        if all_pks or all_uris
        else []
    )
    by_uri = {s.esco_uri: s.pk for s in skills}
    labels = {str(s.pk): s.label for s in skills}
    result = {}
    for assessment in assessments:
        ids = {str(pk) for pk in skill_pks[assessment.pk]}
        ids |= {str(by_uri[u]) for u in skill_uris[assessment.pk] if u in by_uri}
        result[assessment.pk] = (assessment.pass_mark, frozenset(ids))
    return result, labels


def _attempt_outcomes(learners: QuerySet[User], centre: Centre, since: datetime):
    """learner id → [AttemptOutcome] in the order graded, and skill labels, in four queries.

    The percent is computed by the database and only the order of grading is kept: reading
    thousands of decimals and timestamps through Django's converters costs more than this.
    """
    rows = list(
        Attempt.objects.filter(
            Exists(
                Enrolment.objects.filter(
                    user_id=OuterRef("user_id"), course_id=OuterRef("course_id"), centre=centre
                )
            ),
            user_id__in=learners.values("pk"),
            status=Attempt.Status.GRADED,
            started_at__gte=since,
            graded_at__isnull=False,
        )
        .annotate(
            percent=Case(
                When(
                    max_score__gt=0,
                    then=Cast("score", FloatField()) * 100.0 / Cast("max_score", FloatField()),
                ),
                default=Value(100.0),
                output_field=FloatField(),
            )
        )
        .order_by("user_id", "graded_at", "pk")
        .values_list("user_id", "assessment_id", "course_id", "percent")
    )
    if not rows:
        return {}, {}
    assessments, labels = _assessment_skills({r[1] for r in rows})
    overrides = {
        (course_id, assessment_id): mark
        for course_id, assessment_id, mark in CourseAssessment.objects.filter(
            assessment_id__in=assessments, pass_mark__isnull=False
        ).values_list("course_id", "assessment_id", "pass_mark")
    }
    outcomes: dict[int, list[risk.AttemptOutcome]] = defaultdict(list)
    for order, (user_id, assessment_id, course_id, percent) in enumerate(rows):
        pass_mark, skills = assessments.get(assessment_id, (0, frozenset()))
        if not skills:
            continue
        mark = overrides.get((course_id, assessment_id), pass_mark)
        outcomes[user_id].append(
            risk.AttemptOutcome(when=order, passed=(percent or 0) >= mark, skills=skills)
        )
    return outcomes, labels


def _course_titles(course_ids: Iterable[int] | QuerySet) -> dict[int, tuple[str, int]]:
    """Source course id → (title in the active language, live required lessons); the ids
    may be a values() queryset, read as a subquery."""
    required = (
        LessonPage.objects.filter(
            path__startswith=OuterRef("path"), depth=OuterRef("depth") + 1, live=True, required=True
        )
        .order_by()
        .values("depth")
        .annotate(n=Count("pk"))
        .values("n")
    )
    courses = list(
        CoursePage.objects.filter(
            pk__in=course_ids if isinstance(course_ids, QuerySet) else set(course_ids)
        )
        .annotate(required_lessons=Coalesce(Subquery(required, output_field=IntegerField()), 0))
        .values_list("pk", "title", "translation_key", "required_lessons")
    )
    language = (get_language() or "ko").split("-")[0]
    translated = dict(
        CoursePage.objects.filter(
            translation_key__in=[c[2] for c in courses],
            locale__language_code=language,
            alias_of__isnull=True,
        ).values_list("translation_key", "title")
    )
    return {pk: (translated.get(key, title), n) for pk, title, key, n in courses}


def _latest_plans(
    learners: QuerySet[User], centre: Centre, roles: dict[int, SkillRole]
) -> dict[int, LearnerPlan]:
    plans: dict[int, LearnerPlan] = {}
    for plan in LearnerPlan.objects.filter(
        centre=centre, learner_id__in=learners.values("pk")
    ).order_by("learner_id", "created_at", "pk"):
        if plan.goal_role_id:
            plan.goal_role = roles.get(plan.goal_role_id)
        plans[plan.learner_id] = plan  # the newest wins
    return plans


def caseload_rows(
    *, centre: Centre, viewer, filters: CaseloadFilters, today: date | None = None
) -> list[CaseloadRow]:
    """Every learner of a caseload with progress, goal, plan and risk, filtered and sorted.

    A fixed number of queries (about ten) whatever the number of learners.
    """
    learners = caseload_learners(centre=centre, viewer=viewer, filters=filters)
    rows = rows_for_learners(learners=learners, centre=centre, today=today)
    return _filter_and_sort(rows, filters, today or timezone.localdate())


def rows_for_learners(
    *, learners: QuerySet[User], centre: Centre, today: date | None = None
) -> list[CaseloadRow]:
    """Caseload rows, by name, for the given learners of the centre (about ten queries)."""
    today = today or timezone.localdate()
    now = timezone.now()
    since = now - timedelta(days=HISTORY_DAYS)
    people = list(
        learners.order_by("name", "username").values_list(
            "pk", "name", "first_name", "last_name", "username", "email"
        )
    )
    if not people:
        return []
    days = _activity_days(learners, centre, since)
    outcomes, labels = _attempt_outcomes(learners, centre, since)
    recent = now - timedelta(days=risk.PACE_WINDOW_DAYS)
    enrolments = list(
        Enrolment.objects.filter(user_id__in=learners.values("pk"), centre=centre)
        .annotate(
            done=Count(
                "progress",
                filter=Q(
                    progress__status=LessonProgress.Status.COMPLETED,
                    progress__lesson__required=True,
                ),
            ),
            done_recently=Count(
                "progress",
                filter=Q(
                    progress__status=LessonProgress.Status.COMPLETED,
                    progress__completed_at__gte=recent,
                ),
            ),
            done_any=Count("progress", filter=Q(progress__status=LessonProgress.Status.COMPLETED)),
        )
        .order_by("enrolled_at")
        .values_list(
            "user_id", "course_id", "status", "done", "done_recently", "done_any", "cohort_id"
        )
    )
    deadlines = deadline_counts(
        learner_ids=[p[0] for p in people],
        centre=centre,
        now=now,
        runs=[(e[0], e[6]) for e in enrolments],
    )
    titles = _course_titles(e[1] for e in enrolments)
    roles = SkillRole.objects.in_bulk()  # a few dozen; cheaper than a join per row
    plans = _latest_plans(learners, centre, roles)
    goals = {
        user_id: roles.get(role_id)
        for user_id, role_id in LearnerGoal.objects.filter(
            user_id__in=learners.values("pk")
        ).values_list("user_id", "role_id")
    }
    counsellors: dict[int, list[str]] = defaultdict(list)
    for learner_id, name, username in (
        CaseloadAssignment.objects.filter(centre=centre, learner_id__in=learners.values("pk"))
        .order_by("counsellor__name")
        .values_list("learner_id", "counsellor__name", "counsellor__username")
    ):
        counsellors[learner_id].append(name or username)

    courses: dict[int, list[CourseLine]] = defaultdict(list)
    remaining: dict[int, int] = defaultdict(int)
    recently: dict[int, int] = defaultdict(int)
    completed: dict[int, int] = defaultdict(int)
    for user_id, course_id, status, done, done_recently, done_any, _run in enrolments:
        title, total = titles.get(course_id, ("", 0))
        courses[user_id].append(CourseLine(course_id, title, status, done, total))
        recently[user_id] += done_recently
        completed[user_id] += done_any
        if status != Enrolment.Status.COMPLETED:
            remaining[user_id] += max(total - done, 0)

    rows = []
    for pk, name, first, last, username, email in people:
        plan = plans.get(pk)
        active = days.get(pk, [])
        history = risk.History(
            active_days=active,
            attempts=outcomes.get(pk, []),
            lessons_remaining=remaining[pk],
            completed_recently=recently[pk],
            completed_total=completed[pk],
            first_active=active[0] if active else None,
            target_date=plan.target_date if plan else None,
            deadlines_overdue=deadlines.get(pk, {}).get("overdue", 0),
            deadlines_missed=deadlines.get(pk, {}).get("missed", 0),
        )
        rows.append(
            CaseloadRow(
                learner_id=pk,
                name=_named(name, first, last, username),
                username=username,
                email=email,
                courses=courses.get(pk, []),
                last_active=active[-1] if active else None,
                goal_role=(plan.goal_role if plan and plan.goal_role else goals.get(pk)),
                plan=plan,
                counsellors=counsellors.get(pk, []),
                risk=risk.assess(history, today=today, skill_labels=labels),
                active_days=active,
            )
        )
    return rows


def _filter_and_sort(rows: list[CaseloadRow], filters: CaseloadFilters, today: date):
    if filters.role:
        rows = [r for r in rows if r.goal_role and r.goal_role.slug == filters.role]
    if filters.risk == "flagged":
        rows = [r for r in rows if r.risk.flags]
    elif filters.risk:
        rows = [r for r in rows if r.risk.level == filters.risk]
    if filters.activity == "never":
        rows = [r for r in rows if r.last_active is None]
    elif filters.activity == "over30":
        rows = [r for r in rows if r.last_active and (today - r.last_active).days > 30]
    elif filters.activity in ("7", "30"):
        limit = int(filters.activity)
        rows = [r for r in rows if r.last_active and (today - r.last_active).days <= limit]
    far = date.min
    if filters.sort == "name":
        rows.sort(key=lambda r: (r.name.casefold(), r.learner_id))
    elif filters.sort == "activity":  # longest silence first; never active last
        rows.sort(key=lambda r: (r.last_active is None, r.last_active or far, r.learner_id))
    elif filters.sort == "progress":
        rows.sort(key=lambda r: (r.progress, r.name.casefold()))
    else:
        rows.sort(key=lambda r: (-r.risk.score, r.last_active or far, r.name.casefold()))
    return rows


def caseload_options(*, centre: Centre) -> dict:
    """Choices for the caseload filters: courses the centre's learners take, and roles."""
    titles = _course_titles(Enrolment.objects.filter(centre=centre).values("course_id"))
    return {
        "courses": sorted(((pk, t[0]) for pk, t in titles.items()), key=lambda x: x[1]),
        "roles": list(SkillRole.objects.filter(is_active=True).order_by("name_ko")),
    }
