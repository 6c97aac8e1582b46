"""Retention: per-centre periods, a dry run that changes nothing, and the run itself."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

import pytest

from assessments.models import Attempt
from lms.counselling.models import StaffAccessLog
from lms.privacy.models import AuditEvent, CentrePrivacyPolicy, ErasureRequest


def _age(world):
    """Make centre A's owner inactive for 400 days, their notebook and a staff read as old."""
    a, _b = world
    old = timezone.now() - timedelta(days=400)
    owner = a.people["owner"]
    ErasureRequest.objects.filter(user=owner).delete()
    type(owner).objects.filter(pk=owner.pk).update(last_login=old, date_joined=old)
    owner.enrolments.update(last_activity_at=old, enrolled_at=old)
    Attempt.objects.filter(pk=a.objects["graded_attempt"].pk).update(submitted_at=old)
    read = StaffAccessLog.objects.create(
        centre=a.centre, viewer=a.people["counsellor"], learner=owner, what="overview"
    )
    StaffAccessLog.objects.filter(pk=read.pk).update(at=old)
    CentrePrivacyPolicy.objects.create(
        centre=a.centre, inactive_account_days=365, submission_days=365, access_log_days=365
    )
    return a


def _run(*args) -> list[str]:
    out = StringIO()
    call_command("retention", *args, stdout=out)
    return out.getvalue().splitlines()


def test_the_dry_run_reports_one_line_per_category_and_changes_nothing(world):
    a = _age(world)
    before = (ErasureRequest.objects.count(), StaffAccessLog.objects.count())
    lines = _run("--dry-run", "--centre", "dongtan")
    assert lines == [
        "dongtan inactive_accounts: would delete 1",
        "dongtan submissions: would delete 1",
        "dongtan access_logs: would delete 1",
    ]
    assert (ErasureRequest.objects.count(), StaffAccessLog.objects.count()) == before
    assert Attempt.objects.get(pk=a.objects["graded_attempt"].pk).submission


def test_the_run_deletes_what_the_dry_run_said(world):
    a = _age(world)
    notebook = Attempt.objects.get(pk=a.objects["graded_attempt"].pk).submission
    lines = _run("--centre", "dongtan")
    assert "dongtan submissions: deleted 1" in lines
    assert not notebook.storage.exists(notebook.name)
    attempt = Attempt.objects.get(pk=a.objects["graded_attempt"].pk)
    assert not attempt.submission and attempt.score is not None  # the grade stays
    assert ErasureRequest.objects.filter(user=a.people["owner"], status="pending").exists()
    assert not StaffAccessLog.objects.filter(at__lt=timezone.now() - timedelta(days=365)).exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.RETENTION, centre=a.centre).exists()
    # centre B has the default periods: nothing of it was touched
    assert _run("--dry-run", "--centre", "gimpo") == [
        "gimpo inactive_accounts: would delete 0",
        "gimpo submissions: would delete 0",
        "gimpo access_logs: would delete 0",
    ]


@pytest.mark.django_db
def test_an_unknown_centre_is_one_line_and_a_non_zero_exit():
    with pytest.raises(CommandError, match="unknown centre 'nowhere'"):
        call_command("retention", "--dry-run", "--centre", "nowhere")
