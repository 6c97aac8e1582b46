"""Reads over the course tree: a site's catalogue and the source of aliased or translated pages."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from wagtail.models import Page

from .models import CoursePage, LessonPage


def _live_child_count() -> Coalesce:
    children = (
        Page.objects.filter(
            path__startswith=OuterRef("path"), depth=OuterRef("depth") + 1, live=True
        )
        .order_by()
        .values("depth")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(children, output_field=IntegerField()), 0)


def canonical_page_ids(pages: Iterable[Page]) -> dict[int, int]:
    """Map each page's id to its source page's id, in two queries at most.

    The source is the page an alias copies, in the default (Korean) language when a
    translation exists: progress and enrolments are kept against it, so a course offered in
    several centres or read in several languages is one course for the learner.
    """
    pages = list(pages)
    default = settings.LANGUAGE_CODE
    # (translation_key, locale language code) of each page's alias source.
    alias_ids = {p.alias_of_id for p in pages if p.alias_of_id}
    sources: dict[int, tuple[int, object, str]] = {}
    if alias_ids:
        for row in Page.objects.filter(pk__in=alias_ids).values(
            "pk", "translation_key", "locale__language_code"
        ):
            sources[row["pk"]] = (row["pk"], row["translation_key"], row["locale__language_code"])
    resolved: dict[int, tuple[int, object, str]] = {}
    for p in pages:
        if p.alias_of_id:
            resolved[p.pk] = sources[p.alias_of_id]
        else:
            resolved[p.pk] = (p.pk, p.translation_key, p.locale.language_code)
    foreign_keys = {key for _pk, key, lang in resolved.values() if lang != default}
    in_default: dict[object, int] = {}
    if foreign_keys:
        in_default = dict(
            Page.objects.filter(
                translation_key__in=foreign_keys, locale__language_code=default
            ).values_list("translation_key", "pk")
        )
    return {
        page_id: (source_pk if lang == default else in_default.get(key, source_pk))
        for page_id, (source_pk, key, lang) in resolved.items()
    }


def canonical_page_id(page: Page) -> int:
    """The id of one page's source page (see canonical_page_ids)."""
    return canonical_page_ids([page])[page.pk]


def site_root_paths(root: Page) -> list[str]:
    """Tree paths of a site's root page in every language."""
    return list(
        Page.objects.filter(translation_key=root.translation_key).values_list("path", flat=True)
    )


def page_in_site(*, page: Page, root: Page) -> bool:
    """Whether a page sits under a site's root page (in any of its languages)."""
    return any(page.path.startswith(path) for path in site_root_paths(root))


def catalogue_for_site_root(*, root: Page, user=None) -> QuerySet[CoursePage]:
    """Live courses under a page of a centre's site, in tree order, with their lesson counts.

    Includes courses offered from another centre (aliases). `user` is accepted for later
    per-learner annotations and is not used to filter: the catalogue is public.
    """
    return (
        CoursePage.objects.live()
        .public()
        .descendant_of(root)
        .annotate(lesson_count=_live_child_count())
        .defer("description")
        .select_related("locale")
        .order_by("path")
    )


def lessons_of(course: Page) -> QuerySet[LessonPage]:
    """Live lessons of a course page (source, alias or translation), in order."""
    return (
        LessonPage.objects.child_of(course)
        .live()
        .defer_streamfields()  # the outline needs titles and URLs, not 200 lesson bodies
        .select_related("locale")
        .order_by("path")
    )


def search_site(*, root: Page, query: str) -> list[Page]:
    """Live, public courses and lessons of one site matching a query, best first."""
    courses = CoursePage.objects.live().public().descendant_of(root).search(query)
    lessons = LessonPage.objects.live().public().descendant_of(root).search(query)
    return [*courses[:20], *lessons[:30]]
