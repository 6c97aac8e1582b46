"""Due dates of course runs (cohorts): reads (what is due for whom) and writes (extensions,
learners placed in a run, calendar feeds).

Kept apart from the attempt services: those call ``late_rule_for`` at the one place each kind
of work is accepted (``attempt_submit`` / ``_grade`` for quizzes, ``submission_create`` for
notebooks) and record the verdict on the attempt.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.accounts.models import Role
from lms.accounts.selectors import centres_where
from lms.learning.models import Cohort, Enrolment

from .lateness import LateRule, Verdict, closes_at, judge
from .models import Attempt, CalendarFeed, DueDate, Extension

GRANT_ROLES = [Role.INSTRUCTOR, Role.CENTRE_ADMIN]

# --- Reads --------------------------------------------------------------------------------


def _latest_extensions(*, user_ids, due_date_ids) -> dict[tuple[int, int], Extension]:
    """The extension in force per (user, due date): the newest grant."""
    latest: dict[tuple[int, int], Extension] = {}
    for extension in Extension.objects.filter(
        user_id__in=user_ids, due_date_id__in=due_date_ids
    ).order_by("granted_at", "pk"):
        latest[(extension.user_id, extension.due_date_id)] = extension
    return latest


def late_rule_for(*, user_id: int, assessment_id: int, course_id: int) -> LateRule | None:
    """The late rule a learner's work on an assessment is held to in a course: their run's due
    date, moved by their newest extension; None when their run sets no due date (or they are
    in no run)."""
    due_date = (
        DueDate.objects.filter(
            assessment_id=assessment_id,
            cohort__enrolments__user_id=user_id,
            cohort__enrolments__course_id=course_id,
            cohort__course_id=course_id,
        )
        .select_related("cohort")
        .first()
    )
    if due_date is None:
        return None
    rule = due_date.rule()
    extension = (
        Extension.objects.filter(due_date=due_date, user_id=user_id)
        .order_by("-granted_at", "-pk")
        .first()
    )
    return rule.extended_to(extension.due_at) if extension else rule


def late_verdict(*, user_id: int, assessment_id: int, course_id: int, at: datetime) -> Verdict:
    """What work handed in at ``at`` counts for (on time when no due date applies)."""
    rule = late_rule_for(user_id=user_id, assessment_id=assessment_id, course_id=course_id)
    if rule is None:
        return Verdict(True, False)
    return judge(rule, at)


def local_text(moment: datetime) -> str:
    """A moment in the centres' time zone, as shown to people (2027-03-14 23:59)."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


@dataclass
class DeadlineItem:
    """One due date as a learner sees it."""

    due_date: DueDate
    enrolment: Enrolment
    due_at: datetime  # the learner's own: extended when granted
    extended: bool
    closes_at: datetime | None
    state: str  # upcoming, overdue, closed, done, done_late
    submitted_at: datetime | None = None

    @property
    def title(self) -> str:
        return self.due_date.assessment.title

    @property
    def is_open(self) -> bool:
        return self.state in ("upcoming", "overdue")


def _state(*, due_at, closing, submitted_at, now) -> str:
    if submitted_at is not None:
        return "done_late" if submitted_at > due_at else "done"
    if now <= due_at:
        return "upcoming"
    if closing is not None and now > closing:
        return "closed"
    return "overdue"


def deadlines_of(*, user, now: datetime | None = None) -> list[DeadlineItem]:
    """Every due date of the learner's course runs, soonest first, each with its state:
    upcoming, overdue (late but still accepted), closed (no longer accepted), done or
    done_late (first work handed in after the due date). Four queries."""
    now = now or timezone.now()
    enrolments = {
        e.cohort_id: e
        for e in Enrolment.objects.filter(user=user, cohort__isnull=False).select_related(
            "course", "cohort"
        )
    }
    due_dates = list(
        DueDate.objects.filter(cohort_id__in=enrolments)
        .select_related("assessment", "cohort")
        .order_by("due_at", "pk")
    )
    extensions = _latest_extensions(user_ids=[user.pk], due_date_ids=[d.pk for d in due_dates])
    first_submitted = _first_submissions(
        user_ids=[user.pk], pairs={(d.assessment_id, d.cohort.course_id) for d in due_dates}
    )
    items = []
    for due_date in due_dates:
        rule = due_date.rule()
        extension = extensions.get((user.pk, due_date.pk))
        if extension is not None:
            rule = rule.extended_to(extension.due_at)
        key = (user.pk, due_date.assessment_id, due_date.cohort.course_id)
        submitted = first_submitted.get(key)
        closing = closes_at(rule)
        items.append(
            DeadlineItem(
                due_date=due_date,
                enrolment=enrolments[due_date.cohort_id],
                due_at=rule.due_at,
                extended=extension is not None,
                closes_at=closing,
                state=_state(due_at=rule.due_at, closing=closing, submitted_at=submitted, now=now),
                submitted_at=submitted,
            )
        )
    items.sort(key=lambda item: (item.due_at, item.due_date.pk))
    return items


