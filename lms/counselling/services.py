"""Writes of the counsellor cockpit: caseload assignments, plans, notes, the access log and
the stored risk of each learner.

Every service checks that the people it links belong to the centre in the roles it needs,
so a form or a script cannot attach another centre's learner. Plans and notes are kept:
a plan is never updated (a new one is added) and notes are never deleted.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from hub_sites.models import Centre
from lms.accounts.models import Membership, Role, User
from lms.skills.models import Role as SkillRole

from .models import (
    NOTE_EDIT_WINDOW,
    CaseloadAssignment,
    LearnerPlan,
    LearnerRisk,
    Note,
    NoteVersion,
    StaffAccessLog,
)
from .risk_rows import risk_invalidate, risk_rows_reserve, risk_rows_store  # noqa: F401 — re-exported
from .selectors import (
    COCKPIT_ROLES,
    CaseloadFilters,
    caseload_rows,
    cockpit_roles,
    counsellors_of,
    learners_of,
    stored_rows,
)
from .signals import plan_created


def _require_staff(*, user: User, centre: Centre, roles=COCKPIT_ROLES) -> None:
    if not (cockpit_roles(user=user, centre=centre) & set(roles)):
        raise PermissionDenied(_("Only this centre's counsellors and centre admins can do this."))


def _require_learner(*, learner: User, centre: Centre) -> None:
    if not Membership.objects.filter(user=learner, centre=centre, role=Role.LEARNER).exists():
        raise ValidationError(
            _("%(name)s is not a learner of this centre.") % {"name": learner.display_name},
            code="not_learner",
        )


@transaction.atomic
def caseload_assign(
    *, centre: Centre, counsellor: User, learners: Iterable[User], assigned_by: User
) -> list[CaseloadAssignment]:
    """Put learners of the centre in one of its counsellors' caseloads (centre admins only).

    Learners already in that caseload are left as they are; returns the new assignments.
    """
    _require_staff(user=assigned_by, centre=centre, roles=[Role.CENTRE_ADMIN])
    if not Membership.objects.filter(user=counsellor, centre=centre, role=Role.COUNSELLOR).exists():
        raise ValidationError(
            _("%(name)s is not a counsellor of this centre.") % {"name": counsellor.display_name},
            code="not_counsellor",
        )
    created = []
    for learner in learners:
        _require_learner(learner=learner, centre=centre)
        assignment, is_new = CaseloadAssignment.objects.get_or_create(
            centre=centre,
            counsellor=counsellor,
            learner=learner,
            defaults={"assigned_by": assigned_by},
        )
        if is_new:
            created.append(assignment)
    return created


def caseload_unassign(*, centre: Centre, assignment_id: int, by: User) -> None:
    """Take a learner out of a counsellor's caseload (centre admins only); notes and plans
    stay with the centre."""
    _require_staff(user=by, centre=centre, roles=[Role.CENTRE_ADMIN])
    deleted, _rows = CaseloadAssignment.objects.filter(centre=centre, pk=assignment_id).delete()
    if not deleted:
        raise ValidationError(_("That assignment does not exist."), code="missing")


@transaction.atomic
def plan_create(
    *,
    centre: Centre,
    learner: User,
    author: User,
    target_date: date,
    agreed: str,
    goal_role: SkillRole | None = None,
    next_meeting: date | None = None,
) -> LearnerPlan:
    """Record the plan agreed with a learner; it becomes the current plan and earlier ones
    are kept. The target date may not be in the past."""
    _require_staff(user=author, centre=centre)
    _require_learner(learner=learner, centre=centre)
    today = timezone.localdate()
    if target_date < today:
        raise ValidationError(
            {"target_date": _("The target date cannot be in the past.")}, code="past"
        )
    if next_meeting is not None and next_meeting < today:
        raise ValidationError(
            {"next_meeting": _("The next meeting cannot be in the past.")}, code="past"
        )
    if goal_role is not None and not goal_role.is_active:
        raise ValidationError({"goal_role": _("This role is not offered.")}, code="inactive")
    plan = LearnerPlan(
        centre=centre,
        learner=learner,
        goal_role=goal_role,
        target_date=target_date,
        agreed=agreed.strip(),
        next_meeting=next_meeting,
        created_by=author,
    )
    plan.full_clean()
    plan.save()
    plan_created.send(sender=LearnerPlan, plan=plan)
    return plan


def note_create(*, centre: Centre, learner: User, author: User, text: str) -> Note:
    """Write a note about a learner of the centre, visible to its counsellors and admins."""
    _require_staff(user=author, centre=centre)
    _require_learner(learner=learner, centre=centre)
    note = Note(centre=centre, learner=learner, author=author, text=text.strip())
    note.full_clean()
    note.save()
    return note


@transaction.atomic
def note_update(*, note: Note, editor: User, text: str) -> Note:
    """Change a note's text (its author only).

    Within NOTE_EDIT_WINDOW of writing it, a correction replaces the text; afterwards the
    replaced text is first kept as a NoteVersion. An unchanged text changes nothing.
    """
    if note.author_id != editor.pk:
        raise PermissionDenied(_("Only the author of a note can edit it."))
    _require_staff(user=editor, centre=note.centre)
    text = text.strip()
    if text == note.text:
        return note
    locked = Note.objects.select_for_update().get(pk=note.pk)
    now = timezone.now()
    if now > locked.created_at + NOTE_EDIT_WINDOW or locked.versions.exists():
        NoteVersion.objects.create(
            note=locked, text=locked.text, written_at=locked.updated_at, replaced_by=editor
        )
    locked.text = text
    locked.full_clean()
    locked.save(update_fields=["text", "updated_at"])
    return locked


def access_record(
    *, centre: Centre, viewer: User, what: str, learner: User | None = None, count: int = 1
) -> StaffAccessLog:
    """Log one read of a learner's record (or one export of `count` learners) by staff."""
    entry = StaffAccessLog(centre=centre, viewer=viewer, learner=learner, what=what, count=count)
    entry.full_clean()
    entry.save()
    return entry


