"""Writes of the learning records: record statements in the outbox, deliver them, configure
the stores.

Recording happens inside the transaction of the event (the receivers of the in-transaction
signals call the `record_*` functions), so a statement exists exactly when its event does.
Delivery claims due statements for a short lease, posts them, and marks them sent; a store
that is down or slow leaves them waiting with an exponential backoff. Nothing is sent twice
under one id, and an LRS keeps one statement per id whatever happens in between.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

import requests

from assessments.models import Attempt, GradingResult
from courses.models import CoursePage, LessonPage
from hub_sites.models import Centre
from lms.certificates.models import Certificate
from lms.learning.models import Enrolment, LessonProgress

from . import statements as xs
from .credentials import encrypt
from .models import LearnerAlias, LrsEndpoint, OutboxStatement
from .selectors import (
    Store,
    course_failed,
    due_statements,
    enrolment_of,
    pass_mark_of,
    records_for,
    store_for,
)

log = logging.getLogger(__name__)

PLATFORM = "Dasi"
BATCH_SIZE = 200  # statements per POST
LEASE = timedelta(seconds=60)  # a claimed statement is not claimed again before this
MAX_BACKOFF = timedelta(hours=1)


# --- Recording -----------------------------------------------------------------------------


def _home_page(centre: Centre) -> str:
    return centre.site.root_url.rstrip("/") + "/"


def _actor(*, user, centre: Centre) -> xs.Actor:
    alias, _created = LearnerAlias.objects.get_or_create(user=user, centre=centre)
    return xs.Actor(home_page=_home_page(centre), name=str(alias.alias))


def _language(page) -> str:
    return page.locale.language_code if page is not None else settings.LANGUAGE_CODE


def _activity(centre: Centre, kind: str, key: str, name: str, language: str) -> xs.Activity:
    """Activities are named under the centre's site and never change when a title or slug
    does: `<site>/xapi/activities/<kind>/<key>`."""
    iri = f"{_home_page(centre)}xapi/activities/{kind}/{key}"
    return xs.Activity(iri=iri, kind=kind, name=name, language=language)


def _course(centre: Centre, course: CoursePage) -> xs.Activity:
    return _activity(centre, "course", str(course.pk), course.title, _language(course))


def statement_record(*, centre: Centre, body: dict) -> bool:
    """Put a statement in the outbox (in the caller's transaction; the caller queues the
    delivery after commit). Recording the same event again changes nothing. Returns whether
    it was new."""
    created = OutboxStatement.objects.bulk_create(
        [
            OutboxStatement(
                id=body["id"],
                centre=centre,
                verb=body["verb"]["id"],
                body=body,
                next_attempt_at=timezone.now(),
            )
        ],
        ignore_conflicts=True,
    )
    return bool(created)


def _record(
    *,
    enrolment: Enrolment,
    identity: str,
    verb: str,
    activity: xs.Activity,
    when: datetime,
    parents=None,
    result=None,
    extensions=None,
) -> bool:
    centre = enrolment.centre
    if not records_for(centre=centre):
        return False
    home = _home_page(centre)
    course = enrolment.course
    return statement_record(
        centre=centre,
        body=xs.statement(
            identity=f"{home}|{identity}",
            verb=verb,
            actor=_actor(user=enrolment.user, centre=centre),
            activity=activity,
            when=when,
            platform=PLATFORM,
            language=_language(course),
            registration=xs.registration_id(enrolment.pk, home),
            parents=parents,
            result=result,
            extensions=extensions,
        ),
    )


def record_registered(*, enrolment: Enrolment) -> bool:
    """registered: a learner enrolled in a course."""
    return _record(
        enrolment=enrolment,
        identity=f"enrolment:{enrolment.pk}:registered",
        verb="registered",
        activity=_course(enrolment.centre, enrolment.course),
        when=enrolment.enrolled_at,
    )


def _lesson(enrolment: Enrolment, lesson: LessonPage) -> xs.Activity:
    return _activity(enrolment.centre, "lesson", str(lesson.pk), lesson.title, _language(lesson))


def record_lesson(*, progress: LessonProgress, verb: str) -> bool:
    """launched (first opened) or experienced (completed): a learner and a lesson."""
    enrolment = progress.enrolment
    when = progress.completed_at if verb == "experienced" else progress.started_at
    return _record(
        enrolment=enrolment,
        identity=f"progress:{progress.pk}:{verb}",
        verb=verb,
        activity=_lesson(enrolment, progress.lesson),
        when=when or timezone.now(),
        parents=[_course(enrolment.centre, enrolment.course)],
    )


def _extension(name: str) -> str:
    return settings.DASI_XAPI_EXTENSIONS_BASE.rstrip("/") + "/" + name


def record_graded(*, attempt: Attempt, grading: GradingResult | None) -> bool:
    """A graded attempt: a quiz is answered question by question and completed with its
    score; a notebook grading is completed with its score and each test's result. A course
    that can no longer be passed because of it is failed."""
    enrolment = enrolment_of(user_id=attempt.user_id, course_id=attempt.course_id)
    if enrolment is None or not records_for(centre=enrolment.centre):
        return False
    assessment = attempt.assessment
    course = _course(enrolment.centre, enrolment.course)
    activity = _activity(
        enrolment.centre,
        "assessment",
        str(assessment.pk),
        assessment.title,
        _language(enrolment.course),
    )
    when = attempt.graded_at or timezone.now()
    if grading is None:
        maximum = sum((Decimal(r["max_points"]) for r in attempt.results.values()), Decimal(0))
        points = attempt.score or Decimal(0)
        identity = f"attempt:{attempt.pk}"
        extensions = None
        for question in attempt.questions:
            outcome = attempt.results.get(question["id"], {})
            _record(
                enrolment=enrolment,
                identity=f"{identity}:question:{question['id']}:answered",
                verb="answered",
                activity=_activity(
                    enrolment.centre,
                    "question",
                    f"{assessment.pk}-{question['id']}",
                    strip_tags(str(question.get("prompt") or ""))[:200] or question["id"],
                    _language(enrolment.course),
                ),
                when=when,
                parents=[activity, course],
                result={
                    "score": xs.score(outcome.get("points", 0), outcome.get("max_points", 0)),
                    "success": bool(outcome.get("correct")),
                },
            )
    else:
        maximum = grading.max_score or Decimal(0)
        points = grading.score or Decimal(0)
        identity = f"grading:{grading.pk}"
        extensions = {
            _extension("tests"): [
                {
                    "test": cell["grade_id"],
                    "points": float(cell["points"]),
                    "max_points": float(cell["max_points"]),
                    "status": cell["status"],
                }
                for cell in grading.cells
            ]
        }
    scored = xs.score(points, maximum)
    pass_mark = pass_mark_of(assessment=assessment, course=enrolment.course)
    result = {
        "score": scored,
        "success": scored["scaled"] * 100 >= pass_mark,
        "completion": True,
    }
    if extensions:
        result["extensions"] = extensions
    _record(
        enrolment=enrolment,
        identity=f"{identity}:completed",
        verb="completed",
        activity=activity,
        when=when,
        parents=[course],
        result=result,
    )
    if course_failed(enrolment=enrolment):
        _record(
            enrolment=enrolment,
            identity=f"enrolment:{enrolment.pk}:failed",
            verb="failed",
            activity=course,
            when=when,
            result={"success": False, "completion": False},
        )
    return True


def record_passed(*, enrolment: Enrolment) -> bool:
    """passed: the enrolment met the course's completion rule."""
    return _record(
        enrolment=enrolment,
        identity=f"enrolment:{enrolment.pk}:passed",
        verb="passed",
        activity=_course(enrolment.centre, enrolment.course),
        when=enrolment.completed_at or timezone.now(),
        result={"success": True, "completion": True},
    )


