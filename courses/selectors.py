"""Reads over the course tree: a site's catalogue and the source of aliased or translated pages."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.db.models.functions import Substr
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import get_language

from wagtail.models import Page

from .models import CoursePage, LessonPage, PublishedVersion

T = TypeVar("T")
SHARED_TIMEOUT = 60 * 60


def published_version(request: HttpRequest | None = None) -> int:
    """The current PublishedVersion (one query by primary key, then kept on the request)."""
    if request is not None and hasattr(request, "_dasi_published_version"):
        return request._dasi_published_version
    value = PublishedVersion.objects.filter(pk=1).values_list("value", flat=True).first() or 0
    if request is not None:
        request._dasi_published_version = value
    return value


def shared_cached(request: HttpRequest, parts: tuple, compute: Callable[[], T]) -> T:
    """What every visitor of this host in this language shares, from the cache.

    The key holds the PublishedVersion read from the database, so a publish (or any other
    change it covers) is seen by the next request in every process.
    """
    key = ":".join(
        [
            "dasi:shared",
            str(published_version(request)),
            request.get_host(),
            get_language() or settings.LANGUAGE_CODE,
            *map(str, parts),
        ]
    )
    value = cache.get(key)
    if value is None:
        value = compute()
        if value is not None:  # None: nothing to share (computed again next time)
            cache.set(key, value, SHARED_TIMEOUT)
    return value


def live_child_counts(pages: Iterable[Page]) -> dict[int, int]:
    """Page id → number of its live children, in one grouped query per tree depth (one for
    a catalogue, whose courses all sit at the same depth)."""
    pages = list(pages)
    counts: dict[int, int] = {}
    for depth in {p.depth for p in pages}:
        at_depth = {p.path: p.pk for p in pages if p.depth == depth}
        rows = (
            Page.objects.filter(depth=depth + 1, live=True)
            .annotate(parent_path=Substr("path", 1, Page.steplen * depth))
            .filter(parent_path__in=list(at_depth))
            .order_by()
            .values("parent_path")
            .annotate(n=Count("pk"))
            .values_list("parent_path", "n")
        )
        counts.update({at_depth[path]: n for path, n in rows})
    return {p.pk: counts.get(p.pk, 0) for p in pages}


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


def catalogue_for_site_root(*, root: Page, user=None) -> list[CoursePage]:
    """Live courses under a page of a centre's site, in tree order, each with its
    `lesson_count` (read for all of them in one grouped query).

    Includes courses offered from another centre (aliases). `user` is accepted for later
    per-learner annotations and is not used to filter: the catalogue is public.
    """
    courses = list(
        CoursePage.objects.live()
        .public()
        .descendant_of(root)
        .defer("description")
        .select_related("locale")
        .order_by("path")
    )
    counts = live_child_counts(courses)
    for course in courses:
        course.lesson_count = counts[course.pk]
    return courses


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


@dataclass(frozen=True)
class RenderedBody:
    """A lesson body rendered to HTML, and the headings of its sections (id, text)."""

    html: str
    headings: tuple[tuple[str, str], ...]


def lesson_body(*, lesson: LessonPage, request: HttpRequest) -> RenderedBody:
    """The rendered body of a lesson, shared by every reader of its published version
    (previews render the draft afresh)."""

    def render() -> RenderedBody:
        html = render_to_string(
            "courses/includes/lesson_body.html", {"page": lesson, "request": request}
        )
        headings = tuple(
            (block.id, str(block.value["text"]))
            for block in lesson.body
            if block.block_type == "heading"
        )
        return RenderedBody(html=html, headings=headings)

    if getattr(request, "is_preview", False):
        return render()
    return shared_cached(request, ("lesson-body", lesson.pk, lesson.live_revision_id), render)
