"""Erasure: after it, no column of any table holds the learner's name, user name or e-mail."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.utils import timezone

import pytest

from assessments.models import Attempt
from lms.certificates.models import Certificate
from lms.learning.models import Enrolment
from lms.privacy import services
from lms.privacy.models import AuditEvent, ErasureRequest
from lms.skills.models import TextClaim


def tables_mentioning(terms: list[str]) -> list[str]:
    """Every (table, column) whose text form contains one of `terms` (case-insensitive)."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = connection.introspection.get_table_description(cursor, table)
            for column in columns:
                name = connection.ops.quote_name(column.name)
                for term in terms:
                    cursor.execute(
                        f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)} "  # noqa: S608
                        f"WHERE LOWER(CAST({name} AS TEXT)) LIKE %s",
                        [f"%{term.lower()}%"],
                    )
                    if cursor.fetchone()[0]:
                        found.append(f"{table}.{column.name} ({term})")
    return found


def _erase(user):
    request = ErasureRequest.objects.filter(user=user, status="pending").first()
    request.due_at = timezone.now() - timedelta(minutes=1)
    request.save()
    assert services.erasures_due() >= 1
    request.refresh_from_db()
    return request


def test_nothing_personal_remains_in_any_column(world):
    a, _b = world
    owner = a.people["owner"]
    terms = [owner.name, owner.username, owner.email]
    assert tables_mentioning(terms), "the world holds the learner's data before"
    pdf = Certificate.objects.get(user=owner).pdf
    assert pdf.storage.exists(pdf.name)
    enrolments = Enrolment.objects.filter(user=owner).count()
    notebook = Attempt.objects.get(pk=a.objects["graded_attempt"].pk).submission
    assert notebook.storage.exists(notebook.name)

    request = _erase(owner)

    assert request.status == ErasureRequest.Status.DONE
    assert tables_mentioning(terms) == []
    # what staff rely on stays, anonymous: the enrolment counts and the scores
    assert Enrolment.objects.filter(user=owner).count() == enrolments
    graded = Attempt.objects.get(pk=a.objects["graded_attempt"].pk)
    assert graded.score is not None and graded.answers == {} and not graded.submission
    assert not TextClaim.objects.filter(user=owner).exists()
    assert not pdf.storage.exists(pdf.name)
    assert not notebook.storage.exists(notebook.name)
    owner.refresh_from_db()
    assert owner.username == f"erased-{owner.pk}" and not owner.is_active
    assert not owner.has_usable_password()
    assert AuditEvent.objects.filter(learner=owner, action=AuditEvent.Action.ERASE).exists()
    assert request.hub_result == "no hub configured"


def test_an_erased_holders_certificate_stays_verifiable_without_a_name(world):
    a, _b = world
    owner = a.people["owner"]
    certificate = Certificate.objects.get(user=owner)
    _erase(owner)
    client = Client()
    page = client.get(f"/certificates/verify/{certificate.pk}/", HTTP_HOST=a.host)
    text = page.content.decode()
    assert page.status_code == 200
    assert "erased" in text or "삭제" in text
    assert owner.name not in text
    assert client.get(f"/certificates/{certificate.pk}/credential.json").status_code in (404, 302)


def test_only_the_learner_or_their_centre_admin_may_ask(world):
    a, b = world
    owner = a.people["owner"]
    ErasureRequest.objects.filter(user=owner).delete()
    with pytest.raises(PermissionDenied):
        services.erasure_request(user=owner, requested_by=b.people["admin"], centre=b.centre)
    with pytest.raises(PermissionDenied):
        services.erasure_request(user=owner, requested_by=a.people["counsellor"], centre=a.centre)
    with pytest.raises(ValidationError):  # staff are not erased this way
        services.erasure_request(user=a.people["counsellor"], requested_by=a.people["counsellor"])
    request = services.erasure_request(user=owner, requested_by=a.people["admin"], centre=a.centre)
    assert request.due_at > timezone.now() + timedelta(days=13)
    with pytest.raises(ValidationError):  # one waiting erasure at a time
        services.erasure_request(user=owner, requested_by=owner)
    with pytest.raises(PermissionDenied):
        services.erasure_cancel(request=request, by=b.people["admin"])
    services.erasure_cancel(request=request, by=owner)
    assert services.erasures_due() == 0
    owner.refresh_from_db()
    assert owner.is_active


def test_the_admin_erasure_page_refuses_another_centres_learner(world):
    a, b = world
    client = Client()
    client.force_login(a.people["admin"])
    response = client.post(f"/privacy/learners/{b.people['peer'].pk}/erase/", HTTP_HOST=a.host)
    assert response.status_code == 404
    assert not ErasureRequest.objects.filter(user=b.people["peer"]).exists()
    response = client.post(f"/privacy/learners/{a.people['peer'].pk}/erase/", HTTP_HOST=a.host)
    assert response.status_code == 302
    assert ErasureRequest.objects.filter(user=a.people["peer"], centre=a.centre).exists()
