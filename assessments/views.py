"""Quiz taking for learners, and the gradebook for staff. Views check and call services."""

from __future__ import annotations

import csv
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_POST

from courses.models import CoursePage, LessonPage
from lms.accounts.models import Role
from lms.accounts.selectors import centres_where
from lms.views import problem

from . import services
from .grader import learner_version, notebook_bytes, read_notebook
from .models import Assessment, Attempt
from .selectors import (
    attempt_in_centres,
    attempts_left,
    attempts_of,
    course_policy,
    enrolments_by_centre,
    gradebook_courses,
    gradebook_enrolments,
    gradebook_learner_counts,
    gradebook_rows,
    grades_of_learner,
    is_enrolled,
    lesson_course_id,
    submissions_for_staff,
    submissions_of_learner,
)
from .signals import gradebook_exported

STAFF_ROLES = [Role.INSTRUCTOR, Role.CENTRE_ADMIN]


def _message(exc: ValidationError | PermissionDenied) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or _("You may not do that.")


def _quiz_context(request: HttpRequest, assessment_id: int, lesson_id: int):
    assessment = get_object_or_404(Assessment, pk=assessment_id, kind=Assessment.Kind.QUIZ)
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    if not services.assessment_in_lesson(assessment=assessment, lesson=lesson):
        raise PermissionDenied(_("This lesson has no such quiz."))
    return assessment, lesson


@login_required
def quiz(request: HttpRequest, assessment_id: int, lesson_id: int) -> HttpResponse:
    """The quiz's cover: rules, past attempts and the button to start or resume."""
    try:
        assessment, lesson = _quiz_context(request, assessment_id, lesson_id)
    except PermissionDenied as exc:
        return problem(request, _message(exc), 404)
    course_id = lesson_course_id(lesson=lesson)
    enrolled = is_enrolled(user=request.user, course_id=course_id)
    if request.method == "POST":
        try:
            attempt = services.attempt_start(
                user=request.user, assessment=assessment, lesson=lesson
            )
        except PermissionDenied as exc:
            return problem(request, _message(exc), 403, lesson.get_url(request))
        except ValidationError as exc:
            return problem(request, _message(exc), 409, request.path)
        return redirect("assessments:attempt", attempt_id=attempt.pk)
    attempts = list(attempts_of(user=request.user, assessment=assessment, course_id=course_id))
    for attempt in attempts:
        services.attempt_close_if_expired(attempt)
    attempts = list(attempts_of(user=request.user, assessment=assessment, course_id=course_id))
    open_attempt = next((a for a in attempts if a.status == Attempt.Status.IN_PROGRESS), None)
    return render(
        request,
        "assessments/quiz.html",
        {
            "assessment": assessment,
            "lesson": lesson,
            "lesson_url": lesson.get_url(request),
            "enrolled": enrolled,
            "attempts": attempts,
            "open_attempt": open_attempt,
            "attempts_left": attempts_left(assessment=assessment, used=len(attempts)),
            "question_count": len(assessment.questions),
        },
    )


def _lesson_links(request: HttpRequest, lesson: LessonPage | None) -> dict:
    """Where a learner goes from a result: back to the lesson, and on to the next one."""
    if lesson is None or not lesson.live:
        return {"lesson_url": None, "next_lesson": None, "next_lesson_url": None}
    following = lesson.get_next_siblings().live().type(LessonPage).first()
    return {
        "lesson_url": lesson.get_url(request),
        "next_lesson": following,
        "next_lesson_url": following.get_url(request) if following else None,
    }


def _attempt_for_viewer(request: HttpRequest, attempt_id: int) -> Attempt:
    """The learner's own attempt, or one a staff member of the learner's centre may read."""
    attempt = get_object_or_404(
        Attempt.objects.select_related("assessment", "lesson"), pk=attempt_id
    )
    if attempt.user_id == request.user.pk:
        return attempt
    staff_centres = centres_where(user=request.user, roles=STAFF_ROLES)
    if attempt_in_centres(attempt=attempt, centres=staff_centres):
        return attempt
    raise PermissionDenied


