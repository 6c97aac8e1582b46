"""Demo data: two centres on their own host names, real bilingual courses, one user per role.

Idempotent: running it again changes nothing that exists and adds what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from wagtail.models import Locale, Page

from assessments.models import Assessment, CourseAssessment
from courses.models import CourseIndexPage, CourseLevel, CoursePage, CourseSkillOutcome, LessonPage
from courses.selectors import page_in_site
from courses.services import page_publish, page_translate
from hub_sites.models import Centre
from hub_sites.services import centre_course_indexes, centre_create, course_offer
from lms.accounts.models import Role, User
from lms.accounts.services import membership_create, user_create
from lms.counselling.models import CaseloadAssignment, LearnerPlan, Note
from lms.counselling.services import (
    caseload_assign,
    note_create,
    plan_create,
    risk_rows_refresh,
)
from lms.learning.models import Enrolment
from lms.learning.services import enrolment_create, lesson_complete, lesson_visit
from lms.skills.models import Role as SkillRole
from lms.skills.models import Skill

from . import content, evidence, quizzes
from .history import history_create

DEMO_PASSWORD = "dasi-demo-2026"  # noqa: S105 — documented in the README, demo only


@dataclass(frozen=True)
class DemoCentre:
    slug: str
    name_ko: str
    name_en: str
    issuer: str
    intro_ko: str
    intro_en: str
    primary: str
    accent: str
    address: str
    address_en: str
    phone: str
    courses: tuple[str, ...]  # slugs of courses this centre authors
    offers: tuple[str, ...]  # slugs of other centres' courses it offers


CENTRES = (
    DemoCentre(
        slug="dongtan",
        name_ko="동탄 디지털 전환 센터",
        name_en="Dongtan Digital Transition Centre",
        issuer="동탄 디지털 전환 센터 (Dongtan Digital Transition Centre)",
        intro_ko="<p>동탄역 앞 센터에서 데이터와 AI 실무를 배우고 "
        "새로운 직무로 다시 시작하세요.</p>",
        intro_en="<p>Learn hands-on data and AI skills at our centre by Dongtan station, "
        "and start again in a new role.</p>",
        primary="#1f5fbf",
        accent="#0b7a53",
        address="경기도 화성시 동탄역로 160",
        address_en="160 Dongtanyeok-ro, Hwaseong-si, Gyeonggi-do",
        phone="031-000-0000",
        courses=("python-data-analysis", "work-automation", "machine-learning-basics"),
        offers=("generative-ai-at-work",),
    ),
    DemoCentre(
        slug="gimpo",
        name_ko="김포 AI 리스킬링 허브",
        name_en="Gimpo AI Reskilling Hub",
        issuer="김포 AI 리스킬링 허브 (Gimpo AI Reskilling Hub)",
        intro_ko="<p>김포공항역 허브에서 생성형 AI와 데이터 활용 역량을 키우세요.</p>",
        intro_en="<p>Build generative-AI and data skills at our hub by Gimpo Airport station.</p>",
        primary="#7a2f8f",
        accent="#b34700",
        address="서울특별시 강서구 하늘길 111",
        address_en="111 Haneul-gil, Gangseo-gu, Seoul",
        phone="02-000-0000",
        courses=("generative-ai-at-work",),
        offers=("python-data-analysis", "work-automation"),
    ),
)


def _page_by_slug(parent: Page, slug: str):
    return Page.objects.child_of(parent).filter(slug=slug).first()


def _skills() -> dict[str, Skill]:
    skills = {}
    for item in content.skills():
        skill, _created = Skill.objects.update_or_create(
            esco_uri=item["uri"],
            defaults={"label_en": item["label_en"], "label_ko": item["label_ko"]},
        )
        skills[item["uri"]] = skill
    return skills


def _course_fields(course: dict, language: str) -> dict:
    text = course[language]
    return {
        "title": text["title"],
        "summary": text["summary"],
        "level": course.get("level", CourseLevel.BEGINNER),
        "estimated_hours": course["hours"],
    }


def _lesson_fields(lesson: dict, language: str) -> dict:
    text = lesson[language]
    return {
        "title": text["title"],
        "intro": text.get("intro", ""),
        "estimated_minutes": lesson.get("minutes", 20),
        "body": text["body"],
    }


def _course_create(index_ko: CourseIndexPage, course: dict, skills: dict[str, Skill]) -> CoursePage:
    """Create a course with its lessons in Korean, then its English translation."""
    existing = _page_by_slug(index_ko, course["slug"])
    if existing is not None:
        return existing.specific
    ko = Locale.objects.get(language_code="ko")
    en = Locale.objects.get(language_code="en")
    page = CoursePage(slug=course["slug"], locale=ko, **_course_fields(course, "ko"))
    for order, (uri, level) in enumerate(course["outcomes"]):
        page.skill_outcomes.add(
            CourseSkillOutcome(skill=skills[uri], level=level, sort_order=order)
        )
    index_ko.add_child(instance=page)
    page = page_publish(page)
    lessons = []
    for lesson in course["lessons"]:
        child = LessonPage(slug=lesson["slug"], locale=ko, **_lesson_fields(lesson, "ko"))
        page.add_child(instance=child)
        lessons.append((page_publish(child), lesson))

    page_translate(page, en, **_course_fields(course, "en"))
    for child, lesson in lessons:
        page_translate(child, en, **_lesson_fields(lesson, "en"))
    return page


def _quiz_create(spec: dict, sources: dict[str, CoursePage], skills: dict[str, Skill]) -> None:
    """Create a demo quiz, place it in a lesson (every language) and count it in the course."""
    course = sources.get(spec["course"])
    if course is None or CourseAssessment.objects.filter(course=course).exists():
        return
    centre = next(
        c
        for c in Centre.objects.select_related("site__root_page")
        if page_in_site(page=course, root=c.site.root_page)
    )
    questions = []
    for question in spec["questions"]:
        value = dict(question["value"])
        value["skill"] = skills[value["skill"]].pk if value.get("skill") else None
        questions.append({"type": question["type"], "value": value})
    quiz = Assessment.objects.create(
        centre=centre,
        title=spec["title"],
        instructions=spec["instructions"],
        max_attempts=spec["max_attempts"],
        time_limit_minutes=spec["time_limit_minutes"],
        pass_mark=spec["pass_mark"],
        questions=questions,
    )
    block = {"type": "quiz", "value": {"assessment": quiz.pk, "introduction": ""}}
    lesson = LessonPage.objects.child_of(course).order_by("path")[spec["lesson"]]
    for page in LessonPage.objects.filter(
        translation_key=lesson.translation_key, alias_of__isnull=True
    ):
        page.body = [*page.body.raw_data, block]
        page_publish(page)
    CourseAssessment.objects.create(course=course, assessment=quiz, weight=1, required=True)


# (course, exercise in notebooks_templates/, lesson it is placed in)
EXERCISES = (
    ("python-data-analysis", "pandas-cleaning", 2),
    ("work-automation", "invoice-report", 1),
    ("machine-learning-basics", "wine-classifier", 2),
)
TEMPLATES = Path(__file__).resolve().parents[2] / "notebooks_templates"


def _exercise_create(course_slug: str, slug: str, lesson_number: int, sources) -> None:
    """A graded notebook exercise from the shipped templates, placed in a lesson."""
    import io
    import json
    import zipfile

    from django.core.files.base import ContentFile

    course = sources.get(course_slug)
    manifest = {
        e["slug"]: e for e in json.loads((TEMPLATES / "manifest.json").read_text())["exercises"]
    }
    spec = manifest.get(slug)
    if course is None or spec is None:
        return
    title = spec["title"]["ko"]
    if Assessment.objects.filter(title=title, kind=Assessment.Kind.NOTEBOOK).exists():
        return
    centre = next(
        c
        for c in Centre.objects.select_related("site__root_page")
        if page_in_site(page=course, root=c.site.root_page)
    )
    folder = TEMPLATES / slug
    exercise = Assessment(
        centre=centre,
        title=title,
        kind=Assessment.Kind.NOTEBOOK,
        max_attempts=5,
        # The exercise is the Korean centre's, in Korean; each language's lesson introduces it
        # in its own language (the notebook block's introduction).
        instructions=f"<p>{spec['title']['ko']} ({spec['minutes']}분)</p>",
        skill_map=spec["grade_ids"],
    )
    notebook = (TEMPLATES / spec["notebook"]).read_bytes()
    exercise.notebook_source.save(Path(spec["notebook"]).name, ContentFile(notebook), save=False)
    if spec["data_files"]:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in spec["data_files"]:
                archive.write(folder / name, name)
        exercise.notebook_data.save(f"{slug}-data.zip", ContentFile(buffer.getvalue()), save=False)
    exercise.save()
    introductions = {
        "ko": f"JupyterLab에서 약 {spec['minutes']}분 동안 풀어 보는 실습입니다.",
        "en": f"{spec['title']['en']}: about {spec['minutes']} minutes in JupyterLab.",
    }
    lesson = LessonPage.objects.child_of(course).order_by("path")[lesson_number]
    for page in LessonPage.objects.filter(
        translation_key=lesson.translation_key, alias_of__isnull=True
    ).select_related("locale"):
        introduction = introductions.get(page.locale.language_code, "")
        block = {
            "type": "notebook",
            "value": {"assessment": exercise.pk, "introduction": introduction},
        }
        page.body = [*page.body.raw_data, block]
        page_publish(page)
    CourseAssessment.objects.create(course=course, assessment=exercise, weight=2, required=False)


def _user(username: str, name: str, language: str = "ko", superuser: bool = False) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_create(
            username=username,
            email=f"{username}@dasi.localhost",
            password=DEMO_PASSWORD,
            name=name,
            preferred_language=language,
        )
    if superuser and not user.is_superuser:
        user.is_superuser = user.is_staff = True
        user.save(update_fields=["is_superuser", "is_staff"])
    return user


PEOPLE = {
    Role.LEARNER: ("learner", "김다시", "Kim Dasi"),
    Role.INSTRUCTOR: ("instructor", "이강사", "Lee Gangsa"),
    Role.COUNSELLOR: ("counsellor", "박상담", "Park Sangdam"),
    Role.CENTRE_ADMIN: ("admin", "최관리", "Choi Gwanri"),
}


@transaction.atomic
def seed(*, port: int = 8000, stdout=None) -> dict[str, Centre]:
    """Create (or complete) the demo data and return the centres by slug."""
    skills = _skills()
    centres: dict[str, Centre] = {}
    for number, spec in enumerate(CENTRES):
        centre = Centre.objects.filter(slug=spec.slug).first() or centre_create(
            slug=spec.slug,
            hostname=f"{spec.slug}.localhost",
            port=port,
            is_default_site=number == 0,
            name_ko=spec.name_ko,
            name_en=spec.name_en,
            certificate_issuer_name=spec.issuer,
            intro_ko=spec.intro_ko,
            intro_en=spec.intro_en,
            primary_colour=spec.primary,
            accent_colour=spec.accent,
            address=spec.address,
            address_en=spec.address_en,
            phone=spec.phone,
            email=f"hello@{spec.slug}.localhost",
        )
        centres[spec.slug] = centre

    by_slug = {course["slug"]: course for course in content.courses()}
    sources: dict[str, CoursePage] = {}
    for spec in CENTRES:
        index_ko = centre_course_indexes(centres[spec.slug])["ko"]
        for slug in spec.courses:
            sources[slug] = _course_create(index_ko, by_slug[slug], skills)
    for course in content.courses():  # courses not assigned above go to the first centre
        if course["slug"] not in sources:
            index_ko = centre_course_indexes(centres[CENTRES[0].slug])["ko"]
            sources[course["slug"]] = _course_create(index_ko, course, skills)
    for course in content.courses():
        prerequisites = [sources[slug] for slug in course.get("prerequisites", [])]
        source = sources[course["slug"]]
        if prerequisites and not source.prerequisites.exists():
            # Every language version of the course names the same prerequisites.
            for page in CoursePage.objects.filter(
                translation_key=source.translation_key, alias_of__isnull=True
            ):
                page.prerequisites.set(prerequisites)
                page_publish(page)
    for spec in CENTRES:
        for slug in spec.offers:
            course_offer(course=sources[slug], centre=centres[spec.slug])

    for spec in quizzes.QUIZZES:
        _quiz_create(spec, sources, skills)
    for course_slug, exercise_slug, lesson_number in EXERCISES:
        _exercise_create(course_slug, exercise_slug, lesson_number, sources)

    _user("dasi-admin", "다시 운영자", superuser=True)
    for spec in CENTRES:
        centre = centres[spec.slug]
        for role, (suffix, name_ko, name_en) in PEOPLE.items():
            language = "en" if spec.slug == "gimpo" and role == Role.LEARNER else "ko"
            user = _user(
                f"{spec.slug}-{suffix}", name_en if language == "en" else name_ko, language
            )
            membership_create(user=user, centre=centre, role=role)

    learner = User.objects.get(username="dongtan-learner")
    first = sources.get("python-data-analysis")
    if first is not None and not Enrolment.objects.filter(user=learner, course=first).exists():
        enrolment_create(user=learner, course=first, centre=centres["dongtan"])
        lessons = list(LessonPage.objects.child_of(first).live().order_by("path")[:3])
        for lesson in lessons[:2]:
            lesson_complete(user=learner, lesson=lesson)
        if len(lessons) > 2:
            lesson_visit(user=learner, lesson=lessons[2])
    _caseload(centres["dongtan"], sources)
    evidence.stories_apply(centres=centres, sources=sources)
    # The histories above are written with plain UPDATEs (constructed days): store every
    # learner's risk from them now, as the backfill does after an upgrade.
    for centre in centres.values():
        risk_rows_refresh(centre=centre, force=True)
    return centres


# More learners of the demo counsellor's caseload, each with a history (days ago, oldest
# first; lessons are started and completed in pairs of days). What each has shown of their
# skills (quizzes, notebooks, ratings, a CV) is in evidence.STORIES.
CASELOAD = (
    ("dongtan-paused", "정멈춤", [40, 38, 36, 34, 32, 30, 28, 26]),  # every other day, then silent
    ("dongtan-steady", "한꾸준", [45, 38, 31, 24, 17, 10]),  # once a week, still on rhythm
    ("dongtan-retry", "오재시", [9, 8, 7, 6, 4, 2]),  # active, but keeps failing pandas checks
)


def _caseload(centre: Centre, sources: dict[str, CoursePage]) -> None:
    """The demo counsellor's caseload: four learners, a plan, notes, one flagged at risk."""
    from datetime import timedelta

    from django.utils import timezone

    course = sources.get("python-data-analysis")
    counsellor = User.objects.get(username=f"{centre.slug}-counsellor")
    admin = User.objects.get(username=f"{centre.slug}-admin")
    if course is None or CaseloadAssignment.objects.filter(centre=centre).exists():
        return
    people = [User.objects.get(username="dongtan-learner")]
    for username, name, days in CASELOAD:
        user = _user(username, name)
        membership_create(user=user, centre=centre, role=Role.LEARNER)
        history_create(user=user, course=course, centre=centre, days=days)
        people.append(user)
    caseload_assign(centre=centre, counsellor=counsellor, learners=people, assigned_by=admin)

    learner = people[0]
    if not LearnerPlan.objects.filter(centre=centre, learner=learner).exists():
        plan_create(
            centre=centre,
            learner=learner,
            author=counsellor,
            goal_role=SkillRole.objects.filter(slug="data-analyst", is_active=True).first(),
            target_date=timezone.localdate() + timedelta(days=120),
            next_meeting=timezone.localdate() + timedelta(days=14),
            agreed="주 3회 저녁에 파이썬 과정을 듣고, 4월까지 데이터 분석가 포트폴리오 1건 완성.",
        )
    if not Note.objects.filter(centre=centre, learner=learner).exists():
        note_create(
            centre=centre,
            learner=learner,
            author=counsellor,
            text="첫 상담. 물류 사무직 10년, 엑셀은 능숙함. 파이썬은 처음이라 걱정이 많음.",
        )
    paused = people[1]
    plan_create(
        centre=centre,
        learner=paused,
        author=counsellor,
        target_date=timezone.localdate() + timedelta(days=30),
        agreed="한 달 안에 파이썬 과정 수료.",
    )
    note_create(
        centre=centre,
        learner=paused,
        author=counsellor,
        text="야간 근무를 시작해서 학습 시간이 줄었다고 함. 다음 상담에서 일정 조정.",
    )
