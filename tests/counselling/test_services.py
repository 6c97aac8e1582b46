"""Writes of the cockpit: who may assign, plans kept, notes versioned after 24 hours."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

import pytest

from lms.accounts.models import Role
from lms.counselling.models import CaseloadAssignment, LearnerPlan, Note, NoteVersion
from lms.counselling.services import (
    access_record,
    caseload_assign,
    caseload_unassign,
    note_create,
    note_update,
    plan_create,
)
from tests.factories import member

pytestmark = pytest.mark.django_db


def test_only_centre_admins_assign_and_only_their_centres_people(
    centre_a, admin_a, admin_b, counsellor_a, learner_a, learner_b, instructor_a
):
    created = caseload_assign(
        centre=centre_a, counsellor=counsellor_a, learners=[learner_a], assigned_by=admin_a
    )
    assert len(created) == 1 and created[0].assigned_by == admin_a
    again = caseload_assign(
        centre=centre_a, counsellor=counsellor_a, learners=[learner_a], assigned_by=admin_a
    )
    assert again == [] and CaseloadAssignment.objects.count() == 1
    with pytest.raises(PermissionDenied):
        caseload_assign(
            centre=centre_a, counsellor=counsellor_a, learners=[learner_a], assigned_by=admin_b
        )
    with pytest.raises(PermissionDenied):
        caseload_assign(
            centre=centre_a,
            counsellor=counsellor_a,
            learners=[learner_a],
            assigned_by=counsellor_a,
        )
    with pytest.raises(ValidationError):  # another centre's learner
        caseload_assign(
            centre=centre_a, counsellor=counsellor_a, learners=[learner_b], assigned_by=admin_a
        )
    with pytest.raises(ValidationError):  # not a counsellor
        caseload_assign(
            centre=centre_a, counsellor=instructor_a, learners=[learner_a], assigned_by=admin_a
        )
    caseload_unassign(centre=centre_a, assignment_id=created[0].pk, by=admin_a)
    assert not CaseloadAssignment.objects.exists()
    with pytest.raises(ValidationError):
        caseload_unassign(centre=centre_a, assignment_id=created[0].pk, by=admin_a)


def test_plans_are_added_never_changed(centre_a, counsellor_a, learner_a, learner_b):
    today = timezone.localdate()
    first = plan_create(
        centre=centre_a,
        learner=learner_a,
        author=counsellor_a,
        target_date=today + timedelta(days=60),
        agreed="  주 3회 학습  ",
    )
    second = plan_create(
        centre=centre_a,
        learner=learner_a,
        author=counsellor_a,
        target_date=today + timedelta(days=90),
        agreed="주 2회",
    )
    assert first.agreed == "주 3회 학습"
    assert LearnerPlan.objects.filter(learner=learner_a).count() == 2
    assert first.pk != second.pk
    with pytest.raises(ValidationError) as error:
        plan_create(
            centre=centre_a,
            learner=learner_a,
            author=counsellor_a,
            target_date=today - timedelta(days=1),
            agreed="x",
        )
    assert "target_date" in error.value.message_dict
    with pytest.raises(ValidationError):
        plan_create(
            centre=centre_a, learner=learner_b, author=counsellor_a, target_date=today, agreed="x"
        )
    with pytest.raises(ValidationError):
        plan_create(
            centre=centre_a, learner=learner_a, author=counsellor_a, target_date=today, agreed="   "
        )


def test_a_note_is_corrected_in_place_for_24_hours(centre_a, counsellor_a, learner_a):
    note = note_create(centre=centre_a, learner=learner_a, author=counsellor_a, text="첫 상담")
    note_update(note=note, editor=counsellor_a, text="첫 상담 (오타 수정)")
    note.refresh_from_db()
    assert note.text == "첫 상담 (오타 수정)"
    assert not NoteVersion.objects.exists()


def test_after_24_hours_an_edit_keeps_the_previous_text(centre_a, counsellor_a, learner_a):
    note = note_create(centre=centre_a, learner=learner_a, author=counsellor_a, text="원래 내용")
    Note.objects.filter(pk=note.pk).update(created_at=timezone.now() - timedelta(hours=25))
    note.refresh_from_db()
    note_update(note=note, editor=counsellor_a, text="고친 내용")
    note_update(note=note, editor=counsellor_a, text="또 고친 내용")
    note.refresh_from_db()
    assert note.text == "또 고친 내용"
    assert list(note.versions.values_list("text", flat=True)) == ["고친 내용", "원래 내용"]
    assert note.versions.first().replaced_by == counsellor_a


def test_only_the_author_edits_and_nobody_else_writes_notes(
    centre_a, counsellor_a, admin_a, learner_a, learner_b, instructor_a
):
    note = note_create(centre=centre_a, learner=learner_a, author=counsellor_a, text="메모")
    with pytest.raises(PermissionDenied):
        note_update(note=note, editor=admin_a, text="바꿈")
    with pytest.raises(PermissionDenied):
        note_create(centre=centre_a, learner=learner_a, author=instructor_a, text="x")
    with pytest.raises(PermissionDenied):
        note_create(centre=centre_a, learner=learner_a, author=learner_a, text="x")
    with pytest.raises(ValidationError):
        note_create(centre=centre_a, learner=learner_b, author=counsellor_a, text="x")
    with pytest.raises(ValidationError):
        note_create(centre=centre_a, learner=learner_a, author=counsellor_a, text="  ")
    other = member(centre_a, Role.COUNSELLOR, username="other-counsellor")
    assert note_create(centre=centre_a, learner=learner_a, author=other, text="둘째")


def test_access_record(centre_a, counsellor_a, learner_a):
    entry = access_record(centre=centre_a, viewer=counsellor_a, learner=learner_a, what="overview")
    assert entry.at is not None and entry.count == 1
    with pytest.raises(ValidationError):
        access_record(centre=centre_a, viewer=counsellor_a, learner=learner_a, what="gossip")
