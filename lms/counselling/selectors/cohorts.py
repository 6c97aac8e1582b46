"""Cohort views: completion funnels per course and a learners × skills heatmap."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from assessments.models import CourseAssessment
from courses.models import CoursePage
from hub_sites.models import Centre
from lms.accounts.models import User
from lms.learning.models import Enrolment, LessonProgress
from lms.skills.models import Skill, SkillEvidence
from lms.skills.selectors import PASS_SCORE

from .caseload import PAGE_SIZE, _assessment_skills, _course_titles, _named

# --- Cohorts -------------------------------------------------------------------------------


@dataclass
class FunnelStage:
    key: str
    count: int


@dataclass
class CourseFunnel:
    course_id: int
    title: str
    stages: list[FunnelStage]


def completion_funnels(
    *, centre: Centre, learners: QuerySet[User] | None = None
) -> list[CourseFunnel]:
    """Per course taken through the centre: enrolled → started → half the required lessons
    → every required lesson → completed. Three queries whatever the number of courses."""
    enrolments = Enrolment.objects.filter(centre=centre)
    if learners is not None:
        enrolments = enrolments.filter(user_id__in=learners.values("pk"))
    rows = list(
        enrolments.annotate(
            started=Count("progress"),
            done=Count(
                "progress",
                filter=Q(
                    progress__status=LessonProgress.Status.COMPLETED,
                    progress__lesson__required=True,
                ),
            ),
        ).values_list("course_id", "status", "started", "done")
    )
    titles = _course_titles(r[0] for r in rows)
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for course_id, status, started, done in rows:
        total = titles.get(course_id, ("", 0))[1]
        c = counts[course_id]
        c[0] += 1
        c[1] += started > 0
        c[2] += total > 0 and done * 2 >= total
        c[3] += total > 0 and done >= total
        c[4] += status == Enrolment.Status.COMPLETED
    keys = ("enrolled", "started", "halfway", "lessons_done", "completed")
    funnels = [
        CourseFunnel(
            course_id=course_id,
            title=titles.get(course_id, ("?", 0))[0],
            stages=[FunnelStage(k, n) for k, n in zip(keys, values, strict=True)],
        )
        for course_id, values in counts.items()
    ]
    funnels.sort(key=lambda f: f.title)
    return funnels


def course_learners(*, centre: Centre, course_id: int, learners: QuerySet[User]) -> QuerySet[User]:
    """Those of `learners` enrolled in the course through the centre."""
    return learners.filter(
        Exists(Enrolment.objects.filter(user=OuterRef("pk"), centre=centre, course_id=course_id))
    )


@dataclass
class Heatmap:
    skills: list[Skill]
    rows: list[tuple[int, str, list[int]]]  # learner id, name, level per skill
    total: int  # learners in the cohort (all pages)


def skill_heatmap(
    *,
    centre: Centre,
    course_id: int,
    learners: QuerySet[User] | None = None,
    enrolled_month: date | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> Heatmap:
    """Learners of a course (through this centre) × the skills the course and its
    assessments teach: the highest level each learner has *shown* — assessment items passed
    with at least half the points and completed courses (self-ratings and CV text are not
    evidence here). Four queries whatever the cohort size; learners are paged."""
    course = CoursePage.objects.get(pk=course_id)
    skill_ids = set(course.skill_outcomes.values_list("skill_id", flat=True))
    assessment_ids = CourseAssessment.objects.filter(course=course).values_list(
        "assessment_id", flat=True
    )
    found, _labels = _assessment_skills(assessment_ids) if assessment_ids else ({}, {})
    for _mark, ids in found.values():
        skill_ids |= {int(i) for i in ids}
    skills = sorted(Skill.objects.filter(pk__in=skill_ids), key=lambda s: s.label.casefold())
    enrolments = Enrolment.objects.filter(centre=centre, course_id=course_id)
    if learners is not None:
        enrolments = enrolments.filter(user_id__in=learners.values("pk"))
    if enrolled_month is not None:
        enrolments = enrolments.filter(
            enrolled_at__year=enrolled_month.year, enrolled_at__month=enrolled_month.month
        )
    people_qs = (
        User.objects.filter(pk__in=enrolments.values("user_id"))
        .order_by("name", "username")
        .values_list("pk", "name", "first_name", "last_name", "username")
    )
    total = people_qs.count()
    start = (page - 1) * page_size
    people = list(people_qs[start : start + page_size])
    levels: dict[tuple[int, int], int] = {}
    if people and skills:
        for user_id, skill_id, level in (
            SkillEvidence.objects.filter(
                user_id__in=[p[0] for p in people], skill_id__in=[s.pk for s in skills]
            )
            .filter(
                Q(source_type=SkillEvidence.Source.COURSE_COMPLETION) | Q(score__gte=PASS_SCORE)
            )
            .exclude(source_type=SkillEvidence.Source.SELF_ASSESSMENT)
            .values_list("user_id", "skill_id", "level")
        ):
            key = (user_id, skill_id)
            levels[key] = max(levels.get(key, 0), level)
    rows = [
        (pk, _named(name, first, last, username), [levels.get((pk, s.pk), 0) for s in skills])
        for pk, name, first, last, username in people
    ]
    return Heatmap(skills=skills, rows=rows, total=total)