def _first_submissions(*, user_ids, pairs) -> dict[tuple[int, int, int], datetime]:
    """When each learner first handed in work on (assessment, course)."""
    if not pairs:
        return {}
    first: dict[tuple[int, int, int], datetime] = {}
    rows = (
        Attempt.objects.filter(
            user_id__in=user_ids,
            assessment_id__in={a for a, _ in pairs},
            course_id__in={c for _, c in pairs},
            submitted_at__isnull=False,
        )
        .order_by("submitted_at")
        .values_list("user_id", "assessment_id", "course_id", "submitted_at")
    )
    for user_id, assessment_id, course_id, submitted_at in rows:
        first.setdefault((user_id, assessment_id, course_id), submitted_at)
    return first


def deadline_counts(
    *, learner_ids, centre, now: datetime | None = None, runs=None
) -> dict[int, dict]:
    """Per learner of the centre's runs: how many due dates passed with work handed in late
    (``missed``) and how many are past due with nothing handed in (``overdue``, including
    those now closed). At most four queries whatever the number of learners; none when
    ``runs``, the (learner id, run id) pairs of their enrolments at the centre, is given and
    empty (a caller that read the enrolments already)."""
    now = now or timezone.now()
    if runs is None:
        runs = Enrolment.objects.filter(
            user_id__in=learner_ids, centre=centre, cohort__isnull=False
        ).values_list("user_id", "cohort_id")
    by_cohort: dict[int, list[int]] = defaultdict(list)
    for user_id, cohort_id in runs:
        if cohort_id is not None:
            by_cohort[cohort_id].append(user_id)
    if not by_cohort:
        return {}
    due_dates = list(
        DueDate.objects.filter(cohort_id__in=by_cohort, due_at__lt=now).select_related("cohort")
    )
    users = {u for members in by_cohort.values() for u in members}
    extensions = _latest_extensions(user_ids=users, due_date_ids=[d.pk for d in due_dates])
    first = _first_submissions(
        user_ids=users, pairs={(d.assessment_id, d.cohort.course_id) for d in due_dates}
    )
    counts: dict[int, dict] = defaultdict(lambda: {"missed": 0, "overdue": 0})
    for due_date in due_dates:
        for user_id in by_cohort[due_date.cohort_id]:
            extension = extensions.get((user_id, due_date.pk))
            due_at = extension.due_at if extension else due_date.due_at
            if due_at >= now:
                continue
            submitted = first.get((user_id, due_date.assessment_id, due_date.cohort.course_id))
            if submitted is None:
                counts[user_id]["overdue"] += 1
            elif submitted > due_at:
                counts[user_id]["missed"] += 1
    return dict(counts)


def cohorts_for_staff(*, user) -> QuerySet[Cohort]:
    """Course runs of the centres where the user may grant extensions."""
    return Cohort.objects.filter(centre__in=centres_where(user=user, roles=GRANT_ROLES))


def extensions_for_staff(*, user) -> QuerySet[Extension]:
    """Extensions granted in the user's centres, newest first."""
    return Extension.objects.filter(
        due_date__cohort__centre__in=centres_where(user=user, roles=GRANT_ROLES)
    ).select_related("due_date__assessment", "due_date__cohort", "user", "granted_by")


