"""Writes on attempts: start, save answers as the learner goes, submit and grade once.

Every grading ends in the same steps, in this order: the attempt scored, its skill evidence
recorded, the course's completion evaluated, `attempt_graded` sent on commit. A quiz is graded
in the web request (`_grade`); a notebook submission by `SubmissionGradeAction`, in a worker.

Late work (the learner's course run sets a due date, see `assessments.deadlines`) is judged
once, when the work is accepted: a quiz when it is submitted (`attempt_submit`, or closed at
its time limit), a notebook when it is stored (`submission_create`). A refused quiz keeps its
saved answers in the open attempt; a refused notebook is not stored and stays in the learner's
JupyterLab. An accepted late one records its due date, days late and penalty on the attempt,
and its counted score is the original less the penalty (the original is kept).
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import LessonPage
from lms.learning.models import Enrolment
from lms.learning.services import enrolment_completion_evaluate
from lms.skills.models import Skill, SkillEvidence
from lms.skills.services import GradedItem, evidence_record_graded

from .deadlines import late_verdict, local_text
from .grader import GradeResult, NotebookError, grade, read_notebook
from .lateness import Verdict, apply_penalty
from .models import Assessment, Attempt, GradingResult
from .scoring import AnswerError, clean_answer, score_question
from .selectors import lesson_course_id
from .signals import attempt_grade_recorded, attempt_graded

# Answers saved up to this long after the deadline still count (network latency).
DEADLINE_GRACE = timedelta(seconds=5)


class AttemptClosed(ValidationError):
    """Raised when acting on an attempt that is no longer open (submitted, graded, timed out)."""


class LateRefused(ValidationError):
    """Raised when work is handed in after its due date (or hard cut-off) and the late
    policy refuses it. Nothing of the learner's is lost: see the module docstring."""


def _refused(assessment: Assessment, verdict: Verdict, *, notebook: bool) -> LateRefused:
    keep = (
        _("Your notebook stays in your JupyterLab; ask your instructor for an extension.")
        if notebook
        else _("Your saved answers are kept; ask your instructor for an extension.")
    )
    return LateRefused(
        _("“%(title)s” closed at %(closed)s and no longer accepts work. %(keep)s")
        % {"title": assessment.title, "closed": local_text(verdict.closes_at), "keep": keep},
        code="late_refused",
    )


def _verdict(attempt: Attempt, at) -> Verdict:
    return late_verdict(
        user_id=attempt.user_id,
        assessment_id=attempt.assessment_id,
        course_id=attempt.course_id,
        at=at,
    )


def _snapshot(assessment: Assessment, rng: random.Random) -> list[dict]:
    questions = []
    for block in assessment.questions:
        value = block.value
        item = {
            "id": block.id,
            "type": block.block_type,
            "prompt": value["prompt"].source,
            "points": str(value["points"]),
            "explanation": value["explanation"].source if value["explanation"] else "",
            "skill_id": value["skill"].pk if value.get("skill") else None,
            "skill_level": value.get("skill_level") or 1,
        }
        if block.block_type in ("single_choice", "multiple_choice"):
            choices = [
                {
                    "id": f"c{number}",
                    "text": choice["text"],
                    "correct": bool(choice["correct"]),
                    "feedback": choice["feedback"],
                }
                for number, choice in enumerate(value["choices"])
            ]
            if assessment.shuffle_choices:
                rng.shuffle(choices)
            item["choices"] = choices
        elif block.block_type == "true_false":
            item.update(
                answer=bool(value["answer"]),
                feedback_true=value["feedback_true"],
                feedback_false=value["feedback_false"],
            )
        elif block.block_type == "numeric":
            item.update(answer=value["answer"], tolerance=value["tolerance"])
        elif block.block_type == "short_text":
            item.update(accepted=list(value["accepted"]), pattern=value["pattern"])
        questions.append(item)
    if assessment.shuffle_questions:
        rng.shuffle(questions)
    return questions


