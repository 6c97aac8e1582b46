"""The privacy audit log: staff actions recorded; each centre admin sees their centre only."""

from __future__ import annotations

import csv
import io

from django.test import Client

from lms.privacy.models import AuditEvent


def _signed_in(user, host):
    client = Client(HTTP_HOST=host)
    client.force_login(user)
    return client


def test_staff_actions_are_logged_and_filtered_per_centre(world):
    a, b = world
    owner = a.people["owner"]
    counsellor = _signed_in(a.people["counsellor"], a.host)
    assert counsellor.get(f"/skills/learners/{owner.pk}/").status_code == 200
    response = counsellor.post(f"/counselling/learners/{owner.pk}/notes/", {"text": "met today"})
    assert response.status_code == 302
    actions = set(AuditEvent.objects.filter(learner=owner).values_list("action", flat=True))
    assert {AuditEvent.Action.VIEW, AuditEvent.Action.EDIT} <= actions

    admin = _signed_in(a.people["admin"], a.host)
    page = admin.get(
        "/privacy/audit/", {"actor": a.people["counsellor"].username, "action": "edit"}
    )
    text = page.content.decode()
    assert page.status_code == 200 and "상담 메모 작성" in text
    assert "역량 프로필" not in text  # filtered by action
    assert admin.get("/privacy/audit/", {"since": "not-a-date"}).status_code == 400

    rows = list(csv.reader(io.StringIO(admin.get("/privacy/audit.csv").content.decode())))
    assert rows[0] == ["at", "actor", "learner", "action", "what"]
    assert any(r[3] == "view" and r[2] == owner.username for r in rows[1:])
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORT, actor=a.people["admin"]
    ).exists()

    # centre B's admin, on B's site: none of A's entries
    other = _signed_in(b.people["admin"], b.host).get("/privacy/audit.csv").content.decode()
    assert owner.username not in other
    assert _signed_in(b.people["admin"], a.host).get("/privacy/audit/").status_code == 403
    assert counsellor.get("/privacy/audit/").status_code == 403
