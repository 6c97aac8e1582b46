"""The demo learners' skill evidence, produced the way the platform produces it.

Each demo learner has a story: the consent form answered, courses followed (a completed one
records its outcomes), quiz attempts answered and graded, a notebook submitted and graded in
the sandbox, self-ratings and a pasted CV whose matched phrases a person confirmed. Every
step calls the service a view or a task calls; no result row is written here, only dates
moved back. The stories are chosen so that each learner's closest role differs.

Idempotent piece by piece: a step already taken (an attempt at that quiz, a rating of that
skill, a CV read) is skipped, so a second run changes nothing and a run after
`build_taxonomy` adds what needed its skills.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from assessments.grader import SandboxUnavailable, learner_version, notebook_bytes, read_notebook
from assessments.grader.notebook import BEGIN_SOLUTION, END_SOLUTION, grade_id
from assessments.models import Assessment, Attempt
from assessments.services import (
    assessment_in_lesson,
    attempt_start,
    attempt_submit,
    grading_run,
    submission_create,
)
from courses.models import CoursePage, LessonPage
from courses.selectors import page_in_site
from hub_sites.models import Centre
from hub_sites.services import course_offer
from lms.accounts.models import User
from lms.learning.models import Enrolment
from lms.privacy.models import Purpose
from lms.privacy.services import record_consents
from lms.privacy.texts import CURRENT_VERSION
from lms.skills.consent import cv_use_allowed
from lms.skills.models import Skill, SkillEvidence, TextClaim
from lms.skills.services import claim_review, cv_submit, self_assessment_record

from .history import at, history_create

SKILL = "http://data.europa.eu/esco/skill/"
SPREADSHEETS = SKILL + "1973c966-f236-40c9-b2d4-5d71a89019be"
REPORT_RESULTS = SKILL + "c544a9f3-5945-4b54-afed-de0697852817"
SQL = SKILL + "598de5b0-5b58-4ea7-8058-a4bc4d18c742"
PROMPTING = "https://dasi.invalid/skill/prompt-engineering"
GENAI_CONTENT = "https://dasi.invalid/skill/generative-ai-content"
WRITTEN_CONTENT = SKILL + "be40c4c3-a855-4d67-9ca5-6f4428c34b0d"
DIGITAL_CONTENT = SKILL + "5fd5c985-eaaa-47aa-8314-62359c54505a"
SOCIAL_MEDIA = SKILL + "5303169c-75d6-4751-9136-a4b88343388c"
PHOTOGRAPHS = SKILL + "df11ab22-3c40-4dc8-ab0c-e9f41e62449e"
CREATIVE_IDEAS = SKILL + "8c4c49d4-9708-433f-8ca7-bf2c5211ee49"
JAVASCRIPT = SKILL + "3cd569a2-4f88-4c1e-9995-8dce8c5e51a7"
WEB_PROGRAMMING = SKILL + "69bbd53f-fbb0-4476-b4b2-ef7844464e28"
DESIGN_UI = SKILL + "fd33c66c-70c4-40e6-b87c-5495bd3bf26e"
DEBUG = SKILL + "2522a6ce-3202-4ac8-9f5b-b9cb5a3a83a1"
RPA_TOOLS = "https://dasi.invalid/skill/rpa-tools"
FLOWCHART = SKILL + "901105f8-3a08-453e-b1dc-23619e317fd3"
ALGORITHMISATION = SKILL + "7482a123-e801-48de-9733-262125671410"

QUIZ_TITLE = "판다스 기초 확인 퀴즈"


@dataclass(frozen=True)
class Course:
    """A course the learner follows: lessons done on pairs of days (see `history_create`)."""

    slug: str
    days: tuple[int, ...]


@dataclass(frozen=True)
class Story:
    """What one demo learner has done, in the order it happened."""

    username: str
    centre: str
    recommendations: bool  # their answer to "use my profile and CV for recommendations"
    courses: tuple[Course, ...] = ()  # enrolments made here (others are made by seed.py)
    quiz: tuple[tuple[tuple[int, ...], int], ...] = ()  # (questions answered right, days ago)
    notebook: tuple[str, tuple[str, ...], int] | None = None  # (exercise, cells solved, days ago)
    ratings: tuple[tuple[str, int], ...] = ()  # (skill URI, level) rated by the learner
    cv: str = ""
    cv_confirmed_by: str = ""  # username of the person who confirmed the CV's phrases


STORIES = (
    # Ten years of logistics office work, fluent in Excel, aiming at data analysis.
    Story(
        username="dongtan-learner",
        centre="dongtan",
        recommendations=True,
        quiz=(((0, 1, 3, 4), 1),),
        notebook=("pandas-cleaning", ("load_clean", "fill_missing_age"), 0),
        ratings=((SPREADSHEETS, 4), (REPORT_RESULTS, 3), (SQL, 2)),
        cv="물류회사 사무직 10년\n"
        "스프레드시트 소프트웨어 사용: 피벗 테이블과 VLOOKUP으로 월간 재고 보고서 작성\n"
        "분석 결과 보고\n"
        "SQL\n"
        "지게차 운전 기능사",
        cv_confirmed_by="dongtan-learner",
    ),
    # A former editor who finished the generative-AI course (weekly, like her Python course).
    Story(
        username="dongtan-steady",
        centre="dongtan",
        recommendations=True,
        courses=(Course("generative-ai-at-work", (115, 108, 101, 94, 87, 80, 73, 66, 59, 52)),),
        quiz=(((0, 1, 2), 17),),
        ratings=((PROMPTING, 3), (WRITTEN_CONTENT, 4), (GENAI_CONTENT, 3)),
        cv="출판사 편집자 7년\n글 콘텐츠 작성\n생성형 AI 도구로 콘텐츠 제작\n"
        "저작권 법규\n교정·교열",
        cv_confirmed_by="dongtan-counsellor",
    ),
    # Ran a shop's social media; said no to CV-based recommendations, so only ratings count.
    Story(
        username="dongtan-paused",
        centre="dongtan",
        recommendations=False,
        quiz=(((0, 4), 30),),
        ratings=(
            (DIGITAL_CONTENT, 3),
            (SOCIAL_MEDIA, 4),
            (PHOTOGRAPHS, 3),
            (CREATIVE_IDEAS, 3),
            (WRITTEN_CONTENT, 2),
        ),
    ),
    # A web publisher retraining for data work: keeps failing the pandas checks.
    Story(
        username="dongtan-retry",
        centre="dongtan",
        recommendations=True,
        quiz=(((), 6), ((0,), 4)),
        notebook=("pandas-cleaning", ("normalise_phone",), 2),
        ratings=((JAVASCRIPT, 3), (WEB_PROGRAMMING, 3), (DESIGN_UI, 2), (DEBUG, 2)),
        cv="웹 퍼블리셔 4년\nHTML 마크업\n자바스크립트\n웹 프로그래밍\n소프트웨어 디버깅",
        cv_confirmed_by="dongtan-retry",
    ),
    # An office administrator automating invoices at the Gimpo hub, in English.
    Story(
        username="gimpo-learner",
        centre="gimpo",
        recommendations=True,
        courses=(Course("work-automation", (12, 11, 6)),),
        notebook=("invoice-report", ("read_invoices", "client_report", "save_report"), 3),
        ratings=((RPA_TOOLS, 2), (FLOWCHART, 3), (ALGORITHMISATION, 2)),
        cv="Office administrator, 6 years\n"
        "use spreadsheets software\n"
        "business process modelling\n"
        "create flowchart diagram\n"
        "draft corporate emails\n"
        "forklift licence",
        cv_confirmed_by="gimpo-learner",
    ),
)


def _course_in(centre: Centre, source: CoursePage) -> CoursePage:
    """The course as `centre` offers it: the source page, or the centre's alias of it."""
    if page_in_site(page=source, root=centre.site.root_page):
        return source
    return course_offer(course=source, centre=centre)