def assessment_in_lesson(*, assessment: Assessment, lesson: LessonPage) -> bool:
    """Whether the lesson places this assessment in its body (a quiz or notebook block)."""
    return any(
        block.block_type in ("quiz", "notebook") and block.value["assessment"].pk == assessment.pk
        for block in lesson.body
    )


def _enrolment(*, user, lesson: LessonPage) -> Enrolment:
    course_id = lesson_course_id(lesson=lesson)
    enrolment = Enrolment.objects.filter(user=user, course_id=course_id).first()
    if enrolment is None:
        raise PermissionDenied(_("Enrol in this course to take its quizzes."))
    return enrolment


def attempt_close_if_expired(attempt: Attempt) -> Attempt:
    """Grade an open attempt whose time is up, with the answers saved before the deadline."""
    if (
        attempt.status == Attempt.Status.IN_PROGRESS
        and attempt.deadline
        and timezone.now() > attempt.deadline + DEADLINE_GRACE
    ):
        return _grade(attempt_id=attempt.pk, answers=None, timed_out=True)
    return attempt


@transaction.atomic
def attempt_start(*, user, assessment: Assessment, lesson: LessonPage) -> Attempt:
    """Start an attempt at a quiz placed in a lesson, or return the open one.

    Refuses when the learner is not enrolled in the lesson's course, the lesson does not hold
    the quiz, or the attempt limit is used up. Questions and choice order are frozen now.
    """
    if assessment.kind != Assessment.Kind.QUIZ:
        raise ValidationError(_("This assessment is not a quiz."))
    if not assessment_in_lesson(assessment=assessment, lesson=lesson):
        raise ValidationError(_("This lesson has no such quiz."))
    if not assessment.questions:
        raise ValidationError(_("This quiz has no questions yet."))
    enrolment = _enrolment(user=user, lesson=lesson)
    attempts = Attempt.objects.select_for_update().filter(
        assessment=assessment, user=user, course_id=enrolment.course_id
    )
    open_attempt = attempts.filter(status=Attempt.Status.IN_PROGRESS).first()
    if open_attempt is not None:
        closed = attempt_close_if_expired(open_attempt)
        if closed.status == Attempt.Status.IN_PROGRESS:
            return closed
    verdict = late_verdict(
        user_id=user.pk,
        assessment_id=assessment.pk,
        course_id=enrolment.course_id,
        at=timezone.now(),
    )
    if not verdict.accepted:
        raise _refused(assessment, verdict, notebook=False)
    used = attempts.count()
    if assessment.max_attempts and used >= assessment.max_attempts:
        raise ValidationError(
            _("You have used all %(count)s attempts at this quiz.")
            % {"count": assessment.max_attempts},
            code="attempt_limit",
        )
    number = (attempts.aggregate(n=Max("number"))["n"] or 0) + 1
    seed = random.SystemRandom().getrandbits(32)
    questions = _snapshot(assessment, random.Random(seed))  # noqa: S311 — order only
    deadline = (
        timezone.now() + timedelta(minutes=assessment.time_limit_minutes)
        if assessment.time_limit_minutes
        else None
    )
    attempt = Attempt(
        assessment=assessment,
        user=user,
        course_id=enrolment.course_id,
        lesson=lesson,
        number=number,
        questions=questions,
        max_score=sum((Decimal(q["points"]) for q in questions), Decimal(0)),
        deadline=deadline,
    )
    try:
        with transaction.atomic():
            attempt.save()
    except IntegrityError:  # another tab started one at the same moment
        return Attempt.objects.get(
            assessment=assessment,
            user=user,
            course_id=enrolment.course_id,
            status=Attempt.Status.IN_PROGRESS,
        )
    return attempt


