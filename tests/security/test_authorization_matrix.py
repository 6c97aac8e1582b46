"""Who may open which URL: every URL pattern of the project, requested as every kind of person,
against a declared policy (tests/security/policy.py).

The URLs come from the resolver (tests/security/urlwalk.py), so a URL added to any urls.py or
Wagtail hook without a policy entry fails ``test_every_url_has_a_policy``. Object ids in URLs
are real: centre A's owner's attempt, certificate, note, launch and so on (tests/security/world.py).

Requests are made on centre A's host. People of centre B are asked twice: on centre A's host
(outcome checked against the policy) and on their own centre's host, where whatever the answer
is it must not contain centre A's data. Everywhere: no 500, and nobody outside centre A's owner
and staff ever receives a page holding the owner's name, CV or counsellor's note.

To write an entry for a new URL, run this file with DASI_MATRIX_DISCOVER=1: URLs without an
entry are requested too and the observed rows printed. Observed is not policy: read each cell.
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

from django.apps import apps
from django.db import connection, transaction
from django.test import Client
from django.urls import NoReverseMatch, reverse

import pytest

from lms.accounts.models import Role
from lms.accounts.services import membership_create
from lms.learning.services import enrolment_create
from tests.security import policy
from tests.security.urlwalk import Route, routes
from tests.security.world import centre_world, job_role, superuser

pytestmark = pytest.mark.django_db

DISCOVER = os.environ.get("DASI_MATRIX_DISCOVER") == "1"
LOGIN_PATHS = ("/accounts/login/", "/admin/login/", "/_util/login/")
#: Roles that are not centre A's owner or centre A's staff: they must never see A's owner's data.
OUTSIDERS = ("anon", "peer", "alien", "instructor_b", "counsellor_b", "admin_b")


def classify(response) -> str:
    """The outcome class of a response: 200 (any 2xx), L (to a sign-in page), 302 (any other
    redirect), or the status code."""
    status = response.status_code
    if 200 <= status < 300:
        return "200"
    if 300 <= status < 400:
        path = re.sub(r"^/en/", "/", urlsplit(response["Location"]).path)
        return "L" if path.startswith(LOGIN_PATHS) else "302"
    return str(status)


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


class Matrix:
    """The fixture world and one signed-in client per role."""

    def __init__(self):
        self.a = centre_world("dongtan", default=True)
        self.b = centre_world("gimpo")
        self.job_role = job_role()
        revision = self.job_role.save_revision()
        self.root = superuser()
        self.revision_id = revision.pk
        self.skill = self.a.objects["course"].skill_outcomes.first().skill
        people = {
            "owner": self.a.people["owner"],
            "peer": self.a.people["peer"],
            "alien": self.b.people["owner"],
            "instructor": self.a.people["instructor"],
            "counsellor": self.a.people["counsellor"],
            "admin": self.a.people["admin"],
            "instructor_b": self.b.people["instructor"],
            "counsellor_b": self.b.people["counsellor"],
            "admin_b": self.b.people["admin"],
            "superuser": self.root,
        }
        self.clients = {"anon": Client()}
        for role, user in people.items():
            client = Client()
            client.force_login(user)
            self.clients[role] = client

    def value(self, route: Route, param: str, kind: str):
        """A real value for one URL parameter: an object of centre A's owner where the URL
        names one, a harmless placeholder where it belongs to a library."""
        o = self.a.objects
        name = route.name
        notebook_urls = ("assessments:exercise", "sandboxes:start", "assessments_submissions")
        by_param = {
            "page_id": o["course"].pk if name == "learning:enrol" else o["lesson"].pk,
            "assessment_id": (o["notebook"].pk if name.startswith(notebook_urls) else o["quiz"].pk),
            "lesson_id": (
                o["exercise_lesson"].pk if name.startswith(notebook_urls) else o["lesson"].pk
            ),
            "attempt_id": (
                o["graded_attempt"].pk if name == "assessments_regrade" else o["attempt"].pk
            ),
            "certificate_id": o["certificate"].pk,
            "batch_id": o["batch"].pk,
            "course_id": o["course"].pk,
            "kid": o["key"].kid,
            "user_id": self.a.people["owner"].pk,
            "learner_id": self.a.people["owner"].pk,
            "note_id": o["note"].pk,
            "thread_id": o["thread"].pk,
            "assignment_id": o["assignment"].pk,
            "launch_id": o["launch"].pk if name.startswith("sandboxes:") else "x",
            "registration_id": o["lti_registration"].pk,
            "erasure_id": o["erasure"].pk,
            "claim_id": o["claim"].pk,
            "posting_id": o["posting"].pk,
            "revision_id": self.revision_id,
            # A capability address: whoever holds the owner's token reads the feed.
            "token": o["calendar_token"],
            "revision_id_a": "earliest",
            "revision_id_b": "latest",
        }
        if param == "slug":
            return self.job_role.slug if name == "skills:role" else self.a.centre.slug
        if param == "pk" and route.owner == "dasi":
            if name.startswith("memberships:"):
                return o["membership"].pk
            if "_skills_role:" in name:
                return self.job_role.pk
            if "_skills_skill:" in name:
                return self.skill.pk
            if "_learning_cohort:" in name:
                return o["cohort"].pk
            return o["quiz"].pk
        if param in by_param and route.owner == "dasi":
            return by_param[param]
        return placeholder(kind)


def placeholder(kind: str):
    if kind == "int":
        return 1
    if kind == "uuid":
        return "00000000-0000-4000-8000-000000000000"
    if kind.startswith("re:"):
        first = kind[3:].split("|")[0]
        return (
            "1" if first.startswith(("\\d", "[0-9", ".")) else re.sub(r"[^\w-]", "", first) or "x"
        )
    return "x"


def url_of(matrix: Matrix, route: Route) -> str:
    """The route reversed with real ids (Wagtail's page route: centre A's first lesson)."""
    if route.name == "wagtail_serve":
        return matrix.a.objects["lesson"].url
    if route.name == route.route and not route.params:  # an unnamed pattern: the route is its URL
        prefix, regex, _rest = route.route.partition("^")
        return "/" + prefix + ("no-such-page/" if regex else "")
    values = {
        param: matrix.value(route, param, kind)
        for param, kind in zip(route.params, route.converters, strict=True)
    }
    try:
        if any(param.startswith("_") for param in values):
            return reverse(route.name, args=list(values.values()))
        return reverse(route.name, kwargs=values)
    except NoReverseMatch:
        return reverse(route.name, args=list(values.values()))


def fetch(client: Client, method: str, url: str, host: str):
    """(outcome class, response or the exception's text): an exception counts as a 500."""
    try:
        response = getattr(client, method)(url, HTTP_HOST=host)
    except Exception as exc:  # noqa: BLE001 — any exception in a view is a 500 to report
        return "500", f"{type(exc).__name__}: {exc}"
    return classify(response), response


def fingerprint() -> dict[str, int]:
    """A hash of every row of Dasi's tables (and Wagtail's pages), read as the database holds
    them: a request that changes state changes it. Access logs are left out; reading is what
    they record."""
    skip = {"counselling.staffaccesslog", "privacy.auditevent"}
    prints = {}
    with connection.cursor() as cursor:
        for model in apps.get_models():
            label = model._meta.label_lower
            if label in skip or label.split(".")[0] not in {*DASI_APPS, "wagtailcore"}:
                continue
            table = connection.ops.quote_name(model._meta.db_table)
            pk = connection.ops.quote_name(model._meta.pk.column)
            cursor.execute(f"SELECT * FROM {table} ORDER BY {pk}")  # noqa: S608 — model tables
            prints[label] = hash(repr(cursor.fetchall()))
    return prints


DASI_APPS = {
    "accounts", "assessments", "certificates", "counselling", "courses", "hub_sites",
    "learning", "lti", "notifications", "privacy", "sandboxes", "skills",
}  # fmt: skip


@pytest.fixture
def matrix(settings, tmp_path):
    settings.DASI_HUB_URL = ""  # no hub: launches never reach the network
    settings.DASI_SKILLS_ARTIFACT = tmp_path / "taxonomy.h5"
    settings.DASI_SKILLS_CACHE = tmp_path / "cache"
    return Matrix()


def test_every_url_has_a_policy():
    """A URL without a declared policy fails here, with the line to add."""
    missing = [
        f'    "{r.name}": expect("<{" ".join(policy.ROLES)}>"),  # {r.route}'
        for r in routes()
        if r.name not in policy.TABLE and not policy.category(r)
    ]
    assert not missing, "URLs without a policy entry (tests/security/policy.py):\n" + "\n".join(
        missing
    )
    stale = sorted(set(policy.TABLE) - {r.name for r in routes()})
    assert not stale, f"policy entries for URLs that no longer exist: {stale}"


def test_dasi_urls_answer_each_role_as_declared(matrix):
    """GET every URL with an entry as every role: the outcome the policy declares, no 500, and
    no page of centre A's owner's data for an outsider (on A's host or their own)."""
    problems, observed = [], {}
    for route in routes():
        if route.name not in policy.TABLE and not (DISCOVER and not policy.category(route)):
            continue
        expected = policy.TABLE.get(route.name)
        url = url_of(matrix, route)
        row = {}
        for role in policy.ROLES:
            outcome, response = fetch(matrix.clients[role], "get", url, matrix.a.host)
            row[role] = outcome
            if outcome == "500":
                problems.append(f"500 GET {url} as {role}: {response}")
                continue
            if expected is None:
                problems.append("discover")
            elif outcome != expected.get[role]:
                problems.append(
                    f"GET {url} ({route.name}) as {role}: {outcome}, "
                    f"policy says {expected.get[role]}"
                )
            if role in OUTSIDERS and outcome == "200":
                problems += _leaks(matrix, route, response, f"GET {url} as {role}")
        observed[route.name] = row
        for role in ("alien", "instructor_b", "counsellor_b", "admin_b"):
            outcome, response = fetch(matrix.clients[role], "get", url, matrix.b.host)
            if outcome == "500":
                problems.append(f"500 GET {url} on B's host as {role}: {response}")
            elif outcome == "200":
                problems += _leaks(matrix, route, response, f"GET {url} on B's host as {role}")
    if problems:
        _print_observed(observed)
    assert not problems, "\n".join(problems)


def _leaks(matrix: Matrix, route: Route, response, what: str) -> list[str]:
    body = _body(response)
    markers = matrix.a.markers
    if route.name in policy.PUBLIC_BY_LINK:
        markers = [m for m in markers if m != matrix.a.people["owner"].name]
    return [f"LEAK {what}: the page holds {m}" for m in markers if m in body]


def _print_observed(observed: dict) -> None:
    for name, row in observed.items():
        print(f'    "{name}": "{" ".join(row[role] for role in policy.ROLES)}",')


#: Outcomes that refuse a request without acting on it.
REFUSALS = {"L", "403", "404", "405"}


def _refused_on_get(route: Route, outcome: str) -> bool:
    # In the admin a 302 is Wagtail's "you may not" bounce to the admin home.
    return outcome in REFUSALS or (outcome == "302" and route.route.startswith("admin/"))


def test_posts_from_people_who_may_not_change_nothing(matrix):
    """An empty POST, as every role the policy refuses (and on POST-only endpoints as every
    role the POST row names), is refused and leaves every Dasi table as it was."""
    problems, observed = [], {}
    before = fingerprint()
    for route in routes():
        expected = policy.TABLE.get(route.name)
        if expected is None or route.owner != "dasi":
            continue
        url = url_of(matrix, route)
        row = {}
        for role in policy.ROLES:
            if expected.post is not None:
                want = expected.post[role]
                if want == "-":
                    continue
            elif _refused_on_get(route, expected.get[role]):
                want = None  # any refusal
            else:
                continue
            with transaction.atomic():
                outcome, response = fetch(matrix.clients[role], "post", url, matrix.a.host)
                after = fingerprint() if outcome != "500" else before
                changed = [label for label in before if after[label] != before[label]]
                transaction.set_rollback(True)
            row[role] = outcome
            if outcome == "500":
                problems.append(f"500 POST {url} as {role}: {response}")
            elif want is None and not _refused_on_get(route, outcome):
                problems.append(f"POST {url} ({route.name}) as {role}: {outcome}, not refused")
            elif want is not None and outcome != want:
                problems.append(
                    f"POST {url} ({route.name}) as {role}: {outcome}, policy says {want}"
                )
            if changed:  # "-" marks the roles allowed to act; nobody else may change a thing
                problems.append(f"STATE CHANGE POST {url} ({route.name}) as {role}: {changed}")
        if expected.post is not None or DISCOVER:
            observed[route.name] = row
    if problems:
        for name, row in observed.items():
            print(f'    "{name}": "{" ".join(row.get(role, "-") for role in policy.ROLES)}",')
    assert not problems, "\n".join(problems)


def test_wagtails_own_admin_lets_no_learner_in(matrix):
    """Category rule for Wagtail's (and wagtailmedia's) own admin URLs: anonymous people are
    sent to sign in, learners of any centre are sent away; nobody of them gets a page."""
    problems = []
    covered = [r for r in routes() if policy.category(r)]
    assert len(covered) > 100  # the rule is in force, not matching nothing
    for route in covered:
        url = url_of(matrix, route)
        public = policy.category(route) == "wagtail-admin-public"
        for role in ("anon", "owner", "alien"):
            outcome, response = fetch(matrix.clients[role], "get", url, matrix.a.host)
            allowed = {"L"} if role == "anon" else {"L", "302", "403", "404"}
            if outcome == "500":
                problems.append(f"500 GET {url} as {role}: {response}")
            elif not public and outcome not in allowed:
                problems.append(f"GET {url} ({route.name}) as {role}: {outcome}, not {allowed}")
    assert not problems, "\n".join(problems)


def test_a_learner_of_two_centres_shows_each_centre_only_its_own_work(matrix):
    """Centre A's owner also learns at centre B: B's staff see B's learner, never the work
    they handed in at centre A (it was listed while they held any enrolment at B)."""
    owner, b = matrix.a.people["owner"], matrix.b
    membership_create(user=owner, centre=b.centre, role=Role.LEARNER)
    enrolment_create(user=owner, course=b.objects["course"], centre=b.centre)
    url = reverse("assessments_submissions", args=[matrix.a.objects["notebook"].pk])
    for role in ("instructor_b", "admin_b"):
        response = matrix.clients[role].get(url, HTTP_HOST=b.host)
        assert response.status_code == 200
        assert owner.name not in _body(response), role
    mine = matrix.clients["instructor"].get(url, HTTP_HOST=matrix.a.host)
    assert owner.name in _body(mine)  # centre A's own staff still see it


@pytest.mark.parametrize("pk", ["x", "1%2F.."])
def test_a_token_id_that_is_no_number_is_404(client, pk, centre_a, learner_a):
    """django-oauth-toolkit routes token ids as slugs and answers "x" with a 500; Dasi mounts
    the page with an int id."""
    client.force_login(learner_a)
    response = client.get(f"/o/authorized_tokens/{pk}/delete/", HTTP_HOST="dongtan.localhost")
    assert response.status_code == 404