def record_earned(*, certificate: Certificate) -> bool:
    """earned: a certificate (an Open Badges credential) was issued to the learner."""
    enrolment = certificate.enrolment or enrolment_of(
        user_id=certificate.user_id, course_id=certificate.course_id
    )
    if enrolment is None:
        return False
    return _record(
        enrolment=enrolment,
        identity=f"certificate:{certificate.pk}:earned",
        verb="earned",
        # The achievement (the course's certificate), not this certificate's verify page,
        # which shows the learner's name: the store must not be able to tell who earned it.
        activity=_activity(
            enrolment.centre,
            "certificate",
            str(certificate.course_id),
            certificate.course_title,
            certificate.language,
        ),
        when=certificate.issued_at,
        parents=[_course(enrolment.centre, enrolment.course)],
    )


# --- Delivery -----------------------------------------------------------------------------


@dataclass
class Delivery:
    """What one delivery round did."""

    sent: int = 0
    rejected: int = 0
    waiting: int = 0
    errors: list[str] = field(default_factory=list)


def _claim(limit: int, now: datetime) -> list[OutboxStatement]:
    """Take up to `limit` due statements for a lease, so parallel workers share the work."""
    with transaction.atomic():
        rows = list(due_statements(now=now).select_for_update(skip_locked=True)[:limit])
        OutboxStatement.objects.filter(pk__in=[r.pk for r in rows]).update(
            next_attempt_at=now + LEASE
        )
    return rows