@login_required
def attempt_detail(request: HttpRequest, attempt_id: int) -> HttpResponse:
    try:
        attempt = _attempt_for_viewer(request, attempt_id)
    except PermissionDenied:
        return problem(request, _("That is not your attempt."), 403)
    attempt = services.attempt_close_if_expired(attempt)
    questions = []
    for question in attempt.questions:
        item = dict(question)
        item["given"] = attempt.answers.get(question["id"])
        item["result"] = attempt.results.get(question["id"])
        if attempt.status != Attempt.Status.GRADED:
            # Nothing that gives the answer away reaches the page before submission.
            for secret in (
                "answer",
                "tolerance",
                "accepted",
                "pattern",
                "explanation",
                "feedback_true",
                "feedback_false",
            ):
                item.pop(secret, None)
            item["choices"] = [
                {"id": c["id"], "text": c["text"]} for c in question.get("choices", [])
            ]
        questions.append(item)
    return render(
        request,
        "assessments/attempt.html",
        {
            "attempt": attempt,
            "assessment": attempt.assessment,
            "questions": questions,
            "is_owner": attempt.user_id == request.user.pk,
            "answered": len(attempt.answers),
            "lesson": attempt.lesson,
            **_lesson_links(request, attempt.lesson),
        },
    )


@require_POST
@login_required
def attempt_answer(request: HttpRequest, attempt_id: int) -> JsonResponse:
    """Save one answer as the learner goes: {"question": id, "value": ...}."""
    try:
        payload = json.loads(request.body or b"{}")
    except json.JSONDecodeError:
        return JsonResponse({"error": _("The request body is not JSON.")}, status=400)
    if not isinstance(payload, dict) or not isinstance(payload.get("question"), str):
        return JsonResponse({"error": _('Send {"question": id, "value": answer}.')}, status=400)
    try:
        attempt = services.attempt_answer_save(
            user=request.user,
            attempt_id=attempt_id,
            question_id=payload["question"],
            value=payload.get("value"),
        )
    except PermissionDenied as exc:
        return JsonResponse({"error": _message(exc)}, status=403)
    except services.AttemptClosed as exc:
        return JsonResponse({"error": _message(exc)}, status=409)
    except ValidationError as exc:
        return JsonResponse({"error": _message(exc)}, status=400)
    return JsonResponse({"saved": True, "answered": len(attempt.answers)})


def _posted_answers(request: HttpRequest) -> dict:
    answers = {}
    for key in request.POST:
        if not key.startswith("q-"):
            continue
        values = request.POST.getlist(key)
        answers[key[2:]] = values if len(values) > 1 or key.endswith("[]") else values[0]
    return {k.removesuffix("[]"): v for k, v in answers.items()}


