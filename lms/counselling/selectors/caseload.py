"""Who may use the cockpit, and caseloads with risk, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    FilteredRelation,
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
from ..risk_rows import risk_rows_reserve, risk_rows_store
from ..sharing import remember_roles, shared_learners, withheld_count

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
    roles = set(
        Membership.objects.filter(user=user, centre=centre, role__in=COCKPIT_ROLES).values_list(
            "role", flat=True
        )
    )
    remember_roles(viewer=user, centre=centre, roles=roles)
    return roles


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
    active_days: list[date] = field(default_factory=list)  # only when computed now
    progress: int = 0  # mean course progress in percent (0 without courses)
    goal_role_id: int | None = None
    detailed: bool = False  # courses, plan, goal role and counsellors are filled in

    @property
    def days_since_active(self) -> int | None:
        if self.last_active is None:
            return None
        return (timezone.localdate() - self.last_active).days


def _named(name: str, first: str, last: str, username: str) -> str:
    return name or f"{first} {last}".strip() or username


def caseload_learners(*, centre: Centre, viewer, filters: CaseloadFilters) -> QuerySet[User]:
    """The learners a caseload lists before risk and goal filters: the centre's learners
    who share their record with the viewer (lms/counselling/sharing.py), narrowed to the
    viewer's assignments, a course and a search.

    Every list of the cockpit (caseload, at risk, export, digest, the staff start page)
    starts from this queryset: a rule on who may be listed at all belongs here."""
    return shared_learners(
        _caseload_scope(centre=centre, viewer=viewer, filters=filters),
        viewer=viewer,
        centre=centre,
    )


def caseload_withheld(*, centre: Centre, viewer, filters: CaseloadFilters) -> int:
    """How many learners the same caseload (scope and course, not the search) leaves out
    because they withdrew sharing with counsellors: a number, never who (one query). The
    search is ignored, or a name typed into it would tell whether that person withdrew."""
    unsearched = replace(filters, q="")
    return withheld_count(
        _caseload_scope(centre=centre, viewer=viewer, filters=unsearched),
        viewer=viewer,
        centre=centre,
    )


def _caseload_scope(*, centre: Centre, viewer, filters: CaseloadFilters) -> QuerySet[User]:
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
    """(assessment id → (pass mark, skill ids), skill id → {"en": label, "ko": label}), in
    two queries."""
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
    # Both languages: a stored reason is read in each counsellor's own.
    labels = {str(s.pk): {"en": s.label_en, "ko": s.label_ko} for s in skills}
    result = {}
    for assessment in assessments:
        ids = {str(pk) for pk in skill_pks[assessment.pk]}
        ids |= {str(by_uri[u]) for u in skill_uris[assessment.pk] if u in by_uri}
        result[assessment.pk] = (assessment.pass_mark, frozenset(ids))
    return result, labels


def _attempt_outcomes(learners: QuerySet[User], centre: Centre, since: datetime):
    """learner id → [AttemptOutcome] in the order graded, and skill labels, in three queries.

    The percent, and the course's own pass mark where it sets one, come from the database
    and only the order of grading is kept: reading thousands of decimals and timestamps
    through Django's converters costs more than this.
    """
    course_mark = CourseAssessment.objects.filter(
        course_id=OuterRef("course_id"),
        assessment_id=OuterRef("assessment_id"),
        pass_mark__isnull=False,
    ).values("pass_mark")[:1]
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
            ),
            course_mark=Subquery(course_mark),
        )
        .order_by("user_id", "graded_at", "pk")
        .values_list("user_id", "assessment_id", "percent", "course_mark")
    )
    if not rows:
        return {}, {}
    assessments, labels = _assessment_skills({r[1] for r in rows})
    outcomes: dict[int, list[risk.AttemptOutcome]] = defaultdict(list)
    for order, (user_id, assessment_id, percent, course_mark) in enumerate(rows):
        pass_mark, skills = assessments.get(assessment_id, (0, frozenset()))
        if not skills:
            continue
        mark = pass_mark if course_mark is None else course_mark
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
    learners: QuerySet[User], centre: Centre, roles: dict[int, SkillRole] | None
) -> dict[int, LearnerPlan]:
    """learner id → their newest plan here, its goal role taken from `roles` if given."""
    plans: dict[int, LearnerPlan] = {}
    for plan in LearnerPlan.objects.filter(
        centre=centre, learner_id__in=learners.values("pk")
    ).order_by("learner_id", "created_at", "pk"):
        if plan.goal_role_id and roles is not None:
            plan.goal_role = roles.get(plan.goal_role_id)
        plans[plan.learner_id] = plan  # the newest wins
    return plans


def caseload_rows(
    *,
    centre: Centre,
    viewer,
    filters: CaseloadFilters,
    today: date | None = None,
    options: dict | None = None,
) -> list[CaseloadRow]:
    """Every learner of a caseload with last activity, goal role, progress and risk,
    filtered and sorted; their courses, plan and counsellors once `rows_detail` filled them.

    Risk is read from the stored rows (`stored_rows`); a `today` other than the current day
    measures it as on that day instead (about ten queries, whatever the caseload's size).
    `options` is what `caseload_options` returned for the request, if it was read.
    """
    learners = caseload_learners(centre=centre, viewer=viewer, filters=filters)
    current = timezone.localdate()
    if today is None or today == current:
        rows = stored_rows(learners=learners, centre=centre, options=options)
    else:
        rows = rows_for_learners(learners=learners, centre=centre, today=today)
    role_ids = None
    if filters.role:
        roles = options["roles_by_pk"].values() if options else SkillRole.objects.all()
        role_ids = {role.pk for role in roles if role.slug == filters.role}
    return _filter_and_sort(rows, filters, today or current, role_ids)


def _enrolment_counts(learners: QuerySet[User], centre: Centre, now: datetime) -> list[tuple]:
    """(learner, course, status, required lessons done, lessons done lately, lessons done)
    for every enrolment of the learners through the centre, oldest first."""
    recent = now - timedelta(days=risk.PACE_WINDOW_DAYS)
    completed = Q(progress__status=LessonProgress.Status.COMPLETED)
    return list(
        Enrolment.objects.filter(user_id__in=learners.values("pk"), centre=centre)
        .annotate(
            done=Count("progress", filter=completed & Q(progress__lesson__required=True)),
            done_recently=Count(
                "progress", filter=completed & Q(progress__completed_at__gte=recent)
            ),
            done_any=Count("progress", filter=completed),
        )
        .order_by("enrolled_at")
        .values_list(
            "user_id", "course_id", "status", "done", "done_recently", "done_any", "cohort_id"
        )
    )


def _counsellor_names(learners: QuerySet[User], centre: Centre) -> dict[int, list[str]]:
    counsellors: dict[int, list[str]] = defaultdict(list)
    for learner_id, name, username in (
        CaseloadAssignment.objects.filter(centre=centre, learner_id__in=learners.values("pk"))
        .order_by("counsellor__name")
        .values_list("learner_id", "counsellor__name", "counsellor__username")
    ):
        counsellors[learner_id].append(name or username)
    return counsellors


@dataclass
class _Measured:
    """What computing one learner's risk also finds out."""

    risk: risk.Assessment
    active_days: list[date]
    courses: list[CourseLine]
    plan: LearnerPlan | None

    @property
    def last_active(self) -> date | None:
        return self.active_days[-1] if self.active_days else None

    @property
    def progress(self) -> int:
        courses = self.courses
        return round(sum(c.percent for c in courses) / len(courses)) if courses else 0


def _measure(
    learners: QuerySet[User],
    centre: Centre,
    today: date,
    *,
    titles: dict | None = None,
    roles: dict | None = None,
) -> dict[int, _Measured]:
    """Each learner's risk computed from their history here (learners without any history
    are absent): six queries, eight without the course `titles` (`_course_titles`)."""
    now = timezone.now()
    since = now - timedelta(days=HISTORY_DAYS)
    days = _activity_days(learners, centre, since)
    outcomes, labels = _attempt_outcomes(learners, centre, since)
    enrolments = _enrolment_counts(learners, centre, now)
    if titles is None:
        titles = _course_titles(e[1] for e in enrolments)
    plans = _latest_plans(learners, centre, roles)
    # Due dates of the learners' course runs (none read when no enrolment is in a run).
    deadlines = deadline_counts(
        learner_ids=None, centre=centre, now=now, runs=[(e[0], e[6]) for e in enrolments]
    )

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

    measured = {}
    for pk in set(days) | set(outcomes) | set(courses) | set(plans):
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
        measured[pk] = _Measured(
            risk=risk.assess(history, today=today, skill_labels=labels),
            active_days=active,
            courses=courses.get(pk, []),
            plan=plan,
        )
    return measured


def rows_for_learners(
    *, learners: QuerySet[User], centre: Centre, today: date | None = None
) -> list[CaseloadRow]:
    """Caseload rows, by name, for the given learners of the centre, every detail filled in
    and risk computed now from their history (about twelve queries whatever their number)."""
    today = today or timezone.localdate()
    people = list(
        learners.order_by("name", "username").values_list(
            "pk", "name", "first_name", "last_name", "username", "email"
        )
    )
    if not people:
        return []
    roles = SkillRole.objects.in_bulk()  # a few dozen; cheaper than a join per row
    measured = _measure(learners, centre, today, roles=roles)
    goals = dict(
        LearnerGoal.objects.filter(user_id__in=learners.values("pk")).values_list(
            "user_id", "role_id"
        )
    )
    counsellors = _counsellor_names(learners, centre)
    nothing = _Measured(risk=risk.Assessment(), active_days=[], courses=[], plan=None)
    rows = []
    for pk, name, first, last, username, email in people:
        found = measured.get(pk, nothing)
        plan = found.plan
        goal_role = plan.goal_role if plan and plan.goal_role else roles.get(goals.get(pk))
        rows.append(
            CaseloadRow(
                learner_id=pk,
                name=_named(name, first, last, username),
                username=username,
                email=email,
                courses=found.courses,
                progress=found.progress,
                last_active=found.last_active,
                goal_role=goal_role,
                goal_role_id=goal_role.pk if goal_role else None,
                plan=plan,
                counsellors=counsellors.get(pk, []),
                risk=found.risk,
                active_days=found.active_days,
                detailed=True,
            )
        )
    return rows


# --- Stored risk ---------------------------------------------------------------------------

_STORED = (
    "stored__computed_on",
    "stored__rules_version",
    "stored__generation",
    "stored__computed_generation",
    "stored__flags",
    "stored__usual_gap_days",
    "stored__projected_finish",
    "stored__last_active",
    "stored__progress",
)
# Past this share of a caseload, stale rows are computed together with the whole caseload
# (one set of queries over the caseload's own subquery) rather than by id.
_RECOMPUTE_ALL_SHARE = 0.5
_RECOMPUTE_BATCH = 500


def stored_rows(
    *,
    learners: QuerySet[User],
    centre: Centre,
    options: dict | None = None,
    stats: dict | None = None,
) -> list[CaseloadRow]:
    """Caseload rows, by name, with risk, last activity and progress read from the stored
    risk rows (lms.counselling.models.LearnerRisk) and the goal role from plans and goals:
    one query whatever the number of learners.

    A row that is missing, of an earlier day or rules version, or marked stale by an event
    since it was computed (or whose learner was active today after it was computed) is
    computed now and stored (`services.risk_rows_store`): a read never shows a risk older
    than the last event. `stats`, if given, receives the number of rows computed.
    """
    today = timezone.localdate()
    day_start = timezone.make_aware(datetime.combine(today, time.min))
    latest_plan = LearnerPlan.objects.filter(centre=centre, learner=OuterRef("pk")).order_by(
        "-created_at", "-pk"
    )
    people = list(
        learners.annotate(
            stored=FilteredRelation("risk_rows", condition=Q(risk_rows__centre=centre)),
            # Opening a lesson moves `last_activity_at` with a plain UPDATE (no event):
            # activity today that the stored row has not counted makes it stale.
            active_today=Exists(
                Enrolment.objects.filter(
                    user_id=OuterRef("pk"), centre=centre, last_activity_at__gte=day_start
                )
            ),
            # The newest plan's goal role, else the learner's own goal (never stored).
            goal=Coalesce(
                Subquery(latest_plan.values("goal_role_id")[:1]),
                F("skill_goal__role_id"),
                output_field=IntegerField(),
            ),
        )
        .order_by("name", "username")
        .values_list(
            "pk",
            "name",
            "first_name",
            "last_name",
            "username",
            "email",
            "goal",
            *_STORED,
            "active_today",
        )
    )
    rows: list[CaseloadRow] = []
    stale: dict[int, int | None] = {}  # learner id → generation seen now (None: no row yet)
    for person in people:
        pk, name, first, last, username, email, goal = person[:7]
        (on, version, generation, computed_generation, flags, gap, finish, last_active,
         progress, active_today) = person[7:]  # fmt: skip
        row = CaseloadRow(
            learner_id=pk,
            name=_named(name, first, last, username),
            username=username,
            email=email,
            goal_role_id=goal,
        )
        rows.append(row)
        if (
            on != today
            or version != risk.RULES_VERSION
            or generation != computed_generation
            or (active_today and (last_active is None or last_active < today))
        ):
            stale[pk] = generation
            continue
        row.progress, row.last_active = progress, last_active
        row.risk = risk.Assessment(
            flags=[risk.Flag.from_json(f) for f in flags or ()],
            usual_gap_days=gap,
            days_since_active=(today - last_active).days if last_active else None,
            projected_finish=finish,
        )
    if stale:
        by_id = {row.learner_id: row for row in rows}
        for pk, found in _recompute(learners, centre, today, stale, len(people), options):
            row = by_id[pk]
            row.risk, row.last_active, row.progress = found.risk, found.last_active, found.progress
    if stats is not None:
        stats["computed"] = len(stale)
    return rows


def _recompute(
    learners: QuerySet[User],
    centre: Centre,
    today: date,
    stale: dict[int, int | None],
    size: int,
    options: dict | None,
):
    """Compute and store the risk of the `stale` learners (of `size` read): by id, or with
    the whole caseload when most of it is stale (after midnight, a new rules version).
    Yields (learner id, _Measured)."""
    missing = [pk for pk, generation in stale.items() if generation is None]
    if missing:  # before the history is read: an event from now on finds the row to mark
        risk_rows_reserve(centre=centre, learner_ids=missing)
    ids = sorted(stale)
    if len(stale) > _RECOMPUTE_ALL_SHARE * size:
        batches = [(learners, ids)]
    else:
        batches = [
            (User.objects.filter(pk__in=chunk), chunk)
            for chunk in (
                ids[i : i + _RECOMPUTE_BATCH] for i in range(0, len(ids), _RECOMPUTE_BATCH)
            )
        ]
    nothing = _Measured(risk=risk.Assessment(), active_days=[], courses=[], plan=None)
    titles = options["titles"] if options else None
    for batch, chunk in batches:
        measured = _measure(batch, centre, today, titles=titles)
        found = {pk: measured.get(pk, nothing) for pk in chunk}
        risk_rows_store(
            centre=centre,
            measured=found,
            generations={pk: stale[pk] or 0 for pk in found},
            today=today,
        )
        yield from found.items()


def rows_detail(
    *,
    rows: list[CaseloadRow],
    centre: Centre,
    learners: QuerySet[User] | None = None,
    options: dict | None = None,
) -> list[CaseloadRow]:
    """Fill in the courses, plan, goal role and counsellors of caseload rows (the page shown,
    or every row of an export: pass the caseload's `learners` then): three queries with the
    request's `options` (`caseload_options`), six without."""
    missing = [row for row in rows if not row.detailed]
    if not missing:
        return rows
    if learners is None:
        learners = User.objects.filter(pk__in=[row.learner_id for row in missing])
    enrolments = _enrolment_counts(learners, centre, timezone.now())
    titles = options["titles"] if options else _course_titles(e[1] for e in enrolments)
    roles = options["roles_by_pk"] if options else SkillRole.objects.in_bulk()
    plans = _latest_plans(learners, centre, roles)
    counsellors = _counsellor_names(learners, centre)
    courses: dict[int, list[CourseLine]] = defaultdict(list)
    for user_id, course_id, status, done, _recently, _any, _run in enrolments:
        title, total = titles.get(course_id, ("", 0))
        courses[user_id].append(CourseLine(course_id, title, status, done, total))
    for row in missing:
        row.courses = courses.get(row.learner_id, [])
        row.plan = plans.get(row.learner_id)
        row.goal_role = roles.get(row.goal_role_id) if row.goal_role_id else None
        row.counsellors = counsellors.get(row.learner_id, [])
        row.detailed = True
    return rows


def _filter_and_sort(
    rows: list[CaseloadRow], filters: CaseloadFilters, today: date, role_ids: set[int] | None
):
    if role_ids is not None:
        rows = [r for r in rows if r.goal_role_id in role_ids]
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
    """Choices for the caseload filters: courses the centre's learners take and active roles;
    with what the caseload's reads reuse (every such course's title and required lessons,
    every role by id)."""
    titles = _course_titles(Enrolment.objects.filter(centre=centre).values("course_id"))
    roles = SkillRole.objects.in_bulk()  # a few dozen
    return {
        "courses": sorted(((pk, t[0]) for pk, t in titles.items()), key=lambda x: x[1]),
        "roles": sorted((r for r in roles.values() if r.is_active), key=lambda r: r.name_ko),
        "titles": titles,
        "roles_by_pk": roles,
    }