def _backoff(attempts: int) -> timedelta:
    return min(timedelta(seconds=2**attempts), MAX_BACKOFF)


class StoreError(Exception):
    """The store could not take the statements now (down, slow, refusing us): retry later."""


def _post(session: requests.Session, store: Store, bodies: list[dict]) -> requests.Response:
    try:
        return session.post(
            store.statements_url,
            json=bodies,
            auth=(store.username, store.password),
            headers={"X-Experience-API-Version": xs.XAPI_VERSION},
            timeout=settings.DASI_XAPI_TIMEOUT,
        )
    except requests.RequestException as exc:
        raise StoreError(f"{type(exc).__name__}: {exc}"[:500]) from exc


def _send(session, store: Store, rows: list[OutboxStatement], report: Delivery) -> None:
    """Post a batch; a batch the store refuses as a whole is retried one by one, so one bad
    statement cannot hold the others back."""
    response = _post(session, store, [r.body for r in rows])
    if response.status_code in (200, 204):
        _mark_sent(rows, report)
    elif response.status_code in (400, 409) and len(rows) > 1:
        for row in rows:
            _send(session, store, [row], report)
    elif response.status_code == 409:
        # A statement with this id is stored already: ours, sent before a lost reply.
        _mark_sent(rows, report)
    elif response.status_code == 400:
        message = response.text[:500]
        OutboxStatement.objects.filter(pk=rows[0].pk).update(
            status=OutboxStatement.Status.REJECTED, last_error=message
        )
        log.warning("LRS rejected statement %s: %s", rows[0].pk, message)
        report.rejected += 1
    else:
        raise StoreError(f"HTTP {response.status_code}: {response.text[:400]}")


def _mark_sent(rows: list[OutboxStatement], report: Delivery) -> None:
    OutboxStatement.objects.filter(pk__in=[r.pk for r in rows]).update(
        status=OutboxStatement.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    report.sent += len(rows)


def _wait(rows: list[OutboxStatement], error: str, now: datetime, report: Delivery) -> None:
    for row in rows:
        OutboxStatement.objects.filter(pk=row.pk).update(
            attempts=row.attempts + 1,
            next_attempt_at=now + _backoff(row.attempts + 1),
            last_error=error,
        )
    report.waiting += len(rows)
    report.errors.append(error)


def outbox_deliver(*, limit: int = 2000, now: datetime | None = None) -> Delivery:
    """Send up to `limit` due statements to their stores, in batches per store.

    A store that fails (network, 5xx, 401) leaves its statements waiting with an exponential
    backoff (2, 4, 8 … s, at most an hour); a statement the store rejects as invalid is set
    aside as rejected. Statements of a centre whose store is disabled wait.
    """
    now = now or timezone.now()
    report = Delivery()
    rows = _claim(limit, now)
    stores: dict[int, Store | None] = {}
    groups: dict[str, tuple[Store, list[OutboxStatement]]] = defaultdict(lambda: (None, []))
    for row in rows:
        if row.centre_id not in stores:
            stores[row.centre_id] = store_for(centre_id=row.centre_id)
        store = stores[row.centre_id]
        if store is None or not store.enabled:
            _wait([row], _("No learning record store is enabled for this centre."), now, report)
            continue
        groups[store.key] = (store, [*groups[store.key][1], row])
    with requests.Session() as session:
        for store, batch in groups.values():
            for start in range(0, len(batch), BATCH_SIZE):
                chunk = batch[start : start + BATCH_SIZE]
                try:
                    _send(session, store, chunk, report)
                except StoreError as exc:
                    log.info("LRS %s unavailable: %s", store.url, exc)
                    _wait(chunk, str(exc), now, report)
    return report


# --- Configuration --------------------------------------------------------------------------


def lrs_endpoint_save(
    *,
    centre: Centre | None,
    url: str,
    username: str,
    password: str | None = None,
    enabled: bool = True,
) -> LrsEndpoint:
    """Create or change the store of a centre (or the platform's, centre None). An empty
    password keeps the stored one; a new store needs one."""
    endpoint = LrsEndpoint.objects.filter(centre=centre).first() or LrsEndpoint(centre=centre)
    endpoint.url = url
    endpoint.username = username
    endpoint.enabled = enabled
    if password:
        endpoint.password_encrypted = encrypt(password)
    elif endpoint.pk is None:
        raise ValidationError({"password": _("Give the store's secret.")})
    endpoint.full_clean()
    endpoint.save()
    return endpoint
