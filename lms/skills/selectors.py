"""Reads for the recommender: a learner's skill profile, roles, the centre's catalogue as
engine courses, and the full report (ranking, gaps, path) for learners and their staff."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from courses.models import CoursePage, CourseSkillOutcome
from courses.selectors import canonical_page_ids
from hub_sites.models import Centre
from lms.accounts.models import Membership, User
from lms.accounts.models import Role as MemberRole
from lms.accounts.selectors import centres_where
from lms.learning.models import Enrolment

from . import runtime
from .consent import cv_use_allowed
from .engine import gap as engine_gap
from .engine import path as engine_path
from .models import (
    JobPosting,
    LearnerGoal,
    PostingSkill,
    Role,
    RoleSkill,
    Skill,
    SkillEvidence,
    TextClaim,
)

ASSESSMENT_SOURCES = (SkillEvidence.Source.QUIZ_QUESTION, SkillEvidence.Source.NOTEBOOK_CELL)
PASS_SCORE = 0.5  # an assessment item counts at its level from half its points
TEXT_LEVEL_EXACT = 2  # CV/goal text never says more than this …
TEXT_LEVEL_FUZZY = 1  # … and less when the phrase only resembles the skill


@dataclass(frozen=True)
class Provenance:
    """Where one level of a skill came from, and what it counted for."""

    source: str  # assessment, course, self, text, profile
    label: str
    level: int  # the level the source states
    counted: int  # the level it counts for after discounts and caps
    when: datetime | None = None
    note: str = ""


@dataclass
class SkillLevel:
    skill: Skill
    level: int
    sources: list[Provenance] = field(default_factory=list)


@dataclass
class LearnerProfile:
    """Levels 0–5 per skill (absent = 0) with provenance, and the unmatched CV phrases."""

    skills: dict[str, SkillLevel]
    unmatched: list[TextClaim] = field(default_factory=list)
    completed_courses: set[int] = field(default_factory=set)  # source-page ids

    @property
    def levels(self) -> dict[str, int]:
        return {uri: s.level for uri, s in self.skills.items() if s.level > 0}

    def rows(self) -> list[SkillLevel]:
        return sorted(self.skills.values(), key=lambda s: (-s.level, s.skill.label.casefold()))


def _self_counted(stated: int, evidenced: int) -> tuple[int, str]:
    """A self-rating counts in full once other evidence reaches within one level of it."""
    if evidenced >= stated - 1 and evidenced > 0:
        return stated, _("confirmed by evidence")
    return max(stated - 1, 0), _("counts one level lower until evidence confirms it")


def learner_profile(*, user) -> LearnerProfile:
    """A learner's skill levels from every source, each with where it came from.

    Assessment items (quiz questions, notebook cells) passed with at least half the points
    count at their level; completed courses at their declared outcome levels; the latest
    self-rating per skill one level lower until evidence reaches within one level of it;
    CV or goal text at most level 2 (level 1 for a near match). The level is the maximum.
    """
    found: dict[int, list[Provenance]] = {}
    skills: dict[int, Skill] = {}

    def add(skill: Skill, provenance: Provenance) -> None:
        skills[skill.pk] = skill
        found.setdefault(skill.pk, []).append(provenance)

    evidence = list(
        SkillEvidence.objects.filter(user=user).select_related("skill").order_by("-recorded_at")
    )
    self_latest: dict[int, SkillEvidence] = {}
    for item in evidence:
        if item.source_type == SkillEvidence.Source.SELF_ASSESSMENT:
            self_latest.setdefault(item.skill_id, item)
        elif item.source_type in ASSESSMENT_SOURCES:
            counted = item.level if item.score >= PASS_SCORE else 0
            note = "" if counted else _("below the pass mark")
            add(
                item.skill,
                Provenance(
                    "assessment",
                    item.source_label or item.get_source_type_display(),
                    item.level,
                    counted,
                    item.recorded_at,
                    note,
                ),
            )
        else:
            add(
                item.skill,
                Provenance(
                    "course",
                    item.source_label or item.get_source_type_display(),
                    item.level,
                    item.level,
                    item.recorded_at,
                ),
            )
    finished = dict(
        Enrolment.objects.filter(user=user, status=Enrolment.Status.COMPLETED).values_list(
            "course_id", "completed_at"
        )
    )
    outcomes = (
        CourseSkillOutcome.objects.filter(course_id__in=list(finished)).select_related(
            "skill", "course"
        )
        if finished
        else []
    )
    for outcome in outcomes:
        add(
            outcome.skill,
            Provenance(
                "course",
                outcome.course.title,
                outcome.level,
                outcome.level,
                finished.get(outcome.course_id),
            ),
        )
    for skill_id, item in self_latest.items():
        evidenced = max((p.counted for p in found.get(skill_id, [])), default=0)
        counted, note = _self_counted(item.level, evidenced)
        add(
            item.skill,
            Provenance("self", _("Self-assessment"), item.level, counted, item.recorded_at, note),
        )
    # CV phrases count only while the learner lets Dasi use them (lms/privacy, docs/privacy.md).
    claims = (
        list(TextClaim.objects.filter(user=user).select_related("skill", "reviewed_by"))
        if cv_use_allowed(user=user)
        else []
    )
    for claim in claims:
        if claim.skill is None or claim.status != TextClaim.Status.CONFIRMED:
            continue
        level = TEXT_LEVEL_EXACT if claim.method == TextClaim.Method.LABEL else TEXT_LEVEL_FUZZY
        reviewer = claim.reviewed_by
        who = (
            _("the learner")
            if reviewer is None or reviewer.pk == user.pk
            else (getattr(reviewer, "display_name", "") or reviewer.get_username())
        )
        add(
            claim.skill,
            Provenance(
                "text",
                _("CV, confirmed by %(who)s: “%(phrase)s”")
                % {"who": who, "phrase": claim.phrase[:80]},
                level,
                level,
                claim.reviewed_at or claim.submitted_at,
                claim.get_method_display(),
            ),
        )
    profile = {
        skills[pk].esco_uri: SkillLevel(
            skill=skills[pk],
            level=max(p.counted for p in provenance),
            sources=sorted(provenance, key=lambda p: -p.counted),
        )
        for pk, provenance in found.items()
    }
    return LearnerProfile(
        skills=profile,
        unmatched=[c for c in claims if c.skill is None],
        completed_courses=set(finished),
    )


def roles_active() -> QuerySet[Role]:
    """Roles shown to learners, with their requirements and skills prefetched."""
    return Role.objects.filter(is_active=True).prefetch_related(
        Prefetch(
            "requirements",
            queryset=RoleSkill.objects.select_related("skill").order_by("sort_order"),
        )
    )


@lru_cache(maxsize=8)
def _roles_cached(stamp: tuple) -> tuple[list[Role], list[engine_gap.RoleProfile]]:
    roles = list(roles_active())
    return roles, role_profiles(roles)


def roles_with_profiles() -> tuple[list[Role], list[engine_gap.RoleProfile]]:
    """Active roles and their engine profiles, cached until any role or requirement changes
    (one aggregate query decides)."""
    row = Role.objects.aggregate(n=Count("pk"), at=Max("updated_at"), req=Count("requirements"))
    language = (get_language() or "ko").split("-")[0]
    return _roles_cached((row["n"], row["at"], row["req"], language))


def role_profiles(roles: QuerySet[Role] | list[Role] | None = None) -> list[engine_gap.RoleProfile]:
    """Active roles as engine profiles (skill ids are URIs)."""
    roles = roles if roles is not None else roles_active()
    return [
        engine_gap.RoleProfile(
            key=role.slug,
            name=role.name,
            requirements=tuple(
                engine_gap.Requirement(skill=r.skill.esco_uri, level=r.level, weight=r.weight)
                for r in role.requirements.all()
            ),
        )
        for role in roles
    ]


@dataclass(frozen=True)
class CatalogueCourse:
    """A course of the centre's catalogue: the engine's view plus the page to link to."""

    engine: engine_path.Course
    page: CoursePage


def catalogue_courses(*, centre: Centre) -> list[CatalogueCourse]:
    """The centre's live courses (its own and those it offers) for path planning.

    Keys are source-page ids, so an offered course (alias) and its source are one course
    and match enrolments. Titles are in the active language where a translation exists.
    Cached per process until any course is published, unpublished, added or removed.
    """
    stamp = CoursePage.objects.aggregate(
        n=Count("pk"), at=Max("last_published_at"), live=Count("pk", filter=Q(live=True))
    )
    language = (get_language() or "ko").split("-")[0]
    return list(_catalogue_cached(centre.pk, language, (stamp["n"], stamp["at"], stamp["live"])))


@lru_cache(maxsize=32)
def _catalogue_cached(centre_id: int, language: str, stamp: tuple) -> tuple[CatalogueCourse, ...]:
    centre = Centre.objects.select_related("site__root_page").get(pk=centre_id)
    return tuple(_catalogue_build(centre=centre, language=language))


def caches_clear() -> None:
    """Forget every cached recommender object: roles and catalogues (the stamps make that
    rarely needed), and the artefact, encoder and matcher (after a rebuild, between tests)."""
    _roles_cached.cache_clear()
    _catalogue_cached.cache_clear()
    runtime.caches_clear()


def _catalogue_build(*, centre: Centre, language: str) -> list[CatalogueCourse]:
    root = centre.site.root_page
    pages = list(CoursePage.objects.live().public().descendant_of(root).order_by("path"))
    sources = canonical_page_ids(pages)
    source_ids = set(sources.values())
    outcomes: dict[int, dict[str, int]] = {}
    for course_id, uri, level in CourseSkillOutcome.objects.filter(
        course_id__in=source_ids
    ).values_list("course_id", "skill__esco_uri", "level"):
        outcomes.setdefault(course_id, {})[uri] = level
    through = CoursePage.prerequisites.through
    prereq_pages = list(
        through.objects.filter(from_coursepage_id__in=source_ids).values_list(
            "from_coursepage_id", "to_coursepage_id"
        )
    )
    prereq_sources = canonical_page_ids(
        CoursePage.objects.filter(pk__in={to for _f, to in prereq_pages})
    )
    prereqs: dict[int, list[str]] = {}
    for frm, to in prereq_pages:
        prereqs.setdefault(frm, []).append(str(prereq_sources.get(to, to)))
    translated = {
        p.translation_key: p
        for p in CoursePage.objects.live().filter(
            translation_key__in=[p.translation_key for p in pages],
            locale__language_code=language,
        )
    }
    out: list[CatalogueCourse] = []
    seen: set[int] = set()
    for page in pages:
        source = sources[page.pk]
        if source in seen:
            continue
        seen.add(source)
        shown = page
        if page.locale.language_code != language:
            shown = translated.get(page.translation_key, page)
        out.append(
            CatalogueCourse(
                engine=engine_path.Course(
                    key=str(source),
                    title=shown.title,
                    hours=float(page.estimated_hours),
                    outcomes=outcomes.get(source, {}),
                    prerequisites=tuple(prereqs.get(source, [])),
                ),
                page=shown,
            )
        )
    return out


@dataclass
class RoleReport:
    role: Role
    fit: engine_gap.RoleFit
    path: engine_path.LearningPath | None = None


@dataclass
class SkillReport:
    """Everything the recommender says about one learner in one centre."""

    profile: LearnerProfile
    roles: list[RoleReport]
    goal: Role | None
    skills: dict[str, Skill]
    courses: dict[str, CatalogueCourse]

    @property
    def focus(self) -> RoleReport | None:
        """The goal role's report, else the most ready role's."""
        if self.goal is not None:
            for report in self.roles:
                if report.role.pk == self.goal.pk:
                    return report
        return self.roles[0] if self.roles else None


def skill_report(
    *,
    user,
    centre: Centre | None,
    levels: Mapping[str, int] | None = None,
    paths_for: int = 3,
) -> SkillReport:
    """Rank every role for the learner, with gaps, and paths for the goal and top roles.

    `levels` overrides the stored profile (the `skillgap` command). Paths use the centre's
    catalogue; without a centre there are none.
    """
    profile = learner_profile(user=user) if user is not None else LearnerProfile(skills={})
    current = dict(levels) if levels is not None else profile.levels
    roles, profiles = roles_with_profiles()
    by_key = {r.slug: r for r in roles}
    fits = engine_gap.rank_roles(current, profiles)
    goal = None
    if user is not None:
        goal_row = LearnerGoal.objects.filter(user=user).select_related("role").first()
        goal = goal_row.role if goal_row else None
    catalogue = catalogue_courses(centre=centre) if centre is not None else []
    engine_courses = [c.engine for c in catalogue]
    completed = {str(pk) for pk in profile.completed_courses}
    reports = []
    for rank, fit in enumerate(fits):
        role = by_key[fit.role.key]
        # With a goal, the goal's path is the one shown; without, the closest roles'.
        is_goal = goal is not None and role.pk == goal.pk
        want_path = is_goal or (goal is None and rank < paths_for)
        path = (
            engine_path.plan_path(fit.gaps, engine_courses, completed=completed, levels=current)
            if want_path and catalogue
            else None
        )
        reports.append(RoleReport(role=role, fit=fit, path=path))
    uris = {r.skill.esco_uri for role in roles for r in role.requirements.all()}
    skills = {r.skill.esco_uri: r.skill for role in roles for r in role.requirements.all()}
    skills.update({uri: s.skill for uri, s in profile.skills.items() if uri not in uris})
    return SkillReport(
        profile=profile,
        roles=reports,
        goal=goal,
        skills=skills,
        courses={c.engine.key: c for c in catalogue},
    )


def dashboard_next_course(*, user, request, rows) -> dict:
    """The recommender's next course for "My learning" (the `learning_dashboard_context`
    hook): the first course of the path to the learner's goal, or to their closest role, that
    they have not enrolled in, with the gap skills it closes."""
    centre = getattr(request, "centre", None)
    if centre is None:
        return {}
    report = skill_report(user=user, centre=centre, paths_for=1)
    focus = report.focus
    if focus is None or focus.path is None:
        return {}
    enrolled = {str(row.enrolment.course_id) for row in rows}
    for step in focus.path.steps:
        if step.course.key in enrolled:
            continue
        closes = [report.skills[uri] for uri in step.closes if uri in report.skills]
        return {
            "next_course": {
                "page": report.courses[step.course.key].page,
                "role": focus.role,
                "is_goal": report.goal is not None,
                "closes": closes,
            }
        }
    return {}


def learner_report_for_staff(*, viewer, learner_id: int, centre: Centre) -> tuple:
    """(learner, report) for a counsellor or centre admin of `centre`, about a learner of
    that centre. Raises PermissionDenied for anyone else, and for learners of other centres.
    """
    allowed = centres_where(
        user=viewer, roles=[MemberRole.COUNSELLOR, MemberRole.CENTRE_ADMIN]
    ).filter(pk=centre.pk)
    if not (viewer.is_authenticated and allowed.exists()):
        raise PermissionDenied(_("Only this centre's counsellors and admins can see this."))
    is_learner = Membership.objects.filter(
        user_id=learner_id, centre=centre, role=MemberRole.LEARNER
    ).exists()
    if not is_learner:
        raise PermissionDenied(_("This person is not a learner of this centre."))
    learner = User.objects.get(pk=learner_id)
    return learner, skill_report(user=learner, centre=centre)


def _staff_of(*, viewer, centre: Centre) -> bool:
    return bool(
        viewer.is_authenticated
        and centres_where(user=viewer, roles=[MemberRole.COUNSELLOR, MemberRole.CENTRE_ADMIN])
        .filter(pk=centre.pk)
        .exists()
    )


def claims_for_review(*, viewer, learner_id: int, centre: Centre | None) -> QuerySet[TextClaim]:
    """The CV claims of a learner that `viewer` may confirm or reject: their own, or, for a
    counsellor or admin of `centre`, those of a learner of that centre. Raises
    PermissionDenied otherwise, and when CV use is not allowed for the learner."""
    if not viewer.is_authenticated:
        raise PermissionDenied
    if viewer.pk != learner_id:
        if centre is None or not _staff_of(viewer=viewer, centre=centre):
            raise PermissionDenied(_("Only this centre's counsellors and admins can see this."))
        if not Membership.objects.filter(
            user_id=learner_id, centre=centre, role=MemberRole.LEARNER
        ).exists():
            raise PermissionDenied(_("This person is not a learner of this centre."))
    learner = User.objects.get(pk=learner_id)
    if not cv_use_allowed(user=learner):
        raise PermissionDenied(_("This learner's CV is not used for recommendations."))
    return TextClaim.objects.filter(user_id=learner_id).select_related("skill", "reviewed_by")


def postings_for_staff(*, viewer, centre: Centre | None) -> QuerySet[JobPosting]:
    """The job postings of `centre`, for its counsellors and admins only."""
    if centre is None or not _staff_of(viewer=viewer, centre=centre):
        raise PermissionDenied(_("Only this centre's counsellors and admins can see this."))
    return (
        JobPosting.objects.filter(centre=centre)
        .select_related("added_by")
        .prefetch_related(Prefetch("skills", queryset=PostingSkill.objects.select_related("skill")))
    )


@dataclass(frozen=True)
class Demand:
    """How many of a centre's job postings ask for each skill (skill id → count)."""

    postings: int
    by_skill: Mapping[int, int]

    def share(self, skill_id: int) -> float:
        return self.by_skill.get(skill_id, 0) / self.postings if self.postings else 0.0


