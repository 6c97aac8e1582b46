"""At-risk signals measured against each learner's own pace and plan, and the due dates of
their course runs where they have one.

Pure functions over a learner's activity history (no database, no clock: `today` is passed
in), so every rule can be tested on constructed histories. Centres enrol continuously, so
pace is each learner's own:

- **Inactive** — days since the last active day exceed max(INACTIVITY_FACTOR × the learner's
  usual gap, INACTIVITY_FLOOR_DAYS), capped at INACTIVITY_CEILING_DAYS. The usual gap is the
  median gap between consecutive active days over their own history; with too little
  history, NO_RHYTHM_DAYS is used instead.
- **Repeated failures** — at least FAILURES_THRESHOLD failed attempts on assessments that
  evidence the same skill, with no pass of such an assessment after them.
- **Behind plan** — at the pace of their own last PACE_WINDOW_DAYS (their whole history
  when nothing was completed in that window), the lessons still to do would finish after
  the plan's target date; or they have completed nothing at all yet.
- **Deadlines** — (``deadline_flag``) a due date of their course run passed with nothing
  handed in (overdue), or at least LATE_THRESHOLD pieces of work handed in after their due
  date (missed). Learners in no run, or whose run sets no due dates, never get it.

Each flag carries a reason in the active language with the numbers that triggered it.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

INACTIVITY_FACTOR = 2.0
INACTIVITY_FLOOR_DAYS = 7
INACTIVITY_CEILING_DAYS = 42
NO_RHYTHM_DAYS = 14
MIN_ACTIVE_DAYS_FOR_RHYTHM = 3
FAILURES_THRESHOLD = 3
PACE_WINDOW_DAYS = 28
MIN_PACE_WINDOW_DAYS = 7
LATE_THRESHOLD = 2


class Level:
    """How much attention a learner needs, for sorting and badges."""

    NONE = "none"
    WATCH = "watch"
    HIGH = "high"


@dataclass(frozen=True)
class AttemptOutcome:
    """A graded attempt: when (a time, or any value that sorts in grading order), whether
    it passed, and the skills its assessment evidences."""

    when: datetime | int
    passed: bool
    skills: frozenset[str]


@dataclass
class History:
    """What the risk rules read about one learner."""

    active_days: Sequence[date] = ()
    attempts: Sequence[AttemptOutcome] = ()
    lessons_remaining: int = 0
    completed_recently: int = 0  # lessons completed in the last PACE_WINDOW_DAYS
    completed_total: int = 0  # lessons completed over their whole history here
    first_active: date | None = None
    target_date: date | None = None
    deadlines_overdue: int = 0  # due dates passed with nothing handed in
    deadlines_missed: int = 0  # work handed in after its due date


# Bump when a rule, a constant above or what a flag records changes: every stored
# assessment (lms.counselling.models.LearnerRisk) of an older version is computed again.
RULES_VERSION = 3


@dataclass(frozen=True)
class Flag:
    """One risk flag: what triggered it (`params`, JSON-ready) and how much it weighs.

    The reason is written from `params` when read, in the language active then, so a
    stored flag reads in each counsellor's own language."""

    code: str  # inactive, failures, behind_plan, deadlines
    weight: float
    params: dict = field(default_factory=dict, compare=False)

    @property
    def reason(self) -> str:
        return describe(self.code, self.params)

    def as_json(self) -> dict:
        return {"code": self.code, "weight": self.weight, "params": self.params}

    @classmethod
    def from_json(cls, data: dict) -> Flag:
        return cls(data["code"], data["weight"], data.get("params") or {})


@dataclass
class Assessment:
    """The flags of one learner, a score to sort by, and what it was measured against."""

    flags: list[Flag] = field(default_factory=list)
    usual_gap_days: float | None = None
    days_since_active: int | None = None
    projected_finish: date | None = None

    @property
    def score(self) -> float:
        return round(sum(flag.weight for flag in self.flags), 2)

    @property
    def level(self) -> str:
        if not self.flags:
            return Level.NONE
        if len(self.flags) > 1 or self.score >= 2:
            return Level.HIGH
        return Level.WATCH

    @property
    def reasons(self) -> list[str]:
        return [flag.reason for flag in self.flags]