def calendar_feed_user(*, token: str):
    """The learner whose active feed the token opens, or None (unknown or revoked)."""
    if not token or len(token) > 100:
        return None
    digest = hashlib.sha256(token.encode()).hexdigest()
    feed = (
        CalendarFeed.objects.filter(token_sha256=digest, revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if feed is None or not feed.user.is_active:
        return None
    return feed.user


def calendar_feed_active(*, user) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


DASHBOARD_NEXT = 5


def dashboard_deadlines(*, user, request, rows) -> dict:
    """What is due for "My learning" (the `learning_dashboard_context` hook): the next open
    due dates and how many are overdue."""
    items = deadlines_of(user=user)
    open_items = [item for item in items if item.is_open]
    if not items:
        return {}
    return {
        "deadlines": {
            "next": open_items[:DASHBOARD_NEXT],
            "overdue": sum(1 for item in open_items if item.state == "overdue"),
            "more": max(len(open_items) - DASHBOARD_NEXT, 0),
        }
    }


def _policy_text(item: DeadlineItem) -> str:
    due_date = item.due_date
    if due_date.policy == DueDate.Policy.REFUSE:
        return _("Late work is not accepted.")
    if due_date.penalty_kind == DueDate.PenaltyKind.FLAT:
        penalty = _("Late work loses %(percent)s%%.") % {"percent": f"{due_date.penalty_percent:g}"}
    else:
        penalty = _("Late work loses %(percent)s%% per day late (at most %(cap)s%%).") % {
            "percent": f"{due_date.penalty_percent:g}",
            "cap": f"{due_date.penalty_cap:g}",
        }
    if item.closes_at is not None:
        penalty += " " + _("Nothing is accepted after %(cutoff)s.") % {
            "cutoff": local_text(item.closes_at)
        }
    return penalty


STATE_LABELS = {
    "upcoming": gettext_lazy("Due"),
    "overdue": gettext_lazy("Overdue"),
    "closed": gettext_lazy("Closed"),
    "done": gettext_lazy("Handed in"),
    "done_late": gettext_lazy("Handed in late"),
}


def calendar_ics(*, user, base_url: str, now: datetime | None = None) -> bytes:
    """The learner's due dates as an RFC 5545 calendar, one event per due date at its (own,
    extended) moment, in the active language. Titles and policies only: no grades."""
    from icalendar import Calendar, Event

    now = now or timezone.now()
    cal = Calendar()
    cal.add("prodid", "-//Dasi//Deadlines//KO")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _("Dasi due dates"))
    cal.add("x-wr-timezone", timezone.get_current_timezone_name())
    host = base_url.split("//", 1)[-1].strip("/") or "dasi"
    for item in deadlines_of(user=user, now=now):
        event = Event()
        event.add("uid", f"due-{item.due_date.pk}-{user.pk}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", item.due_at)
        event.add("dtend", item.due_at)
        event.add(
            "summary",
            _("%(state)s: %(title)s") % {"state": STATE_LABELS[item.state], "title": item.title},
        )
        lines = [item.enrolment.course.title, item.due_date.cohort.title, _policy_text(item)]
        if item.extended:
            lines.append(_("Extended for you."))
        event.add("description", "\n".join(str(line) for line in lines))
        event.add("url", base_url.rstrip("/") + reverse("assessments:calendar"))
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()


# --- Writes -------------------------------------------------------------------------------


@transaction.atomic
def extension_grant(
    *, granted_by, due_date: DueDate, user, due_at: datetime, reason: str
) -> Extension:
    """Give one learner of a course run a later due date, with the reason, on record.

    Refuses, changing nothing, a granter who is not an instructor or admin of the run's centre,
    a learner not in the run, an empty reason, or a new date that is not later than both now
    and the run's due date. The earlier grants stay (the newest is in force).
    """
    cohort = due_date.cohort
    if not (
        granted_by.is_authenticated
        and centres_where(user=granted_by, roles=GRANT_ROLES).filter(pk=cohort.centre_id).exists()
    ):
        raise PermissionDenied(_("Only this centre's instructors can grant extensions."))
    if not Enrolment.objects.filter(user=user, cohort=cohort).exists():
        raise ValidationError(
            {"user": _("This learner is not in the course run %(run)s.") % {"run": cohort}}
        )
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = _("Say why the extension is granted.")
    if due_at is None or due_at <= timezone.now():
        errors["due_at"] = _("The new due date must be in the future.")
    elif due_at <= due_date.due_at:
        errors["due_at"] = _("The new due date must be after the run's due date (%(due)s).") % {
            "due": local_text(due_date.due_at)
        }
    if errors:
        raise ValidationError(errors)
    extension = Extension(
        due_date=due_date, user=user, due_at=due_at, reason=reason, granted_by=granted_by
    )
    extension.full_clean()
    extension.save()
    return extension


@transaction.atomic
def calendar_feed_create(*, user) -> tuple[CalendarFeed, str]:
    """A new secret calendar address for the learner; any earlier one stops working.
    Returns the feed and its token (shown once: only its hash is kept)."""
    CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(
        user=user, token_sha256=hashlib.sha256(token.encode()).hexdigest()
    )
    return feed, token


def calendar_feed_revoke(*, user) -> int:
    """Stop the learner's calendar address; returns how many were active (0 or 1)."""
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