def _lesson_with(user: User, assessment: Assessment) -> LessonPage | None:
    """The lesson of one of the learner's courses that places `assessment`."""
    for enrolment in Enrolment.objects.filter(user=user).select_related("course"):
        for lesson in LessonPage.objects.child_of(enrolment.course).live().order_by("path"):
            if assessment_in_lesson(assessment=assessment, lesson=lesson):
                return lesson
    return None


def _right_answer(question: dict):
    """The answer a learner who knows would give, in the form the quiz form posts."""
    kind = question["type"]
    if kind == "single_choice":
        return next(c["id"] for c in question["choices"] if c["correct"])
    if kind == "multiple_choice":
        return [c["id"] for c in question["choices"] if c["correct"]]
    if kind == "true_false":
        return question["answer"]
    if kind == "numeric":
        return question["answer"]
    return question["accepted"][0]


def _quiz_take(user: User, tries: tuple[tuple[tuple[int, ...], int], ...]) -> None:
    """Take the demo quiz: each try answers the questions at the given (authored) positions
    right and leaves the others blank, and is submitted and graded by the quiz services."""
    quiz = Assessment.objects.filter(title=QUIZ_TITLE, kind=Assessment.Kind.QUIZ).first()
    if not tries or quiz is None or Attempt.objects.filter(user=user, assessment=quiz).exists():
        return
    lesson = _lesson_with(user, quiz)
    if lesson is None:
        return
    order = [block.id for block in quiz.questions]
    for right, days in tries:
        attempt = attempt_start(user=user, assessment=quiz, lesson=lesson)
        answers = {
            q["id"]: _right_answer(q) for q in attempt.questions if order.index(q["id"]) in right
        }
        attempt = attempt_submit(user=user, attempt_id=attempt.pk, answers=answers)
        Attempt.objects.filter(pk=attempt.pk).update(
            started_at=at(days, 18), submitted_at=at(days), graded_at=at(days)
        )


