"""xAPI 1.0.3 statements, built from plain values (no Django): ids, verbs, actors, results.

Verbs are ADL's (http://adlnet.gov/expapi/verbs/), except "earned", which ADL's vocabulary
lacks and the xAPI registry (id.tincanapi.com) carries. Activity types are ADL's too. Each
statement's id is a UUID v5 of what happened ("enrolment:12:registered"), so recording or
sending an event twice names the same statement, which a store keeps once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

XAPI_VERSION = "1.0.3"
# The namespace of Dasi's statement ids (any fixed UUID; never change it).
STATEMENT_NAMESPACE = uuid.UUID("746da2df-d958-4a23-9095-b0a2eb32796f")

ADL = "http://adlnet.gov/expapi/verbs/"
VERBS: dict[str, dict] = {
    name: {"id": ADL + name, "display": {"en-US": name}}
    for name in (
        "registered",
        "launched",
        "experienced",
        "answered",
        "completed",
        "passed",
        "failed",
    )
}
VERBS["earned"] = {"id": "http://id.tincanapi.com/verb/earned", "display": {"en-US": "earned"}}

ACTIVITY = "http://adlnet.gov/expapi/activities/"
ACTIVITY_TYPES = {
    "course": ACTIVITY + "course",
    "lesson": ACTIVITY + "lesson",
    "assessment": ACTIVITY + "assessment",
    "question": ACTIVITY + "cmi.interaction",
    "certificate": "http://activitystrea.ms/schema/1.0/badge",
}


def statement_id(identity: str) -> uuid.UUID:
    """The statement id of an event, the same every time: `identity` names the event."""
    return uuid.uuid5(STATEMENT_NAMESPACE, identity)


def registration_id(enrolment_id: int, home_page: str) -> str:
    """The xAPI registration of an enrolment: one UUID per learner × course attempt."""
    return str(uuid.uuid5(STATEMENT_NAMESPACE, f"{home_page}|registration:{enrolment_id}"))


def timestamp(moment: datetime) -> str:
    """ISO 8601 with a time zone, milliseconds at most (xAPI 1.0.3 §4.5)."""
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Actor:
    home_page: str  # the centre's site
    name: str  # an opaque, stable alias: never an e-mail or user name

    def as_xapi(self) -> dict:
        return {"objectType": "Agent", "account": {"homePage": self.home_page, "name": self.name}}


@dataclass(frozen=True)
class Activity:
    iri: str
    kind: str  # a key of ACTIVITY_TYPES
    name: str
    language: str

    def as_xapi(self) -> dict:
        return {
            "objectType": "Activity",
            "id": self.iri,
            "definition": {
                "type": ACTIVITY_TYPES[self.kind],
                "name": {self.language: self.name},
            },
        }


def score(points: Decimal | float, maximum: Decimal | float) -> dict:
    """An xAPI score: raw and max as given, scaled in [0, 1] (1 when nothing was at stake)."""
    points, maximum = Decimal(str(points)), Decimal(str(maximum))
    scaled = (points / maximum) if maximum else Decimal(1)
    scaled = min(max(scaled, Decimal(-1)), Decimal(1))
    return {
        "scaled": float(round(scaled, 4)),
        "raw": float(points),
        "min": 0.0,
        "max": float(maximum),
    }


def statement(
    *,
    identity: str,
    verb: str,
    actor: Actor,
    activity: Activity,
    when: datetime,
    platform: str,
    language: str,
    registration: str | None = None,
    parents: list[Activity] | None = None,
    grouping: list[Activity] | None = None,
    result: dict | None = None,
    extensions: dict | None = None,
) -> dict:
    """One complete statement, ready to store (ids, timestamp and context included)."""
    context: dict = {"platform": platform, "language": language}
    if registration:
        context["registration"] = registration
    activities = {}
    if parents:
        activities["parent"] = [p.as_xapi() for p in parents]
    if grouping:
        activities["grouping"] = [g.as_xapi() for g in grouping]
    if activities:
        context["contextActivities"] = activities
    if extensions:
        context["extensions"] = extensions
    body = {
        "id": str(statement_id(identity)),
        "actor": actor.as_xapi(),
        "verb": VERBS[verb],
        "object": activity.as_xapi(),
        "timestamp": timestamp(when),
        "context": context,
        "version": XAPI_VERSION,
    }
    if result is not None:
        body["result"] = result
    return body
