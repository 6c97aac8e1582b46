"""A small world for the authorization matrix: two centres, each with one person per role and
one of every kind of object a URL can name, owned by that centre's first learner.

Built with the project's own factories and services (tests/factories), so the rows are the ones
real use produces. Everything personal carries a MARKER, so a response that shows another
person's data can be found by searching its body.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.core.files.base import ContentFile
from django.utils import timezone

from assessments.deadlines import calendar_feed_create
from assessments.models import Assessment, CourseAssessment, DueDate
from assessments.services import attempt_start
from courses.services import page_publish
from hub_sites.models import Centre
from lms.accounts.models import Membership, Role
from lms.certificates.keys import active_key
from lms.certificates.models import CertificateBatch
from lms.certificates.services import certificate_issue
from lms.counselling.services import caseload_assign, note_create
from lms.learning.models import Cohort
from lms.learning.services import enrolment_create
from lms.lti.services import registration_create
from lms.notifications.services import (
    announcement_create,
    announcement_deliver,
    message_send,
    thread_reply,
)
from lms.privacy.models import ErasureRequest
from lms.sandboxes.models import SandboxLaunch
from lms.skills.models import Role as JobRole
from lms.skills.models import TextClaim
from lms.skills.services import cv_submit, posting_add
from tests.factories import (
    UserFactory,
    lessons_of,
    make_centre,
    make_course,
    make_quiz,
    member,
    mfa_enrol,
)
from tests.factories.counselling import graded_attempt

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks_templates" / "python-data-basics" / "python-data-basics.ipynb"

#: Each centre's people: the owner of the objects, a second learner, and one per staff role.
PEOPLE = {
    "owner": Role.LEARNER,
    "peer": Role.LEARNER,
    "instructor": Role.INSTRUCTOR,
    "counsellor": Role.COUNSELLOR,
    "admin": Role.CENTRE_ADMIN,
}


def marker(slug: str, what: str) -> str:
    """A string that appears only in one centre's owner's data."""
    return f"MARK-{slug}-{what}-7f3a"


@dataclass
class CentreWorld:
    centre: Centre
    host: str
    people: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)
    markers: list[str] = field(default_factory=list)


def centre_world(slug: str, *, default: bool = False) -> CentreWorld:
    centre = make_centre(slug, default=default)
    world = CentreWorld(centre=centre, host=f"{slug}.localhost")
    for key, role in PEOPLE.items():
        name = marker(slug, "name") if key == "owner" else f"{slug} {key}"
        world.people[key] = member(centre, role, username=f"{slug}-{key}", name=name)
    owner, admin = world.people["owner"], world.people["admin"]

    course = make_course(centre, f"{slug}-course", lessons=2, translate=False)
    quiz = make_quiz(centre, course, title=f"{slug} quiz")
    first, second = lessons_of(course)
    notebook = Assessment.objects.create(
        centre=centre, title=f"{slug} notebook", kind=Assessment.Kind.NOTEBOOK, max_attempts=3
    )
    notebook.notebook_source.save("python-data-basics.ipynb", ContentFile(NOTEBOOK.read_bytes()))
    second.body = [
        *second.body.raw_data,
        {"type": "notebook", "value": {"assessment": notebook.pk, "introduction": ""}},
    ]
    second = page_publish(second)
    CourseAssessment.objects.create(course=course, assessment=notebook, weight=1, required=False)

    today = timezone.localdate()
    cohort = Cohort.objects.create(
        centre=centre,
        course=course,
        title=f"{slug} run",
        starts_on=today - timedelta(days=7),
        ends_on=today + timedelta(days=60),
    )
    due_date = DueDate.objects.create(
        cohort=cohort, assessment=quiz, due_at=timezone.now() + timedelta(days=7)
    )
    enrolment_create(user=owner, course=course, centre=centre)  # both join the run
    enrolment_create(user=world.people["peer"], course=course, centre=centre)
    _feed, calendar_token = calendar_feed_create(user=owner)
    attempt = attempt_start(user=owner, assessment=quiz, lesson=first)
    graded = graded_attempt(
        learner=owner, assessment=notebook, course=course, days=1, percent=50, number=1
    )
    cv_submit(user=owner, text=f"{marker(slug, 'cv')} I analysed sales data in Excel and SQL.")
    (assignment,) = caseload_assign(
        centre=centre, counsellor=world.people["counsellor"], learners=[owner], assigned_by=admin
    )
    note = note_create(
        centre=centre, learner=owner, author=world.people["counsellor"], text=marker(slug, "note")
    )
    message = message_send(
        centre=centre,
        sender=world.people["counsellor"],
        to=owner,
        body=marker(slug, "message"),
    )
    thread_reply(thread=message.thread, sender=owner, body=marker(slug, "message") + " reply")
    announcement_deliver(
        announcement=announcement_create(
            centre=centre,
            course=course,
            author=world.people["instructor"],
            title=f"{slug} announcement",
            body="The room changes to 301 next week.",
        )
    )
    certificate = certificate_issue(
        learner=owner, course=course, centre=centre, user=admin, require_completion=False
    )
    batch = CertificateBatch.objects.create(
        centre=centre, course=course, learner_ids=[owner.pk], requested_by=admin
    )
    launch = SandboxLaunch.objects.create(
        user=owner, assessment=notebook, lesson=second, state=SandboxLaunch.State.FAILED
    )
    erasure = ErasureRequest.objects.create(
        user=owner, requested_by=owner, due_at=timezone.now() + timedelta(days=14)
    )
    world.objects = {
        "course": course,
        "lesson": first,
        "exercise_lesson": second,
        "quiz": quiz,
        "notebook": notebook,
        "attempt": attempt,
        "graded_attempt": graded,
        "assignment": assignment,
        "note": note,
        "thread": message.thread,
        "certificate": certificate,
        "batch": batch,
        "launch": launch,
        "claim": TextClaim.objects.filter(user=owner).order_by("pk").first(),
        "posting": posting_add(
            centre=centre,
            user=admin,
            title=f"{slug} posting",
            text="Data analyst wanted: SQL, Excel, statistics.",
        ),
        "erasure": erasure,
        "cohort": cohort,
        "due_date": due_date,
        "calendar_token": calendar_token,
        "membership": Membership.objects.get(user=owner, centre=centre),
        "key": active_key(centre=centre),
        "lti_registration": registration_create(
            centre=centre,
            name=f"{slug} moodle",
            issuer=f"https://moodle.{slug}.example",
            client_id=f"{slug}-client",
            deployment_ids=["1"],
            auth_login_url=f"https://moodle.{slug}.example/mod/lti/auth.php",
            auth_token_url=f"https://moodle.{slug}.example/mod/lti/token.php",
            key_set_url=f"https://moodle.{slug}.example/mod/lti/certs.php",
        ),
    }
    world.markers = [marker(slug, what) for what in ("name", "cv", "note", "message")]
    return world


def job_role() -> JobRole:
    return JobRole.objects.create(
        slug="data-analyst", name_en="Data analyst", name_ko="데이터 분석가", is_active=True
    )


def superuser():
    root = UserFactory(username="root", name="root", is_superuser=True, is_staff=True)
    mfa_enrol(root)
    return root
