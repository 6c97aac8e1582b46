"""Reads for LTI: the items a centre offers to platforms, and the grade of one."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from wagtail.models import Page

from assessments.models import Assessment, Attempt
from assessments.selectors import course_grade_for
from assessments.services import assessment_in_lesson
from courses.models import CoursePage, LessonPage
from courses.selectors import canonical_page_id, catalogue_for_site_root, page_in_site
from hub_sites.models import Centre

from .models import GradeGrant, ItemKind, Registration, ResourceLink


@dataclass(frozen=True)
class Item:
    """Something of a centre a platform can link to: a course, a lesson, or an assessment as
    placed in one lesson. `key` is what a deep link carries back in its custom parameters."""

    kind: str
    page: Page
    course: CoursePage
    assessment: Assessment | None = None

    @property
    def key(self) -> str:
        if self.assessment is not None:
            return f"{self.kind}:{self.assessment.pk}:{self.page.pk}"
        return f"{self.kind}:{self.page.pk}"

    @property
    def title(self) -> str:
        return self.assessment.title if self.assessment is not None else self.page.title

    @property
    def gradable(self) -> bool:
        return self.kind in (ItemKind.COURSE, ItemKind.ASSESSMENT)


def _placed_assessments(lesson: LessonPage) -> list[int]:
    return [
        block.value["assessment"].pk
        for block in lesson.body
        if block.block_type in ("quiz", "notebook") and block.value["assessment"] is not None
    ]


def centre_items(*, centre: Centre) -> list[Item]:
    """Every course of the centre's catalogue, its lessons and the quizzes and notebook
    exercises placed in them, in catalogue order."""
    items: list[Item] = []
    for course in catalogue_for_site_root(root=centre.site.root_page):
        items.append(Item(ItemKind.COURSE, course, course))
        lessons = list(LessonPage.objects.child_of(course).live().order_by("path"))
        placed = {lesson.pk: _placed_assessments(lesson) for lesson in lessons}
        assessments = Assessment.objects.in_bulk([pk for ids in placed.values() for pk in ids])
        for lesson in lessons:
            items.append(Item(ItemKind.LESSON, lesson, course))
            items.extend(
                Item(ItemKind.ASSESSMENT, lesson, course, assessments[pk])
                for pk in placed[lesson.pk]
                if pk in assessments
            )
    return items


def item_resolve(*, centre: Centre, key: str) -> Item | None:
    """The centre's item a deep link's key names, or None when it names nothing live on the
    centre's site (a page of another centre, a removed quiz, a malformed key)."""
    kind, _sep, rest = (key or "").partition(":")
    ids = rest.split(":")
    if not all(part.isdigit() for part in ids) or kind not in ItemKind.values:
        return None
    root = centre.site.root_page
    if kind == ItemKind.ASSESSMENT:
        if len(ids) != 2:
            return None
        lesson = LessonPage.objects.live().filter(pk=int(ids[1])).first()
        assessment = Assessment.objects.filter(pk=int(ids[0])).first()
        if lesson is None or assessment is None or not page_in_site(page=lesson, root=root):
            return None
        if not assessment_in_lesson(assessment=assessment, lesson=lesson):
            return None
        return Item(kind, lesson, lesson.get_parent().specific, assessment)
    if len(ids) != 1:
        return None
    model = CoursePage if kind == ItemKind.COURSE else LessonPage
    page = model.objects.live().filter(pk=int(ids[0])).first()
    if page is None or not page_in_site(page=page, root=root):
        return None
    course = page if kind == ItemKind.COURSE else page.get_parent().specific
    return Item(kind, page, course)


def source_course(course: Page) -> CoursePage:
    return CoursePage.objects.get(pk=canonical_page_id(course))


def item_grade(*, grant: GradeGrant) -> tuple[Decimal, Decimal] | None:
    """(score, maximum) of the learner's grade for the granted item, or None while there is
    none: the latest graded attempt of an assessment, the weighted grade of a course."""
    link = grant.resource_link
    if link.kind == ItemKind.ASSESSMENT:
        attempt = (
            Attempt.objects.filter(
                user_id=grant.user_id,
                assessment_id=link.assessment_id,
                course_id=link.course_id,
                status=Attempt.Status.GRADED,
            )
            .order_by("-graded_at", "-number")
            .first()
        )
        if attempt is None or attempt.score is None:
            return None
        return attempt.score, attempt.max_score or Decimal(0)
    grade = course_grade_for(user_id=grant.user_id, course=link.course)
    return Decimal(str(grade.percent)), Decimal(100)


def grants_for_attempt(*, attempt: Attempt) -> QuerySet[GradeGrant]:
    """The grants whose item a graded attempt changes: its assessment in its course, and the
    course itself."""
    return GradeGrant.objects.filter(
        user_id=attempt.user_id, resource_link__course_id=attempt.course_id
    ).filter(
        Q(resource_link__kind=ItemKind.COURSE)
        | Q(
            resource_link__kind=ItemKind.ASSESSMENT,
            resource_link__assessment_id=attempt.assessment_id,
        )
    )


def registrations_of(*, centres) -> QuerySet[Registration]:
    return Registration.objects.filter(centre__in=centres).select_related("centre")


def resource_links_of(*, registration: Registration) -> QuerySet[ResourceLink]:
    return registration.resource_links.select_related("page", "assessment")