@require_POST
@login_required
def attempt_save(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """Save every answer of the form without submitting (works without JavaScript)."""
    try:
        services.attempt_answers_save(
            user=request.user, attempt_id=attempt_id, answers=_posted_answers(request)
        )
    except PermissionDenied as exc:
        return problem(request, _message(exc), 403)
    except services.AttemptClosed as exc:
        return problem(
            request, _message(exc), 409, reverse("assessments:attempt", args=[attempt_id])
        )
    except ValidationError as exc:
        return problem(
            request, _message(exc), 400, reverse("assessments:attempt", args=[attempt_id])
        )
    messages.success(request, _("Your answers are saved."))
    return redirect("assessments:attempt", attempt_id=attempt_id)


@require_POST
@login_required
def attempt_submit(request: HttpRequest, attempt_id: int) -> HttpResponse:
    back = reverse("assessments:attempt", args=[attempt_id])
    try:
        services.attempt_submit(
            user=request.user, attempt_id=attempt_id, answers=_posted_answers(request)
        )
    except PermissionDenied as exc:
        return problem(request, _message(exc), 403)
    except services.AttemptClosed as exc:
        return problem(request, _message(exc), 409, back)
    except ValidationError as exc:
        return problem(request, _message(exc), 400, back)
    messages.success(request, _("Submitted. Here are your results."))
    return redirect(back)


# --- Staff: gradebook -------------------------------------------------------------------


def _staff_centres(request: HttpRequest) -> list:
    centres = list(
        centres_where(user=request.user, roles=STAFF_ROLES).select_related("site__root_page")
    )
    if not request.user.is_superuser and not centres:
        raise PermissionDenied
    return centres


def _course_for_staff(request: HttpRequest, course_id: int):
    """The source course and the enrolments in it the viewer may see."""
    centres = _staff_centres(request)
    page = get_object_or_404(CoursePage, pk=course_id)
    return gradebook_enrolments(course=page, centres=centres, everyone=request.user.is_superuser)


@require_GET
def gradebook_index(request: HttpRequest) -> HttpResponse:
    """The courses the viewer grades, with their learner counts; courses without learners
    only when asked (``?all=1``)."""
    centres = None if request.user.is_superuser else _staff_centres(request)
    courses = list(gradebook_courses(centres=centres))
    counts = gradebook_learner_counts(course_ids=[c.pk for c in courses], centres=centres)
    show_all = request.GET.get("all") == "1"
    rows = [
        {"course": c, "learners": counts.get(c.pk, 0)}
        for c in courses
        if show_all or counts.get(c.pk, 0)
    ]
    return TemplateResponse(
        request,
        "assessments/admin/gradebook_index.html",
        {"rows": rows, "show_all": show_all, "hidden": len(courses) - len(rows)},
    )


@require_GET
def gradebook(request: HttpRequest, course_id: int) -> HttpResponse:
    course, enrolments = _course_for_staff(request, course_id)
    policy = course_policy(course)
    rows = sorted(
        gradebook_rows(course=course, enrolments=enrolments, policy=policy),
        key=lambda row: (row.name, row.username),
    )
    return TemplateResponse(
        request,
        "assessments/admin/gradebook.html",
        {"course": course, "policy": policy, "rows": rows},
    )


class _Echo:
    def write(self, value):
        return value


@require_GET
def gradebook_csv(request: HttpRequest, course_id: int) -> StreamingHttpResponse:
    """The gradebook as CSV, streamed row by row (flat memory for any cohort size); the
    download is announced (`gradebook_exported`) for the privacy audit log."""
    course, enrolments = _course_for_staff(request, course_id)
    policy = course_policy(course)
    gradebook_exported.send(
        sender=CoursePage,
        actor=request.user,
        course=course,
        rows_by_centre=enrolments_by_centre(enrolments),
    )
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # so spreadsheet programs read the Korean text as UTF-8
        header = [_("Username"), _("Name"), _("Centre")]
        state = _("state")
        for item in policy:
            header += [f"{item.assessment.title} (%)", f"{item.assessment.title} ({state})"]
        yield writer.writerow([*header, _("Course grade (%)"), _("Required passed")])
        for row in gradebook_rows(course=course, enrolments=enrolments, policy=policy):
            cells = []
            for cell in row.cells:
                cells += ["" if cell.percent is None else f"{cell.percent:.1f}", cell.state]
            yield writer.writerow(
                [
                    row.username,
                    row.name,
                    row.centre,
                    *cells,
                    f"{row.grade.percent:.1f}",
                    "yes" if row.grade.passed_required else "no",
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="gradebook-{course.slug}.csv"'
    return response


@login_required
def my_grades(request: HttpRequest) -> HttpResponse:
    """A learner's own grades: each enrolled course's policy, counted results and attempts."""
    rows = grades_of_learner(user=request.user)
    return render(request, "assessments/my_grades.html", {"rows": rows})


# --- Notebook exercises ------------------------------------------------------------------


def _exercise_context(assessment_id: int, lesson_id: int):
    assessment = get_object_or_404(Assessment, pk=assessment_id, kind=Assessment.Kind.NOTEBOOK)
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    if not services.assessment_in_lesson(assessment=assessment, lesson=lesson):
        raise PermissionDenied(_("This lesson has no such exercise."))
    return assessment, lesson


# A graded cell's outcome (assessments.grader.grade), as the learner reads it.
CELL_STATUS_LABELS = {
    "passed": pgettext_lazy("graded cell", "passed"),
    "failed": pgettext_lazy("graded cell", "failed"),
    "error": gettext_lazy("error in the code"),
    "timeout": gettext_lazy("took too long"),
    "missing": gettext_lazy("answer missing"),
}


def _cells_shown(cells: list[dict]) -> list[dict]:
    return [
        {
            **cell,
            "status_label": str(CELL_STATUS_LABELS.get(cell.get("status"), cell.get("status"))),
        }
        for cell in cells
    ]


def _attempt_summary(attempt: Attempt) -> dict:
    grading = attempt.gradings.first()
    grading_status = grading.status if grading else None
    if grading_status == "done" and attempt.status != Attempt.Status.GRADED:
        # The attempt and its gradings are two reads: a grading that committed between them
        # shows as still running until the next poll, never as done without its score.
        grading_status = "running"
    return {
        "id": attempt.pk,
        "number": attempt.number,
        "status": attempt.status,
        "status_label": attempt.get_status_display(),
        "score": None if attempt.score is None else float(attempt.score),
        "max_score": None if attempt.max_score is None else float(attempt.max_score),
        "grading": grading_status,
        "error": grading.error if grading else "",
        "cells": _cells_shown(grading.cells) if grading_status == "done" else [],
        "submitted_at": attempt.submitted_at.isoformat() if attempt.submitted_at else None,
    }


@login_required
def exercise(request: HttpRequest, assessment_id: int, lesson_id: int) -> HttpResponse:
    """The exercise's page: get the notebook, upload your work, watch it being graded."""
    try:
        assessment, lesson = _exercise_context(assessment_id, lesson_id)
    except PermissionDenied as exc:
        return problem(request, _message(exc), 404)
    course_id = lesson_course_id(lesson=lesson)
    enrolled = is_enrolled(user=request.user, course_id=course_id)
    if request.method == "POST":
        upload = request.FILES.get("notebook")
        if upload is None:
            return problem(request, _("Choose your .ipynb file to submit."), 400, request.path)
        try:
            services.submission_create(
                user=request.user,
                assessment=assessment,
                lesson=lesson,
                data=upload.read(services.MAX_SUBMISSION_BYTES + 1),
            )
        except PermissionDenied as exc:
            return problem(request, _message(exc), 403, request.path)
        except ValidationError as exc:
            status = 409 if getattr(exc, "code", "") == "attempt_limit" else 400
            return problem(request, _message(exc), status, request.path)
        messages.success(request, _("Submitted. Grading has started; this page updates itself."))
        return redirect(request.path)
    attempts = submissions_of_learner(user=request.user, assessment=assessment, course_id=course_id)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"attempts": [_attempt_summary(a) for a in attempts]})
    return render(
        request,
        "assessments/exercise.html",
        {
            "assessment": assessment,
            "lesson": lesson,
            **_lesson_links(request, lesson),
            "enrolled": enrolled,
            "attempts": [_attempt_summary(a) for a in attempts],
            "attempts_left": attempts_left(assessment=assessment, used=len(attempts)),
        },
    )


@login_required
def exercise_download(request: HttpRequest, assessment_id: int, lesson_id: int) -> HttpResponse:
    """The learner version: solutions replaced, hidden tests removed; data files zipped along."""
    import io
    import zipfile

    try:
        assessment, lesson = _exercise_context(assessment_id, lesson_id)
    except PermissionDenied as exc:
        return problem(request, _message(exc), 404)
    course_id = lesson_course_id(lesson=lesson)
    staff_centres = centres_where(user=request.user, roles=STAFF_ROLES)
    if not (
        is_enrolled(user=request.user, course_id=course_id)
        or gradebook_courses(centres=staff_centres).filter(pk=course_id).exists()
    ):
        # The exercise and its data files are course material: for the course's learners
        # and the staff who teach it, like the submissions they lead to.
        return problem(request, _("Enrol in the course to get its exercises."), 403)
    notebook = notebook_bytes(learner_version(read_notebook(assessment.notebook_bytes())))
    name = assessment.notebook_source.name.rsplit("/", 1)[-1] or "exercise.ipynb"
    data_files = assessment.data_files()
    if not data_files:
        response = HttpResponse(notebook, content_type="application/x-ipynb+json")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, notebook)
        for path, content in data_files.items():
            archive.writestr(path, content)
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name.removesuffix(".ipynb")}.zip"'
    return response


@require_POST
def regrade(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """Staff of the learner's centre queue a new grading (the old result is kept)."""
    attempt = get_object_or_404(Attempt, pk=attempt_id)
    staff = _staff_centres(request)
    if not request.user.is_superuser and not attempt_in_centres(attempt=attempt, centres=staff):
        raise PermissionDenied
    try:
        services.submission_regrade(attempt=attempt, user=request.user)
    except ValidationError as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("Regrading has been queued."))
    return redirect("assessments_submissions", assessment_id=attempt.assessment_id)


@require_GET
def submissions(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """Staff: every submission of a notebook exercise from their centres, with grading status."""
    staff = _staff_centres(request)
    assessment = get_object_or_404(Assessment, pk=assessment_id)
    attempts = submissions_for_staff(
        assessment=assessment, centres=None if request.user.is_superuser else staff
    )
    return TemplateResponse(
        request,
        "assessments/admin/submissions.html",
        {"assessment": assessment, "attempts": attempts},
    )