def _own_open_attempt(*, user, attempt_id: int) -> Attempt:
    attempt = Attempt.objects.select_for_update().filter(pk=attempt_id).first()
    if attempt is None or attempt.user_id != user.pk:
        raise PermissionDenied(_("That is not your attempt."))
    if attempt.status != Attempt.Status.IN_PROGRESS:
        raise AttemptClosed(_("This attempt has been submitted already."), code="closed")
    if attempt.deadline and timezone.now() > attempt.deadline + DEADLINE_GRACE:
        raise AttemptClosed(_("The time limit has passed."), code="time_up")
    return attempt


def _question(attempt: Attempt, question_id: str) -> dict:
    for question in attempt.questions:
        if question["id"] == question_id:
            return question
    raise ValidationError(_("That question is not part of this attempt."), code="unknown_question")


@transaction.atomic
def attempt_answer_save(*, user, attempt_id: int, question_id: str, value) -> Attempt:
    """Save one answer of an open attempt (so a closed tab or a dropped connection loses
    nothing). Refuses answers to someone else's attempt, unknown questions, choices of another
    question and values of the wrong type, changing nothing."""
    attempt = _own_open_attempt(user=user, attempt_id=attempt_id)
    question = _question(attempt, question_id)
    try:
        clean = clean_answer(question, value)
    except AnswerError as exc:
        raise ValidationError(str(exc), code="bad_answer") from exc
    answers = dict(attempt.answers)
    if clean is None:
        answers.pop(question_id, None)
    else:
        answers[question_id] = clean
    attempt.answers = answers
    attempt.save(update_fields=["answers"])
    return attempt


@transaction.atomic
def attempt_answers_save(*, user, attempt_id: int, answers: dict) -> Attempt:
    """Save every answer of the attempt form at once (the "Save" button without JavaScript).

    Refuses someone else's or a closed attempt even when no answer is sent; one bad answer
    and none is saved.
    """
    attempt = _own_open_attempt(user=user, attempt_id=attempt_id)
    for question_id, value in answers.items():
        attempt = attempt_answer_save(
            user=user, attempt_id=attempt_id, question_id=question_id, value=value
        )
    return attempt


def attempt_submit(*, user, attempt_id: int, answers: dict | None = None) -> Attempt:
    """Submit an open attempt once, with any answers sent along, and grade it.

    A second submission, or one after the time limit, is refused (AttemptClosed); an attempt
    whose time ran out is graded with the answers saved before the deadline. One the late
    policy refuses (LateRefused) keeps the answers sent along, saved in the open attempt.
    """
    refused = None
    try:
        with transaction.atomic():
            attempt = _own_open_attempt(user=user, attempt_id=attempt_id)
            merged = dict(attempt.answers)
            for question_id, value in (answers or {}).items():
                question = _question(attempt, question_id)
                try:
                    clean = clean_answer(question, value)
                except AnswerError as exc:
                    raise ValidationError(str(exc), code="bad_answer") from exc
                if clean is None:
                    merged.pop(question_id, None)
                else:
                    merged[question_id] = clean
            verdict = _verdict(attempt, timezone.now())
            if verdict.accepted:
                return _grade(attempt_id=attempt.pk, answers=merged, timed_out=False)
            attempt.answers = merged
            attempt.save(update_fields=["answers"])
            refused = _refused(attempt.assessment, verdict, notebook=False)
        raise refused
    except AttemptClosed as exc:
        if exc.code == "time_up":
            # Outside the refused transaction, so the saved answers are graded and kept.
            _grade(attempt_id=attempt_id, answers=None, timed_out=True)
        raise


