"""Scoring of quiz answers: pure functions over a question snapshot and a submitted value.

A question snapshot is the dict stored on the attempt: {"id", "type", "points", "choices":
[{"id", "text", "correct", "feedback"}], "answer", "tolerance", "accepted", "pattern", ...}.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

import regex


class AnswerError(ValueError):
    """A submitted value that does not fit its question (wrong type, unknown choice)."""


@dataclass
class QuestionScore:
    points: Decimal
    max_points: Decimal
    correct: bool
    feedback: list[str] = field(default_factory=list)


def normalise_text(value: str) -> str:
    """Compatibility-normalise, case-fold, trim and collapse inner spaces (한글 stays as is)."""
    value = unicodedata.normalize("NFKC", value)
    return " ".join(value.casefold().split())


def _points(question: dict) -> Decimal:
    return Decimal(str(question.get("points", 1)))


def _round(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def clean_answer(question: dict, value):
    """Check a submitted value against its question and return it in canonical form.

    single choice / true-false → str / bool; multiple choice → sorted list of choice ids;
    numeric → float; short text → str (≤ 500 chars). `None` means "not answered".
    Raises AnswerError for anything else, so tampered posts change nothing.
    """
    if value is None or value == "" or value == []:
        return None
    kind = question["type"]
    choice_ids = {choice["id"] for choice in question.get("choices", [])}
    if kind == "single_choice":
        if not isinstance(value, str) or value not in choice_ids:
            raise AnswerError(_("That choice does not belong to this question."))
        return value
    if kind == "multiple_choice":
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise AnswerError(_("Send a list of choices."))
        if not set(value) <= choice_ids:
            raise AnswerError(_("That choice does not belong to this question."))
        return sorted(set(value))
    if kind == "true_false":
        if isinstance(value, bool):
            return value
        if value in ("true", "false"):
            return value == "true"
        raise AnswerError(_("Answer true or false."))
    if kind == "numeric":
        if isinstance(value, bool):
            raise AnswerError(_("Enter a number."))
        try:
            number = float(str(value).strip().replace(",", ""))
        except ValueError as exc:
            raise AnswerError(_("Enter a number.")) from exc
        if not math.isfinite(number):
            raise AnswerError(_("Enter a number."))
        return number
    if kind == "short_text":
        if not isinstance(value, str) or len(value) > 500:
            raise AnswerError(_("Enter a short text answer (500 characters at most)."))
        return value
    raise AnswerError(_("Unknown question type."))


def score_question(question: dict, value) -> QuestionScore:
    """Score one canonical answer (from clean_answer) against its question."""
    max_points = _points(question)
    kind = question["type"]
    feedback: list[str] = []
    fraction = Decimal(0)
    if value is None:
        return QuestionScore(Decimal(0), max_points, False, feedback)
    if kind in ("single_choice", "multiple_choice"):
        chosen = {value} if kind == "single_choice" else set(value)
        correct_ids = {c["id"] for c in question["choices"] if c["correct"]}
        feedback = [
            c["feedback"] for c in question["choices"] if c["id"] in chosen and c["feedback"]
        ]
        if kind == "single_choice":
            fraction = Decimal(1) if value in correct_ids else Decimal(0)
        else:
            right = len(chosen & correct_ids)
            wrong = len(chosen - correct_ids)
            fraction = max(Decimal(0), Decimal(right - wrong) / Decimal(len(correct_ids)))
    elif kind == "true_false":
        fraction = Decimal(1) if value is bool(question["answer"]) else Decimal(0)
        text = question.get("feedback_true") if value else question.get("feedback_false")
        if text:
            feedback = [text]
    elif kind == "numeric":
        answer = float(question["answer"])
        tolerance = float(question.get("tolerance") or 0)
        # A relative epsilon keeps 0.1 + 0.2 == 0.3 within a zero tolerance.
        slack = tolerance + 1e-9 * max(1.0, abs(answer))
        fraction = Decimal(1) if abs(value - answer) <= slack else Decimal(0)
    elif kind == "short_text":
        given = normalise_text(value)
        accepted = {normalise_text(a) for a in question.get("accepted", [])}
        matched = given in accepted
        pattern = question.get("pattern")
        if not matched and pattern:
            matched = pattern_matches(pattern, given)
        fraction = Decimal(1) if matched else Decimal(0)
    points = _round(max_points * fraction)
    return QuestionScore(points, max_points, points == max_points and max_points > 0, feedback)


PATTERN_TIMEOUT_S = 0.05
"""Longest an instructor's short-text pattern may run on one answer (catastrophic backtracking
cannot hold a web worker); an answer it cannot decide in time does not match."""


def pattern_matches(pattern: str, answer: str) -> bool:
    """Whether ``answer`` matches the instructor's regular expression as a whole, ignoring case.

    Runs with a time limit; an invalid pattern or one that runs out of time is no match.
    """
    try:
        return (
            regex.fullmatch(pattern, answer, flags=regex.IGNORECASE, timeout=PATTERN_TIMEOUT_S)
            is not None
        )
    except (regex.error, TimeoutError):
        return False
