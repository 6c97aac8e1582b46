"""Download my data: one archive with everything, behind a link for its owner, once."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from lms.privacy import services
from lms.privacy.datamap import PARTS
from lms.privacy.models import AuditEvent, CentrePrivacyPolicy, DataExport


def _signed_in(user, host):
    client = Client(HTTP_HOST=host)
    client.force_login(user)
    return client


def test_the_archive_holds_everything_with_notebooks_and_certificates(
    world, django_capture_on_commit_callbacks
):
    a, _b = world
    owner = a.people["owner"]
    client = _signed_in(owner, a.host)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/privacy/export/")
    export = DataExport.objects.get(user=owner)
    assert export.status == DataExport.Status.READY
    page = client.get("/privacy/").content.decode()
    link = re.search(r'href="(/privacy/export/[^"]+/)"', page).group(1)
    response = client.get(link)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    data = json.loads(archive.read("my-data.json"))
    assert data["account"]["email"] == owner.email and "password" not in data["account"]
    for part in PARTS:
        assert part.section in data, part.section
    assert data["attempts"] and data["enrolments"]
    assert data["cv_phrases"] and data["certificates"] and data["counselling_notes"]
    assert any(n.startswith("attempts/") and n.endswith(".ipynb") for n in names)
    assert any(n.startswith("certificates/") and n.endswith(".pdf") for n in names)
    # the link works once
    assert client.get(link).status_code == 404


def test_a_centre_can_keep_counselling_notes_out_with_the_reason(
    world, django_capture_on_commit_callbacks
):
    a, _b = world
    CentrePrivacyPolicy.objects.create(centre=a.centre, notes_in_export=False)
    owner = a.people["owner"]
    export = DataExport.objects.create(user=owner)
    services.export_build(export=export)
    data = json.loads(zipfile.ZipFile(export.archive.open("rb")).read("my-data.json"))
    assert data["counselling_notes"] == []
    assert data["counselling_notes_left_out"]["count"] == 1


def test_another_persons_expired_forged_or_replayed_link_is_refused_and_logged(
    world, django_capture_on_commit_callbacks
):
    a, _b = world
    owner, peer = a.people["owner"], a.people["peer"]
    owner_client = _signed_in(owner, a.host)
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post("/privacy/export/")
    page = owner_client.get("/privacy/").content.decode()
    link = re.search(r'href="(/privacy/export/[^"]+/)"', page).group(1)

    assert _signed_in(peer, a.host).get(link).status_code == 403
    assert Client(HTTP_HOST=a.host).get(link).status_code == 302  # to the sign-in page
    assert owner_client.get(link[:-3] + "xx/").status_code == 404  # forged signature
    export = DataExport.objects.get(user=owner)
    export.expires_at = timezone.now() - timedelta(seconds=1)
    export.save()
    assert owner_client.get(link).status_code == 404  # expired
    export.expires_at = timezone.now() + timedelta(hours=1)
    export.save()
    assert owner_client.get(link).status_code == 200
    assert owner_client.get(link).status_code == 404  # replayed
    refused = AuditEvent.objects.filter(action=AuditEvent.Action.DENIED).values_list(
        "what", "actor"
    )
    reasons = " ".join(what for what, _actor in refused)
    for reason in ("another person's link", "forged link", "expired export", "replayed link"):
        assert reason in reasons
    assert services.exports_expire() == 0  # downloaded, not yet expired


def test_an_old_signature_expires(world, settings):
    a, _b = world
    owner = a.people["owner"]
    export = DataExport.objects.create(user=owner)
    services.export_build(export=export)
    token = services.export_link_token(export=export)
    settings.DASI_EXPORT_LINK_SECONDS = -1
    assert _signed_in(owner, a.host).get(f"/privacy/export/{token}/").status_code == 404
    assert AuditEvent.objects.filter(what__contains="expired link").exists()
