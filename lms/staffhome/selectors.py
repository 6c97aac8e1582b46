"""What each member of staff sees first in the admin: a few counts that each lead to the page
where the work is. Every figure is one grouped query (or the caseload's fixed few), whatever
the number of courses, learners or pages, and only of the viewer's own centres."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Exists, OuterRef, Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import get_language

from wagtail.models import Page, WorkflowState

from assessments.models import Attempt, GradingResult
from assessments.selectors import gradebook_courses, gradebook_learner_counts
from courses.models import CoursePage
from hub_sites.models import Centre
from lms.accounts.models import Role
from lms.accounts.selectors import centres_where
from lms.certificates.models import Certificate
from lms.counselling.selectors import CaseloadFilters, caseload_rows
from lms.learning.models import Enrolment

WEEK = timedelta(days=7)
AT_RISK_SHOWN = 5


@dataclass
class CourseLine:
    course: CoursePage
    learners: int = 0
    waiting: int = 0  # submitted or being graded
    failed: int = 0  # the grader could not grade them; a regrade is needed


def _viewer_centres(*, user, role: str, request_centre: Centre | None) -> list[Centre]:
    """The centres where the user holds `role`: the one of the request first, if any."""
    centres = list(centres_where(user=user, roles=[role]).select_related("site__root_page"))
    if request_centre is not None and any(c.pk == request_centre.pk for c in centres):
        return [request_centre] + [c for c in centres if c.pk != request_centre.pk]
    return centres


def instructor_courses(*, user, request_centre: Centre | None = None) -> list[CourseLine]:
    """The courses an instructor teaches (their centres' own and offered ones) with learners
    of those centres, and submissions waiting for or failed at grading. Courses without a
    learner come last."""
    centres = _viewer_centres(user=user, role=Role.INSTRUCTOR, request_centre=request_centre)
    if not centres:
        return []
    courses = list(gradebook_courses(centres=centres))
    ids = [c.pk for c in courses]
    learners = gradebook_learner_counts(course_ids=ids, centres=centres)
    in_centres = Enrolment.objects.filter(
        user_id=OuterRef("user_id"), course_id=OuterRef("course_id"), centre__in=centres
    )
    waiting: dict[int, int] = {}
    failed: dict[int, int] = {}
    open_attempts = (
        Attempt.objects.filter(
            course_id__in=ids,
            status__in=[Attempt.Status.SUBMITTED, Attempt.Status.GRADING],
        )
        .filter(Exists(in_centres))
        .annotate(
            failed=Exists(
                GradingResult.objects.filter(
                    attempt=OuterRef("pk"), status=GradingResult.Status.FAILED
                )
            )
        )
        .values_list("course_id", "failed")
        .annotate(n=Count("pk"))
    )
    for course_id, has_failed, n in open_attempts:
        target = failed if has_failed else waiting
        target[course_id] = target.get(course_id, 0) + n
    lines = [
        CourseLine(
            course=c,
            learners=learners.get(c.pk, 0),
            waiting=waiting.get(c.pk, 0),
            failed=failed.get(c.pk, 0),
        )
        for c in courses
    ]
    return sorted(lines, key=lambda line: (line.learners == 0, line.course.title))


@dataclass
class CentreSummary:
    centre: Centre
    enrolments_week: int = 0
    at_risk: int = 0
    certificates: int = 0
    certificates_week: int = 0
    in_moderation: int = 0


def _centre_pages(centre: Centre):
    """Every page of the centre's site in every language (its home's translations too)."""
    home = centre.site.root_page
    within = Q()
    for root in Page.objects.filter(translation_key=home.translation_key):
        within |= Q(path__startswith=root.path)
    return Page.objects.filter(within)


def centre_summaries(*, user, request_centre: Centre | None = None) -> list[CentreSummary]:
    """For each centre the user administers: enrolments this week, learners at risk,
    certificates issued (in all and this week) and pages waiting in moderation."""
    since = timezone.now() - WEEK
    out = []
    page_type = ContentType.objects.get_for_model(Page)
    for centre in _viewer_centres(user=user, role=Role.CENTRE_ADMIN, request_centre=request_centre):
        certificates = Certificate.objects.filter(
            centre=centre, status=Certificate.Status.VALID
        ).aggregate(all=Count("pk"), week=Count("pk", filter=Q(issued_at__gte=since)))
        page_ids = _centre_pages(centre).annotate(key=Cast("pk", CharField())).values("key")
        out.append(
            CentreSummary(
                centre=centre,
                enrolments_week=Enrolment.objects.filter(
                    centre=centre, enrolled_at__gte=since
                ).count(),
                at_risk=len(at_risk_learners(centre=centre, viewer=user, scope="all")),
                certificates=certificates["all"],
                certificates_week=certificates["week"],
                in_moderation=WorkflowState.objects.active()
                .filter(base_content_type=page_type, object_id__in=page_ids)
                .count(),
            )
        )
    return out


def at_risk_learners(*, centre: Centre, viewer, scope: str = "mine") -> list:
    """Caseload rows with at least one risk flag, highest risk first (the cockpit's rule)."""
    return caseload_rows(
        centre=centre, viewer=viewer, filters=CaseloadFilters(scope=scope, risk="flagged")
    )


@dataclass
class CaseloadSummary:
    centre: Centre
    at_risk: int = 0
    shown: list = field(default_factory=list)


def counsellor_caseloads(*, user, request_centre: Centre | None = None) -> list[CaseloadSummary]:
    """For each centre where the user counsels: how many of their own learners are at risk,
    and the first few of them with their reasons."""
    out = []
    for centre in _viewer_centres(user=user, role=Role.COUNSELLOR, request_centre=request_centre):
        rows = at_risk_learners(centre=centre, viewer=user, scope="mine")
        out.append(CaseloadSummary(centre=centre, at_risk=len(rows), shown=rows[:AT_RISK_SHOWN]))
    return out


def explorer_home(*, user, request_centre: Centre | None = None) -> Page | None:
    """Where the page explorer opens for a centre's authors: their centre's home in the active
    language (the request's centre first). None for superusers and for staff who author no
    pages, who keep Wagtail's own start."""
    if user.is_superuser:
        return None
    for role in (Role.CENTRE_ADMIN, Role.INSTRUCTOR):
        centres = _viewer_centres(user=user, role=role, request_centre=request_centre)
        if centres:
            home = centres[0].site.root_page
            language = (get_language() or "ko").split("-")[0]
            translated = (
                Page.objects.filter(
                    translation_key=home.translation_key, locale__language_code=language
                ).first()
                if home.locale.language_code != language
                else None
            )
            return translated or home
    return None