def digest_send(*, centre: Centre, today: date | None = None) -> int:
    """E-mail each counsellor of the centre the flagged learners of their caseload, highest
    risk first, in the counsellor's language. Counsellors with nobody flagged get nothing.
    Returns the number of e-mails sent."""
    from django.core.mail import EmailMessage
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    sent = 0
    base = centre.site.root_url
    for counsellor in counsellors_of(centre=centre).exclude(email=""):
        with translation.override(counsellor.preferred_language or "ko"):
            rows = caseload_rows(
                centre=centre,
                viewer=counsellor,
                filters=CaseloadFilters(scope="mine", risk="flagged", sort="risk"),
                today=today,
            )
            if not rows:
                continue
            context = {
                "counsellor": counsellor,
                "centre": centre,
                "rows": rows[:25],
                "more": max(0, len(rows) - 25),
                # reverse() adds the language prefix of the active language (none for Korean).
                "at_risk_url": base + reverse("counselling:at_risk"),
                "base": base,
            }
            subject = _("%(count)d learner(s) to check in on this week · %(centre)s") % {
                "count": len(rows),
                "centre": centre.name,
            }
            body = render_to_string("counselling/email/digest.txt", context)
        EmailMessage(subject=subject, body=body, to=[counsellor.email]).send()
        sent += 1
    return sent


# --- Stored risk -----------------------------------------------------------------------------
# risk_invalidate, risk_rows_reserve and risk_rows_store live in .risk_rows (the selectors
# that compute a stale row on read store it through them) and are imported above.


def risk_rows_refresh(*, centre: Centre, force: bool = False) -> int:
    """Bring the stored risk of every learner of the centre up to date (the beat task, the
    backfill command, the demo seed); `force` computes every row again. Returns the rows
    computed."""
    if force:
        LearnerRisk.objects.filter(centre=centre).update(generation=F("generation") + 1)
    stats: dict = {}
    stored_rows(learners=learners_of(centre=centre), centre=centre, stats=stats)
    return stats["computed"]