def skill_demand(*, centre: Centre | None) -> Demand:
    """Employer demand around `centre`, from the job postings its staff pasted."""
    if centre is None:
        return Demand(0, {})
    postings = JobPosting.objects.filter(centre=centre).count()
    counts = dict(
        PostingSkill.objects.filter(posting__centre=centre)
        .values_list("skill_id")
        .annotate(n=Count("posting", distinct=True))
        .values_list("skill_id", "n")
    )
    return Demand(postings, counts)


@dataclass(frozen=True)
class RoleDemand:
    """How many of a role's required skills the centre's job postings ask for."""

    asked: int
    required: int
    postings: int
    skills: tuple[tuple[Skill, int], ...]  # each required skill with its posting count


def role_demand(*, centre: Centre | None) -> dict[int, RoleDemand]:
    """Role id → employer demand for its skills around `centre` (empty without postings)."""
    demand = skill_demand(centre=centre)
    if not demand.postings:
        return {}
    out: dict[int, list[tuple[Skill, int]]] = {}
    for requirement in RoleSkill.objects.filter(role__is_active=True).select_related("skill"):
        out.setdefault(requirement.role_id, []).append(
            (requirement.skill, demand.by_skill.get(requirement.skill_id, 0))
        )
    return {
        role_id: RoleDemand(
            asked=sum(1 for _s, n in rows if n),
            required=len(rows),
            postings=demand.postings,
            skills=tuple(sorted(rows, key=lambda row: -row[1])),
        )
        for role_id, rows in out.items()
    }


def role_demand_rows(*, centre: Centre | None) -> list[tuple[Role, RoleDemand]]:
    """(role, demand) for every active role, most-asked-for first."""
    demand = role_demand(centre=centre)
    rows = [(role, demand[role.pk]) for role in roles_active() if role.pk in demand]
    return sorted(rows, key=lambda row: (-row[1].asked / max(row[1].required, 1), row[0].slug))
