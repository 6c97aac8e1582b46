"""Writes that create and connect centres."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from wagtail.log_actions import log
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    GroupSitePermission,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from courses.models import CourseIndexPage, CoursePage, LessonPage
from courses.selectors import page_in_site
from courses.services import page_publish, page_translate

from .models import Centre, CentreHomePage, CentreSettings

ADMIN_PAGE_PERMISSIONS = (
    "add_page",
    "change_page",
    "publish_page",
    "bulk_delete_page",
    "lock_page",
    "unlock_page",
)
# Instructors draft and submit; the centre's admins approve and publish (moderation workflow).
INSTRUCTOR_PAGE_PERMISSIONS = ("add_page", "change_page", "lock_page", "unlock_page")
LIBRARY_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtailmedia", "add_media"),
    ("wagtailmedia", "change_media"),
)


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def locales_ensure() -> dict[str, Locale]:
    """The Korean and English locales, created if missing."""
    return {code: Locale.objects.get_or_create(language_code=code)[0] for code in ("ko", "en")}


def placeholder_site_remove() -> None:
    """Drop the placeholder site and welcome page a fresh Wagtail database starts with."""
    for site in Site.objects.filter(centre__isnull=True).select_related("root_page"):
        root = site.root_page
        if type(root.specific) is Page and root.depth == 2 and not root.get_children().exists():
            site.delete()
            root.delete()


@transaction.atomic
def centre_create(
    *,
    slug: str,
    hostname: str,
    name_ko: str,
    name_en: str,
    certificate_issuer_name: str,
    port: int = 80,
    is_default_site: bool = False,
    intro_ko: str = "",
    intro_en: str = "",
    primary_colour: str = "#1f5fbf",
    accent_colour: str = "#0b7a53",
    address: str = "",
    address_en: str = "",
    phone: str = "",
    email: str = "",
) -> Centre:
    """Create a centre: its Site, home and catalogue pages in Korean and English, settings,
    staff groups with their Wagtail permissions, media collection and moderation workflow.
    """
    if Centre.objects.filter(slug=slug).exists():
        raise ValidationError(
            _("A centre with the slug “%(slug)s” exists already.") % {"slug": slug}
        )
    placeholder_site_remove()
    locales = locales_ensure()
    root = Page.get_first_root_node()
    if root.title == "Root":  # Wagtail's name for the tree's top, shown in admin breadcrumbs
        root.title = root.draft_title = "Dasi"
        root.save(update_fields=["title", "draft_title"])

    home = CentreHomePage(title=name_ko, slug=slug, intro=intro_ko, locale=locales["ko"])
    root.add_child(instance=home)
    home = page_publish(home)
    home_en = page_translate(home, locales["en"], title=name_en, intro=intro_en)

    index = CourseIndexPage(title="교육과정", slug="courses", locale=locales["ko"])
    home.add_child(instance=index)
    index = page_publish(index)
    index_en = page_translate(index, locales["en"], title="Courses")

    site = Site(
        hostname=hostname,
        port=port,
        root_page=home,
        site_name=name_ko,  # the admin lists sites by this name: Korean first, like the home
        is_default_site=is_default_site,
    )
    site.full_clean()
    site.save()
    centre_settings = CentreSettings(
        site=site,
        name_ko=name_ko,
        name_en=name_en,
        certificate_issuer_name=certificate_issuer_name,
        primary_colour=primary_colour,
        accent_colour=accent_colour,
        address=address,
        address_en=address_en,
        phone=phone,
        email=email,
    )
    centre_settings.full_clean()
    centre_settings.save()

    admins = Group.objects.create(name=f"{slug}: centre admins")
    instructors = Group.objects.create(name=f"{slug}: instructors")
    counsellors = Group.objects.create(name=f"{slug}: counsellors")
    access_admin = _permission("wagtailadmin", "access_admin")
    # Counsellors enter the admin only to read their centre's learners (the People area).
    for group in (admins, instructors, counsellors):
        group.permissions.add(access_admin)
    # Staff who author may start a translation of a page into the other language.
    translate = _permission("simple_translation", "submit_translation")
    for group in (admins, instructors):
        group.permissions.add(translate)

    for page in (home, home_en):
        for codename in ADMIN_PAGE_PERMISSIONS:
            GroupPagePermission.objects.create(
                group=admins, page=page, permission=_permission("wagtailcore", codename)
            )
    for page in (index, index_en):
        for codename in INSTRUCTOR_PAGE_PERMISSIONS:
            GroupPagePermission.objects.create(
                group=instructors, page=page, permission=_permission("wagtailcore", codename)
            )
    GroupSitePermission.objects.create(
        group=admins, site=site, permission=_permission("hub_sites", "change_centresettings")
    )

    collection = Collection.get_first_root_node().add_child(name=name_en)
    for group in (admins, instructors):
        for app_label, codename in LIBRARY_PERMISSIONS:
            GroupCollectionPermission.objects.create(
                group=group, collection=collection, permission=_permission(app_label, codename)
            )

    # Staff see these names in the admin, which speaks Korean first.
    workflow = Workflow.objects.create(name=f"{name_ko} 검토")
    task = GroupApprovalTask.objects.create(name=f"{name_ko}: 센터 관리자 승인")
    task.groups.set([admins])
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    for page in (home, home_en):
        WorkflowPage.objects.create(workflow=workflow, page=page)

    centre = Centre(
        slug=slug,
        site=site,
        admins_group=admins,
        instructors_group=instructors,
        counsellors_group=counsellors,
    )
    centre.full_clean()
    centre.save()
    return centre


def centre_course_indexes(centre: Centre) -> dict[str, CourseIndexPage]:
    """The centre's catalogue page in each language, keyed by language code."""
    root = centre.site.root_page
    homes = Page.objects.filter(translation_key=root.translation_key)
    indexes: dict[str, CourseIndexPage] = {}
    for home in homes.select_related("locale"):
        index = CourseIndexPage.objects.child_of(home).first()
        if index is not None:
            indexes[home.locale.language_code] = index
    return indexes