@transaction.atomic
def _grade(*, attempt_id: int, answers: dict | None, timed_out: bool) -> Attempt:
    """Grade an open attempt exactly once; a concurrent second call finds it closed."""
    attempt = Attempt.objects.select_for_update().get(pk=attempt_id)
    if attempt.status != Attempt.Status.IN_PROGRESS:
        return attempt
    if answers is not None:
        attempt.answers = answers
    results: dict[str, dict] = {}
    total = Decimal(0)
    for question in attempt.questions:
        scored = score_question(question, attempt.answers.get(question["id"]))
        total += scored.points
        results[question["id"]] = {
            "points": str(scored.points),
            "max_points": str(scored.max_points),
            "correct": scored.correct,
            "feedback": scored.feedback,
        }
    now = timezone.now()
    # Timed out: the work was handed in when its time ran out, not when it is closed.
    handed_in = now
    if timed_out and attempt.deadline:
        handed_in = min(now, attempt.deadline + DEADLINE_GRACE)
    verdict = _verdict(attempt, handed_in)
    _late_record(attempt, verdict, total)
    attempt.results = results
    attempt.status = Attempt.Status.GRADED
    attempt.submitted_at = now
    attempt.graded_at = now
    attempt.timed_out = timed_out
    attempt.save()
    evidence_record_graded(
        user=attempt.user,
        items=_question_items(attempt),
        source_type=SkillEvidence.Source.QUIZ_QUESTION,
        source_label=attempt.assessment.title,
        course=attempt.course,
    )
    _completion_evaluate(attempt)
    _graded_send(attempt)
    return attempt


def _late_record(attempt: Attempt, verdict: Verdict, raw: Decimal) -> None:
    """Record the verdict on lateness and the counted score (the original kept beside it).

    A quiz closed at its time limit after its run's late work closed counts nothing (a 100 %
    penalty), its answers and original score kept: there is no later moment to refuse it at.
    """
    penalty = verdict.penalty if verdict.accepted else Decimal(100)
    rule_due = verdict.due_at if verdict.late else None
    attempt.due_at = rule_due
    attempt.days_late = verdict.days_late
    attempt.late_penalty = penalty
    attempt.score_before_penalty = raw if penalty else None
    attempt.score = apply_penalty(raw, penalty) if penalty else raw


def _question_items(attempt: Attempt) -> list[GradedItem]:
    """A graded quiz attempt's questions as graded items (skills are named by id)."""
    skills = Skill.objects.in_bulk({q["skill_id"] for q in attempt.questions if q.get("skill_id")})
    return [
        GradedItem(
            skill=skills.get(question.get("skill_id")),
            level=int(question.get("skill_level") or 1),
            points=Decimal(attempt.results[question["id"]]["points"]),
            max_points=Decimal(attempt.results[question["id"]]["max_points"]),
            source_id=f"attempt:{attempt.pk}:{question['id']}",
        )
        for question in attempt.questions
    ]


def _completion_evaluate(attempt: Attempt) -> None:
    """Evaluate the completion of the course the attempt was taken in, for its learner."""
    enrolment = Enrolment.objects.filter(
        user_id=attempt.user_id, course_id=attempt.course_id
    ).first()
    if enrolment is not None:
        enrolment_completion_evaluate(enrolment=enrolment)


def _graded_send(attempt: Attempt, grading: GradingResult | None = None) -> None:
    attempt_grade_recorded.send(sender=Attempt, attempt=attempt, grading=grading)
    transaction.on_commit(lambda: attempt_graded.send(sender=Attempt, attempt=attempt))


# --- Notebook exercises ------------------------------------------------------------------

MAX_SUBMISSION_BYTES = 5 * 1024 * 1024