def usual_gap(active_days: Iterable[date]) -> float | None:
    """Median number of days between consecutive active days, or None with too few days."""
    days = sorted({day.toordinal() for day in active_days})
    if len(days) < MIN_ACTIVE_DAYS_FOR_RHYTHM:
        return None
    return float(statistics.median([b - a for a, b in zip(days, days[1:], strict=False)]))


def inactivity_threshold(gap: float | None) -> int:
    """Days of silence that count as a break from this learner's own rhythm."""
    if gap is None:
        return NO_RHYTHM_DAYS
    return min(
        max(math.ceil(INACTIVITY_FACTOR * gap), INACTIVITY_FLOOR_DAYS), INACTIVITY_CEILING_DAYS
    )


def _inactive(history: History, today: date, result: Assessment) -> Flag | None:
    if not history.active_days:
        return None  # never active: nothing to compare with (shown as "no activity yet")
    since = (today - max(history.active_days)).days
    gap = usual_gap(history.active_days)
    threshold = inactivity_threshold(gap)
    result.usual_gap_days, result.days_since_active = gap, since
    if since <= threshold:
        return None
    # Weight grows with how far past their own limit they are, from 1 up to 3.
    params = {"days": since, "gap": gap, "limit": threshold}
    return Flag("inactive", round(min(3.0, since / threshold), 2), params)


def _failures(history: History, skill_labels: dict[str, str | dict]) -> list[Flag]:
    by_skill: dict[str, list[AttemptOutcome]] = {}
    for attempt in sorted(history.attempts, key=lambda a: a.when):
        for skill in attempt.skills:
            by_skill.setdefault(skill, []).append(attempt)
    flags = []
    for skill, attempts in by_skill.items():
        failed_since_pass = 0
        for attempt in attempts:
            failed_since_pass = 0 if attempt.passed else failed_since_pass + 1
        if failed_since_pass >= FAILURES_THRESHOLD:
            params = {
                "count": failed_since_pass,
                "skill": skill,
                "label": skill_labels.get(skill, skill),
            }
            flags.append(Flag("failures", 1.0 + 0.25 * (failed_since_pass - 3), params))
    flags.sort(key=lambda f: -f.weight)
    return flags[:1] + [Flag(f.code, 0.25, f.params) for f in flags[1:]]


def _pace_window(history: History, today: date) -> int:
    if history.first_active is None:
        return PACE_WINDOW_DAYS
    known = (today - history.first_active).days + 1
    return max(MIN_PACE_WINDOW_DAYS, min(PACE_WINDOW_DAYS, known))


def _behind_plan(history: History, today: date, result: Assessment) -> Flag | None:
    target = history.target_date
    if target is None or history.lessons_remaining <= 0:
        return None
    window = _pace_window(history, today)
    per_day = history.completed_recently / window
    if per_day <= 0 and history.completed_total > 0 and history.first_active is not None:
        # Nothing lately: fall back to their pace over their whole history here.
        per_day = history.completed_total / max((today - history.first_active).days + 1, 1)
    if per_day <= 0:
        params = {"left": history.lessons_remaining, "target": target.isoformat()}
        return Flag("behind_plan", 1.5 if target >= today else 2.0, params)
    finish = today + timedelta(days=math.ceil(history.lessons_remaining / per_day))
    result.projected_finish = finish
    if finish <= target:
        return None
    late = (finish - target).days
    params = {
        "pace": round(per_day * 7, 1),
        "left": history.lessons_remaining,
        "finish": finish.isoformat(),
        "late": late,
        "target": target.isoformat(),
    }
    return Flag("behind_plan", round(min(2.0, 1.0 + late / 30), 2), params)


