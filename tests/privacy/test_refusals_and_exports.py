"""Personal data leaving Dasi is in the audit log (gradebook CSV, certificate PDFs, the
caseload CSV), and so is every refused request about someone else's erasure."""

from __future__ import annotations

import csv
import io

from django.test import Client
from django.urls import reverse

from hub_sites.services import course_offer
from lms.learning.services import enrolment_create
from lms.privacy.models import AuditEvent, ErasureRequest
from tests.security.world import superuser


def _signed_in(user, host) -> Client:
    client = Client(HTTP_HOST=host)
    client.force_login(user)
    return client


def _refusals(what: str):
    return AuditEvent.objects.filter(action=AuditEvent.Action.DENIED, what__contains=what)


def test_a_gradebook_csv_download_is_logged_with_its_course_centre_and_rows(world):
    a, b = world
    course = a.objects["course"]
    url = reverse("assessments_gradebook_csv", args=[course.pk])
    response = _signed_in(a.people["instructor"], a.host).get(url)
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode().strip().splitlines()
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert (event.actor, event.centre) == (a.people["instructor"], a.centre)
    assert f"course {course.pk}" in event.what and f"{len(lines) - 1} rows" in event.what
    assert course.title in event.what
    # Another centre's instructor gets nothing, and nothing is logged as an export.
    refused = _signed_in(b.people["instructor"], b.host).get(url)
    assert refused.status_code != 200
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count() == 1
    # The centre admin finds it in the audit log, filtered as an export.
    page = _signed_in(a.people["admin"], a.host).get("/privacy/audit/", {"action": "export"})
    assert "gradebook CSV" in page.content.decode()
    other = _signed_in(b.people["admin"], b.host).get("/privacy/audit/").content.decode()
    assert "gradebook CSV" not in other


def test_a_superusers_gradebook_download_is_logged_in_each_centre_it_names(world):
    a, b = world
    course = a.objects["course"]
    b_learner = b.people["owner"]
    alias = course_offer(course=course, centre=b.centre)
    enrolment_create(user=b_learner, course=alias, centre=b.centre)
    url = reverse("assessments_gradebook_csv", args=[course.pk])
    response = _signed_in(superuser(), a.host).get(url)
    b"".join(response.streaming_content)
    centres = dict(
        AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).values_list("centre", "what")
    )
    assert "2 rows" in centres[a.centre.pk] and "1 rows" in centres[b.centre.pk]


def test_staff_downloads_of_a_certificate_pdf_are_logged_the_holders_are_not(world):
    a, _b = world
    certificate = a.objects["certificate"]
    url = reverse("certificates:pdf", args=[certificate.pk])
    assert _signed_in(a.people["owner"], a.host).get(url).status_code == 200
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()
    assert _signed_in(a.people["admin"], a.host).get(url).status_code == 200
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert (event.actor, event.learner, event.centre) == (
        a.people["admin"],
        a.people["owner"],
        a.centre,
    )
    assert certificate.number in event.what


def test_the_caseload_csv_shows_in_the_audit_log_as_an_export_with_its_rows(world):
    a, _b = world
    client = _signed_in(a.people["counsellor"], a.host)
    b"".join(client.get(reverse("counselling:caseload_csv") + "?scope=all").streaming_content)
    admin = _signed_in(a.people["admin"], a.host)
    rows = list(
        csv.reader(
            io.StringIO(admin.get("/privacy/audit.csv", {"action": "export"}).content.decode())
        )
    )
    exports = [r for r in rows[1:] if r[1] == a.people["counsellor"].username]
    assert exports and exports[0][3] == "export" and "rows)" in exports[0][4]
    views = admin.get("/privacy/audit.csv", {"action": "view"}).content.decode()
    assert "rows)" not in views


def test_cancelling_someone_elses_erasure_is_404_and_logged(world):
    a, b = world
    erasure = a.objects["erasure"]
    url = reverse("privacy:erasure_cancel", args=[erasure.pk])
    for person, host in (
        (a.people["peer"], a.host),
        (a.people["counsellor"], a.host),
        (b.people["admin"], b.host),
        (b.people["owner"], b.host),
    ):
        assert _signed_in(person, host).post(url).status_code == 404
    refused = _refusals(f"erasure {erasure.pk} of another person")
    assert refused.count() == 4
    assert not refused.exclude(learner=None).exists()  # named by id only
    forged = reverse("privacy:erasure_cancel", args=[987654])
    assert _signed_in(a.people["peer"], a.host).post(forged).status_code == 404
    assert _refusals("no erasure 987654").exists()
    assert ErasureRequest.objects.get(pk=erasure.pk).status == ErasureRequest.Status.PENDING


def test_asking_to_erase_someone_one_may_not_is_refused_and_logged(world):
    a, b = world
    target = a.people["peer"]
    url = reverse("privacy:learner_erasure", args=[target.pk])
    assert _signed_in(b.people["admin"], b.host).post(url).status_code == 404
    assert _signed_in(a.people["counsellor"], a.host).post(url).status_code == 403
    assert _signed_in(a.people["owner"], a.host).post(url).status_code == 403
    refused = _refusals(f"erasure of user {target.pk}")
    assert refused.count() == 3
    assert set(refused.values_list("centre", flat=True)) == {a.centre.pk, b.centre.pk}
    assert not refused.exclude(learner=None).exists()
    assert not ErasureRequest.objects.filter(user=target).exists()