def submission_create(*, user, assessment: Assessment, lesson: LessonPage, data: bytes) -> Attempt:
    """Store a learner's notebook once (with its sha256) and queue its grading.

    Refuses, changing nothing, a file that is not an nbformat-4 notebook, one over the size
    limit, a learner not enrolled, or one past the attempt limit. The bytes are never altered.
    """
    import hashlib

    from django.core.files.base import ContentFile

    if assessment.kind != Assessment.Kind.NOTEBOOK:
        raise ValidationError(_("This assessment is not a notebook exercise."))
    if not assessment_in_lesson(assessment=assessment, lesson=lesson):
        raise ValidationError(_("This lesson has no such exercise."))
    if len(data) > MAX_SUBMISSION_BYTES:
        raise ValidationError(_("The notebook is larger than 5 MB."), code="too_large")
    try:
        read_notebook(data, what=_("your notebook"))
    except NotebookError as exc:
        raise ValidationError(str(exc), code="not_notebook") from exc
    enrolment = _enrolment(user=user, lesson=lesson)
    now = timezone.now()
    verdict = late_verdict(
        user_id=user.pk, assessment_id=assessment.pk, course_id=enrolment.course_id, at=now
    )
    if not verdict.accepted:
        raise _refused(assessment, verdict, notebook=True)
    with transaction.atomic():
        attempts = Attempt.objects.select_for_update().filter(
            assessment=assessment, user=user, course_id=enrolment.course_id
        )
        used = attempts.count()
        if assessment.max_attempts and used >= assessment.max_attempts:
            raise ValidationError(
                _("You have used all %(count)s submissions for this exercise.")
                % {"count": assessment.max_attempts},
                code="attempt_limit",
            )
        digest = hashlib.sha256(data).hexdigest()
        attempt = Attempt(
            assessment=assessment,
            user=user,
            course_id=enrolment.course_id,
            lesson=lesson,
            number=(attempts.aggregate(n=Max("number"))["n"] or 0) + 1,
            status=Attempt.Status.SUBMITTED,
            submitted_at=now,
            submission_sha256=digest,
            due_at=verdict.due_at if verdict.late else None,
            days_late=verdict.days_late,
            late_penalty=verdict.penalty,
        )
        attempt.submission.save(f"{digest[:16]}.ipynb", ContentFile(data), save=False)
        attempt.save()
        grading = GradingResult.objects.create(attempt=attempt)
        # robust: with the broker down the learner's stored work still counts as submitted; the
        # beat task gradings_resume queues it later.
        transaction.on_commit(lambda: _queue_grading(grading.pk), robust=True)
    return attempt


def _queue_grading(grading_id: int) -> None:
    # Celery task lookup: the task module imports this one to run the grading.
    from .tasks import grade_submission

    grade_submission.delay(grading_id)


@transaction.atomic
def submission_regrade(*, attempt: Attempt, user) -> GradingResult:
    """Queue a new grading of a stored submission (the earlier results are kept)."""
    if not attempt.submission:
        raise ValidationError(_("Only notebook submissions can be regraded."))
    grading = GradingResult.objects.create(attempt=attempt, requested_by=user)
    Attempt.objects.filter(pk=attempt.pk).update(status=Attempt.Status.GRADING)
    transaction.on_commit(lambda: _queue_grading(grading.pk), robust=True)
    return grading


FINISHED = (GradingResult.Status.DONE, GradingResult.Status.FAILED)