def _label(label: str | dict) -> str:
    """A skill's label in the active language: `label` is the label, or {"en": …, "ko": …}."""
    if isinstance(label, str):
        return label
    korean = (get_language() or "ko").split("-")[0] == "ko"
    return (korean and label.get("ko")) or label.get("en") or ""


def describe(code: str, params: dict) -> str:
    """The reason for a flag, with the numbers that triggered it, in the active language."""
    if code == "inactive":
        if params.get("gap") is None:
            return ngettext(
                "No activity for %(days)d day (too little history for a usual rhythm; "
                "the limit is %(limit)d days).",
                "No activity for %(days)d days (too little history for a usual rhythm; "
                "the limit is %(limit)d days).",
                params["days"],
            ) % {"days": params["days"], "limit": params["limit"]}
        return ngettext(
            "No activity for %(days)d day (usual gap between active days: %(gap)s; "
            "flagged after %(limit)d).",
            "No activity for %(days)d days (usual gap between active days: %(gap)s; "
            "flagged after %(limit)d).",
            params["days"],
        ) % {"days": params["days"], "gap": f"{params['gap']:g}", "limit": params["limit"]}
    if code == "failures":
        return _(
            "%(count)d failed attempts in a row on assessments of “%(skill)s”, with no pass since."
        ) % {"count": params["count"], "skill": _label(params["label"])}
    if code == "behind_plan":
        if "pace" not in params:
            return (
                ngettext(
                    "No lesson completed yet; %(left)d lesson remains before the target date "
                    "%(target)s.",
                    "No lesson completed yet; %(left)d lessons remain before the target date "
                    "%(target)s.",
                    params["left"],
                )
                % params
            )
        return ngettext(
            "At their pace of %(pace)s lessons a week, %(left)d lesson left finishes around "
            "%(finish)s, %(late)d days after the target date %(target)s.",
            "At their pace of %(pace)s lessons a week, %(left)d lessons left finish around "
            "%(finish)s, %(late)d days after the target date %(target)s.",
            params["left"],
        ) % {**params, "pace": f"{params['pace']:.1f}"}
    if code == "deadlines":
        parts = []
        if params["overdue"] > 0:
            parts.append(
                ngettext(
                    "%(count)d due date passed with nothing handed in.",
                    "%(count)d due dates passed with nothing handed in.",
                    params["overdue"],
                )
                % {"count": params["overdue"]}
            )
        if params["missed"] > 0:
            parts.append(
                ngettext(
                    "%(count)d piece of work handed in after its due date.",
                    "%(count)d pieces of work handed in after their due dates.",
                    params["missed"],
                )
                % {"count": params["missed"]}
            )
        return " ".join(parts)
    return code


def deadline_flag(*, overdue: int, missed: int) -> Flag | None:
    """The deadlines flag from two counts over the learner's course runs (see
    ``assessments.deadlines.deadline_counts``): due dates passed with nothing handed in, and
    work handed in late. One overdue item is worth watching (1.0), each more adds 0.5; late
    work adds 0.25 each; at most 3."""
    if overdue <= 0 and missed < LATE_THRESHOLD:
        return None
    weight = (1.0 + 0.5 * (overdue - 1) if overdue > 0 else 0.0) + 0.25 * missed
    return Flag("deadlines", round(min(3.0, weight), 2), {"overdue": overdue, "missed": missed})


def assess(
    history: History, *, today: date, skill_labels: dict[str, str | dict] | None = None
) -> Assessment:
    """Every flag for one learner on `today`, with its reasons. A skill's label is a string
    or {"en": …, "ko": …}, read in the language active when the reason is."""
    result = Assessment()
    inactive = _inactive(history, today, result)
    if inactive:
        result.flags.append(inactive)
    result.flags.extend(_failures(history, skill_labels or {}))
    behind = _behind_plan(history, today, result)
    if behind:
        result.flags.append(behind)
    deadlines = deadline_flag(overdue=history.deadlines_overdue, missed=history.deadlines_missed)
    if deadlines:
        result.flags.append(deadlines)
    return result