def learner_notebook(source: bytes, solved: tuple[str, ...]) -> bytes:
    """The learner's version of an exercise with the solution cells `solved` (grade ids)
    filled in as a learner who found the answer would: the instructor's code without the
    solution markers. The other cells keep their placeholders."""
    original = read_notebook(source, what="source notebook")
    answers = {
        grade_id(cell): "\n".join(
            line
            for line in cell.source.splitlines()
            if line.strip() not in (BEGIN_SOLUTION, END_SOLUTION)
        )
        for cell in original.cells
        if grade_id(cell) in solved
    }
    notebook = learner_version(original)
    for cell in notebook.cells:
        if grade_id(cell) in answers:
            cell.source = answers[grade_id(cell)]
    return notebook_bytes(notebook)


def _notebook_submit(user: User, spec: tuple[str, tuple[str, ...], int] | None) -> None:
    """Submit the learner's notebook and grade it in the sandbox, as the worker would. Without
    a sandbox the submission stays queued, and the demo's worker grades it."""
    if spec is None:
        return
    slug, solved, days = spec
    exercise = Assessment.objects.filter(
        # The stored name may carry the storage's suffix: pandas-cleaning_Ss44kVX.ipynb.
        kind=Assessment.Kind.NOTEBOOK,
        notebook_source__regex=rf"(^|/){slug}(_[A-Za-z0-9]+)?\.ipynb$",
    ).first()
    if exercise is None or Attempt.objects.filter(user=user, assessment=exercise).exists():
        return
    lesson = _lesson_with(user, exercise)
    if lesson is None:
        return
    data = learner_notebook(exercise.notebook_bytes(), solved)
    attempt = submission_create(user=user, assessment=exercise, lesson=lesson, data=data)
    grading = attempt.gradings.get()
    try:
        with transaction.atomic():
            grading_run(grading_id=grading.pk)
    except SandboxUnavailable:
        return
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=at(days, 18), submitted_at=at(days), graded_at=at(days)
    )


def _ratings(user: User, ratings: tuple[tuple[str, int], ...]) -> None:
    """The learner's self-ratings (the self-assessment form's service), one per skill."""
    rated = set(
        SkillEvidence.objects.filter(
            user=user, source_type=SkillEvidence.Source.SELF_ASSESSMENT
        ).values_list("skill__esco_uri", flat=True)
    )
    skills = Skill.objects.in_bulk([uri for uri, _level in ratings], field_name="esco_uri")
    for uri, level in ratings:
        if uri in skills and uri not in rated:
            self_assessment_record(user=user, skill=skills[uri], level=level)


def _cv(user: User, text: str, reviewer: str) -> None:
    """Paste the CV (the CV page's service) and confirm every phrase it matched to a skill,
    as the learner or their counsellor does on the review page."""
    if not text or not cv_use_allowed(user=user) or TextClaim.objects.filter(user=user).exists():
        return
    confirmer = User.objects.get(username=reviewer)
    for claim in cv_submit(user=user, text=text):
        if claim.skill_id is not None:
            claim_review(claim=claim, reviewer=confirmer, confirm=True)


def story_apply(*, story: Story, centres: dict[str, Centre], sources: dict[str, CoursePage]):
    """Play one learner's story through the platform's services (skipping steps done)."""
    user = User.objects.get(username=story.username)
    centre = centres[story.centre]
    purposes = {Purpose.COURSE, Purpose.COUNSELLING}
    if story.recommendations:
        purposes.add(Purpose.RECOMMENDATIONS)
    record_consents(
        user=user,
        purposes=purposes,
        text_version=CURRENT_VERSION,
        language=user.preferred_language or "ko",
    )
    for course in story.courses:
        source = sources.get(course.slug)
        if source is None or Enrolment.objects.filter(user=user, course=source).exists():
            continue
        history_create(
            user=user, course=_course_in(centre, source), centre=centre, days=list(course.days)
        )
    _quiz_take(user, story.quiz)
    _notebook_submit(user, story.notebook)
    _ratings(user, story.ratings)
    _cv(user, story.cv, story.cv_confirmed_by)


def stories_apply(*, centres: dict[str, Centre], sources: dict[str, CoursePage]) -> None:
    """Every demo learner's story (see STORIES)."""
    for story in STORIES:
        if User.objects.filter(username=story.username).exists():
            story_apply(story=story, centres=centres, sources=sources)
