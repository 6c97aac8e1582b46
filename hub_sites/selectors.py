"""Reads about centres and the courses they can offer one another."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet

from courses.models import CoursePage

from .models import Centre
from .services import centre_course_indexes


@dataclass
class OfferableCourse:
    course: CoursePage
    owner: Centre | None
    offered: bool


def courses_offerable_to(*, centre: Centre) -> list[OfferableCourse]:
    """Live courses authored in other centres (default language), each marked when the given
    centre offers it already. Catalogues are public, so titles and summaries are no secret."""
    root = centre.site.root_page
    sources: QuerySet[CoursePage] = (
        CoursePage.objects.live()
        .filter(alias_of__isnull=True, locale__language_code=settings.LANGUAGE_CODE)
        .exclude(path__startswith=root.path)
        .order_by("title")
    )
    indexes = centre_course_indexes(centre)
    index = indexes.get(settings.LANGUAGE_CODE)
    offered_ids = (
        set(
            CoursePage.objects.child_of(index)
            .exclude(alias_of__isnull=True)
            .values_list("alias_of_id", flat=True)
        )
        if index
        else set()
    )
    centres = list(Centre.objects.select_related("site__root_page"))
    rows = []
    for course in sources:
        owner = next((c for c in centres if course.path.startswith(c.site.root_page.path)), None)
        rows.append(OfferableCourse(course=course, owner=owner, offered=course.pk in offered_ids))
    return rows
