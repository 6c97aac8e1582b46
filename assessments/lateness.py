"""Late policies: pure functions deciding what a submission made after its due date counts for.

No database and no clock: the due date, the policy and the moment of submission are passed in,
so each rule can be tested on its own. A policy is one of

- **penalty** — accepted at any time; each started day late takes ``percent`` off (or a flat
  ``percent`` once), never more than ``cap``;
- **cutoff** — like penalty up to a hard cut-off, refused after it;
- **refuse** — refused once the due date has passed.

The penalty is a share of the score, kept apart from it: the gradebook counts
``score × (100 − penalty) / 100`` and shows the original score beside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

ONE_DAY = timedelta(days=1)
HUNDRED = Decimal(100)


class Policy:
    PENALTY = "penalty"
    CUTOFF = "cutoff"
    REFUSE = "refuse"


class PenaltyKind:
    PER_DAY = "per_day"
    FLAT = "flat"


@dataclass(frozen=True)
class LateRule:
    """A due date and what happens after it (cut-off only for the cutoff policy)."""

    due_at: datetime
    policy: str = Policy.PENALTY
    penalty_kind: str = PenaltyKind.PER_DAY
    percent: Decimal = Decimal(0)
    cap: Decimal = HUNDRED
    cutoff_at: datetime | None = None

    def extended_to(self, due_at: datetime) -> LateRule:
        """The same rule for a learner granted a later due date: a hard cut-off moves with it
        by as much (never before the new due date)."""
        cutoff = self.cutoff_at
        if cutoff is not None and due_at > self.due_at:
            cutoff = cutoff + (due_at - self.due_at)
        return LateRule(due_at, self.policy, self.penalty_kind, self.percent, self.cap, cutoff)


@dataclass(frozen=True)
class Verdict:
    """What a submission at a given moment counts for."""

    accepted: bool
    late: bool
    days_late: int = 0
    penalty: Decimal = Decimal(0)  # percent of the score taken off, 0-100
    closes_at: datetime | None = None  # after this moment nothing more is accepted
    due_at: datetime | None = None  # the due date judged against


def days_late(due_at: datetime, at: datetime) -> int:
    """Started days after the due date (one second late is one day)."""
    if at <= due_at:
        return 0
    return math.ceil((at - due_at) / ONE_DAY)


def closes_at(rule: LateRule) -> datetime | None:
    """The last moment a submission is accepted, or None when it always is."""
    if rule.policy == Policy.REFUSE:
        return rule.due_at
    if rule.policy == Policy.CUTOFF:
        return rule.cutoff_at or rule.due_at
    return None


def judge(rule: LateRule, at: datetime) -> Verdict:
    """The verdict on a submission made at ``at`` under ``rule``."""
    closing = closes_at(rule)
    late = days_late(rule.due_at, at)
    if late == 0:
        return Verdict(True, False, closes_at=closing, due_at=rule.due_at)
    if closing is not None and at > closing:
        return Verdict(False, True, late, closes_at=closing, due_at=rule.due_at)
    penalty = rule.percent if rule.penalty_kind == PenaltyKind.FLAT else rule.percent * late
    penalty = max(Decimal(0), min(penalty, rule.cap, HUNDRED))
    return Verdict(True, True, late, penalty, closing, rule.due_at)


def apply_penalty(score: Decimal, penalty: Decimal) -> Decimal:
    """The score counted after a late penalty (percent), to the cent."""
    kept = score * (HUNDRED - penalty) / HUNDRED
    return kept.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
