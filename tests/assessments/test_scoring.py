"""Scoring of every question type, including the edge cases learners meet."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assessments.scoring import AnswerError, clean_answer, normalise_text, score_question

CHOICES = [
    {"id": "c0", "text": "a", "correct": True, "feedback": "yes"},
    {"id": "c1", "text": "b", "correct": True, "feedback": ""},
    {"id": "c2", "text": "c", "correct": False, "feedback": "no"},
    {"id": "c3", "text": "d", "correct": False, "feedback": ""},
]


def q(kind, **extra):
    return {"id": "q1", "type": kind, "points": "4", **extra}


def test_single_choice_full_or_nothing_with_feedback():
    question = q("single_choice", choices=[{**CHOICES[0]}, {**CHOICES[2]}])
    right = score_question(question, clean_answer(question, "c0"))
    assert (right.points, right.correct, right.feedback) == (Decimal("4.00"), True, ["yes"])
    wrong = score_question(question, clean_answer(question, "c2"))
    assert (wrong.points, wrong.correct, wrong.feedback) == (Decimal("0.00"), False, ["no"])


@pytest.mark.parametrize(
    ("chosen", "points"),
    [
        (["c0", "c1"], "4.00"),  # all correct
        (["c0"], "2.00"),  # half the correct ones
        (["c0", "c2"], "0.00"),  # one right, one wrong
        (["c0", "c1", "c2"], "2.00"),  # two right, one wrong → (2-1)/2
        (["c2", "c3"], "0.00"),  # never below zero
        (["c0", "c1", "c2", "c3"], "0.00"),  # choosing everything earns nothing
    ],
)
def test_multiple_choice_partial_credit(chosen, points):
    question = q("multiple_choice", choices=CHOICES)
    assert score_question(question, clean_answer(question, chosen)).points == Decimal(points)


def test_multiple_choice_ignores_duplicate_picks():
    question = q("multiple_choice", choices=CHOICES)
    assert clean_answer(question, ["c1", "c0", "c1"]) == ["c0", "c1"]


def test_true_false_accepts_booleans_and_form_strings():
    question = q("true_false", answer=False, feedback_true="", feedback_false="right")
    assert score_question(question, clean_answer(question, "false")).points == Decimal("4.00")
    result = score_question(question, clean_answer(question, True))
    assert result.points == Decimal("0.00")
    with pytest.raises(AnswerError):
        clean_answer(question, "maybe")


@pytest.mark.parametrize(
    ("given", "correct"),
    [
        ("0.3", True),
        ("0.30000000000000004", True),
        ("1,000", False),
        (" 0.35 ", False),
        (0.3, True),
    ],
)
def test_numeric_exact(given, correct):
    question = q("numeric", answer=0.3, tolerance=0)
    assert score_question(question, clean_answer(question, given)).correct is correct


def test_numeric_tolerance_is_inclusive():
    question = q("numeric", answer=100, tolerance=5)
    assert score_question(question, clean_answer(question, "105")).correct
    assert score_question(question, clean_answer(question, "94.99")).correct is False
    assert clean_answer(q("numeric", answer=1000, tolerance=0), "1,000") == 1000.0


@pytest.mark.parametrize("bad", ["abc", "nan", "inf", True, [1]])
def test_numeric_rejects_non_numbers(bad):
    with pytest.raises(AnswerError):
        clean_answer(q("numeric", answer=1, tolerance=0), bad)


@pytest.mark.parametrize(
    ("given", "correct"),
    [
        ("Pandas", True),
        ("  PANDAS ", True),
        ("판다스", True),
        ("pandas lib", False),
        ("ｐａｎｄａｓ", True),
    ],
)
def test_short_text_normalised_match(given, correct):
    question = q("short_text", accepted=["pandas", "판다스"], pattern="")
    assert score_question(question, clean_answer(question, given)).correct is correct


def test_short_text_regular_expression():
    question = q("short_text", accepted=[], pattern=r"pd\.read_csv\(.*\)")
    assert score_question(question, clean_answer(question, "pd.read_csv('a.csv')")).correct
    assert not score_question(question, clean_answer(question, "x pd.read_csv('a.csv')")).correct


def test_catastrophic_pattern_is_stopped_and_does_not_match():
    # (a+)+$ backtracks exponentially on a long run of "a" followed by "b": without a time limit
    # this one answer would hold a web worker for hours.
    question = q("short_text", accepted=[], pattern=r"(a+)+$")
    result = score_question(question, clean_answer(question, "a" * 40 + "b"))
    assert not result.correct
    assert score_question(question, clean_answer(question, "aaaa")).correct


def test_invalid_pattern_does_not_match():
    question = q("short_text", accepted=[], pattern=r"(unclosed")
    assert not score_question(question, clean_answer(question, "(unclosed")).correct


def test_unanswered_scores_zero():
    question = q("single_choice", choices=CHOICES[:2])
    assert clean_answer(question, "") is None
    assert score_question(question, None).points == Decimal(0)


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("single_choice", "c9"),
        ("single_choice", ["c0"]),
        ("multiple_choice", ["c0", "zz"]),
        ("multiple_choice", [1, 2]),
        ("short_text", "x" * 501),
        ("short_text", 5),
    ],
)
def test_tampered_values_are_refused(kind, value):
    with pytest.raises(AnswerError):
        clean_answer(q(kind, choices=CHOICES, accepted=["a"], pattern=""), value)


def test_normalise_text():
    assert normalise_text("  Hello\u3000World ") == "hello world"