@transaction.atomic
def course_offer(*, course: CoursePage, centre: Centre, user=None) -> CoursePage:
    """Offer a course authored in one centre in another centre's catalogue.

    Creates Wagtail aliases of the course and its lessons (in every language the course has)
    under the other centre's catalogue; the aliases follow the source when it is published.
    Idempotent: offering again returns the existing alias. Returns the alias in the course's
    own language.
    """
    source = course.alias_of.specific if course.alias_of_id else course
    if page_in_site(page=source, root=centre.site.root_page):
        raise ValidationError(_("This course already belongs to that centre."))
    indexes = centre_course_indexes(centre)
    translations = CoursePage.objects.filter(
        translation_key=source.translation_key, alias_of__isnull=True
    ).select_related("locale")
    aliases: dict[str, CoursePage] = {}
    for translation in translations:
        language = translation.locale.language_code
        index = indexes.get(language)
        if index is None:
            continue
        existing = CoursePage.objects.child_of(index).filter(alias_of=translation).first()
        # The caller decides who may offer (a centre admin of the receiving centre, who has no
        # rights on the source page); Wagtail checks copy rights on every page of a recursive
        # alias when given a user, so the alias is made without one and logged afterwards.
        if existing is None:
            existing = translation.create_alias(parent=index, recursive=True).specific
            if user is not None:
                log(instance=existing, action="dasi.course_offer", user=user)
        aliases[language] = existing
    if not aliases:
        raise ValidationError(_("That centre has no catalogue in the course's languages."))
    _align_alias_translations(aliases)
    return aliases.get(source.locale.language_code) or next(iter(aliases.values()))


def _align_alias_translations(aliases: dict[str, CoursePage]) -> None:
    """Give the aliases of one course's translations a shared translation key, page by page,
    so the language switcher links them as it links their sources."""
    if len(aliases) < 2:
        return
    under_aliases = Q()
    for alias in aliases.values():
        under_aliases |= Q(path__startswith=alias.path)
    pages = Page.objects.filter(under_aliases, alias_of__isnull=False).select_related("alias_of")
    groups: dict[object, list[Page]] = {}
    for page in pages:
        groups.setdefault(page.alias_of.translation_key, []).append(page)
    for group in groups.values():
        key = group[0].translation_key
        for page in group[1:]:
            if page.translation_key != key:
                Page.objects.filter(pk=page.pk).update(translation_key=key)


@transaction.atomic
def lesson_aliases_sync(*, lesson: LessonPage) -> list[LessonPage]:
    """Give every centre that offers a lesson's course an alias of a newly published lesson.

    Wagtail keeps existing aliases in step with their source but does not alias pages added
    later; this closes that gap. Idempotent: lessons already aliased are left alone.
    """
    course = lesson.get_parent()
    created: list[LessonPage] = []
    for alias_course in CoursePage.objects.filter(alias_of_id=course.pk):
        if LessonPage.objects.child_of(alias_course).filter(alias_of=lesson).exists():
            continue
        alias = lesson.create_alias(parent=alias_course).specific
        # Link it to the same lesson's alias in the centre's other languages, if there is one.
        sibling_courses = CoursePage.objects.filter(
            translation_key=alias_course.translation_key
        ).exclude(pk=alias_course.pk)
        for sibling_course in sibling_courses:
            sibling = (
                LessonPage.objects.child_of(sibling_course)
                .filter(alias_of__translation_key=lesson.translation_key)
                .first()
            )
            if sibling is not None:
                Page.objects.filter(pk=alias.pk).update(translation_key=sibling.translation_key)
                break
        created.append(alias)
    return created