class SubmissionGradeAction:
    """Grade one stored notebook submission in the sandbox and record the outcome, keyed by
    its grading record.

    Safe to run again: a finished grading (done or failed) is left as it is; one left running
    by a killed worker is redone. A notebook the grader cannot read fails the grading and
    hands the attempt back as submitted; an unavailable sandbox raises SandboxUnavailable and
    changes nothing more, so the queue retries.
    """

    def __init__(self, *, grading_id: int):
        self.grading = GradingResult.objects.select_related("attempt__assessment").get(
            pk=grading_id
        )
        self.attempt = self.grading.attempt

    def check(self) -> bool:
        """Whether there is grading to do."""
        return self.grading.status not in FINISHED

    def execute(self) -> GradingResult:
        if not self.check() or not self._started():
            self.grading.refresh_from_db()
            return self.grading
        try:
            result = self._run()
        except NotebookError as exc:
            return self._failed(str(exc))
        with transaction.atomic():
            # A message delivered twice (a worker presumed dead, then the broker's redelivery)
            # may grade twice; only the first to get here records the result.
            locked = GradingResult.objects.select_for_update().get(pk=self.grading.pk)
            if locked.status in FINISHED:
                return locked
            self._result_store(result)
            self._attempt_score()
            evidence_record_graded(
                user=self.attempt.user,
                items=self._cell_items(),
                source_type=SkillEvidence.Source.NOTEBOOK_CELL,
                source_label=self.attempt.assessment.title,
                course=self.attempt.course,
            )
            _completion_evaluate(self.attempt)
            _graded_send(self.attempt, self.grading)
        return self.grading

    def _started(self) -> bool:
        """Mark the grading running, unless another delivery finished it meanwhile."""
        started = (
            GradingResult.objects.filter(pk=self.grading.pk)
            .exclude(status__in=FINISHED)
            .update(status=GradingResult.Status.RUNNING, started_at=timezone.now())
        )
        if started:
            Attempt.objects.filter(pk=self.attempt.pk).update(status=Attempt.Status.GRADING)
        return bool(started)

    def _run(self) -> GradeResult:
        assessment = self.attempt.assessment
        with self.attempt.submission.open("rb") as handle:
            submission = handle.read()
        return grade(assessment.notebook_bytes(), submission, data_files=assessment.data_files())

    def _failed(self, message: str) -> GradingResult:
        failed = (
            GradingResult.objects.filter(pk=self.grading.pk)
            .exclude(status__in=FINISHED)
            .update(
                status=GradingResult.Status.FAILED, error=message[:500], finished_at=timezone.now()
            )
        )
        if failed:
            Attempt.objects.filter(pk=self.attempt.pk).update(status=Attempt.Status.SUBMITTED)
        self.grading.refresh_from_db()
        return self.grading

    def _result_store(self, result: GradeResult) -> None:
        grading = self.grading
        grading.status = GradingResult.Status.DONE
        grading.score = Decimal(str(result.score))
        grading.max_score = Decimal(str(result.max_score))
        grading.cells = [
            {
                "grade_id": c.grade_id,
                "points": c.points,
                "max_points": c.max_points,
                "status": c.status,
                "feedback": c.feedback,
            }
            for c in result.cells
        ]
        grading.duration_s = result.duration_s
        grading.limits_hit = result.limits_hit
        grading.finished_at = timezone.now()
        grading.save()

    def _attempt_score(self) -> None:
        # The late penalty was decided when the notebook was stored; a regrade keeps it.
        raw = self.grading.score
        penalty = self.attempt.late_penalty or Decimal(0)
        Attempt.objects.filter(pk=self.attempt.pk).update(
            status=Attempt.Status.GRADED,
            score=apply_penalty(raw, penalty) if penalty else raw,
            score_before_penalty=raw if penalty else None,
            max_score=self.grading.max_score,
            graded_at=timezone.now(),
            results={c["grade_id"]: c for c in self.grading.cells},
        )
        self.attempt.refresh_from_db()

    def _cell_items(self) -> list[GradedItem]:
        """The graded cells as graded items, one per skill the exercise's skill map names for
        the cell's test (skills are named by ESCO URI)."""
        skill_map = self.attempt.assessment.skill_map or {}
        uris = {item["uri"] for items in skill_map.values() for item in items}
        skills = {s.esco_uri: s for s in Skill.objects.filter(esco_uri__in=uris)}
        return [
            GradedItem(
                skill=skills.get(item.get("uri")),
                level=int(item.get("level") or 1),
                points=cell["points"],
                max_points=cell["max_points"],
                source_id=f"grading:{self.grading.pk}:{cell['grade_id']}",
            )
            for cell in self.grading.cells
            for item in skill_map.get(cell["grade_id"], [])
        ]


def grading_run(*, grading_id: int) -> GradingResult:
    """Grade a stored submission and record the result; see SubmissionGradeAction."""
    return SubmissionGradeAction(grading_id=grading_id).execute()
