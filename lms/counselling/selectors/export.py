"""A learner's own data: which staff roles can see it, and everything as JSON."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import (
    Count,
)
from django.utils import timezone

from assessments.models import Attempt
from lms.accounts.models import Membership, Role
from lms.certificates.models import Certificate
from lms.learning.models import Enrolment, LessonProgress
from lms.skills.models import LearnerGoal, SkillEvidence, TextClaim

from ..models import LearnerPlan, StaffAccessLog

# --- The learner's own data ---------------------------------------------------------------


def staff_roles_seeing(*, user) -> list[dict]:
    """For each centre the user learns at: which staff roles can see what of their data."""
    from django.utils.translation import gettext as _

    out = []
    for membership in (
        Membership.objects.filter(user=user, role=Role.LEARNER)
        .select_related("centre__site")
        .order_by("centre__slug")
    ):
        centre = membership.centre
        staff = dict(
            Membership.objects.filter(
                centre=centre, role__in=[r for r in Role.values if r != Role.LEARNER]
            )
            .values_list("role")
            .annotate(n=Count("pk"))
            .values_list("role", "n")
        )
        out.append(
            {
                "centre": centre,
                "roles": [
                    {
                        "role": Role.COUNSELLOR,
                        "label": Role.COUNSELLOR.label,
                        "count": staff.get(Role.COUNSELLOR, 0),
                        "sees": _(
                            "Your whole record at this centre: courses, progress, grades, "
                            "skills, goal role, plan and certificates; they write notes."
                        ),
                    },
                    {
                        "role": Role.CENTRE_ADMIN,
                        "label": Role.CENTRE_ADMIN.label,
                        "count": staff.get(Role.CENTRE_ADMIN, 0),
                        "sees": _("The same as counsellors, and who opened your record when."),
                    },
                    {
                        "role": Role.INSTRUCTOR,
                        "label": Role.INSTRUCTOR.label,
                        "count": staff.get(Role.INSTRUCTOR, 0),
                        "sees": _("Your progress and grades in the courses they teach."),
                    },
                ],
            }
        )
    return out


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def learner_data_export(*, user) -> dict:
    """Everything Dasi keeps about a learner, as JSON-ready data, for the learner.

    Staff notes are not included (they are the centre's working notes); the export says so.
    """
    goal = LearnerGoal.objects.filter(user=user).select_related("role").first()
    enrolments = list(
        Enrolment.objects.filter(user=user).select_related("course", "centre").order_by("pk")
    )
    progress = defaultdict(list)
    for item in LessonProgress.objects.filter(enrolment__user=user).select_related("lesson"):
        progress[item.enrolment_id].append(
            {
                "lesson": item.lesson.title,
                "status": item.status,
                "started_at": _iso(item.started_at),
                "completed_at": _iso(item.completed_at),
            }
        )
    return {
        "format": "dasi-learner-data/1",
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "username": user.username,
            "name": user.name,
            "email": user.email,
            "preferred_language": user.preferred_language,
            "joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        },
        "memberships": [
            {"centre": m.centre.slug, "role": m.role, "since": _iso(m.created_at)}
            for m in Membership.objects.filter(user=user).select_related("centre")
        ],
        "goal_role": goal.role.slug if goal else None,
        "enrolments": [
            {
                "course": e.course.title,
                "course_id": e.course_id,
                "centre": e.centre.slug,
                "status": e.status,
                "enrolled_at": _iso(e.enrolled_at),
                "completed_at": _iso(e.completed_at),
                "last_activity_at": _iso(e.last_activity_at),
                "lessons": progress.get(e.pk, []),
            }
            for e in enrolments
        ],
        "attempts": [
            {
                "assessment": a.assessment.title,
                "course_id": a.course_id,
                "number": a.number,
                "status": a.status,
                "score": str(a.score) if a.score is not None else None,
                "max_score": str(a.max_score) if a.max_score is not None else None,
                "started_at": _iso(a.started_at),
                "submitted_at": _iso(a.submitted_at),
                "answers": a.answers,
            }
            for a in Attempt.objects.filter(user=user).select_related("assessment").order_by("pk")
        ],
        "skill_evidence": [
            {
                "skill": e.skill.esco_uri,
                "label": e.skill.label,
                "level": e.level,
                "score": e.score,
                "source": e.source_type,
                "source_label": e.source_label,
                "recorded_at": _iso(e.recorded_at),
            }
            for e in SkillEvidence.objects.filter(user=user).select_related("skill")
        ],
        "cv_phrases": [
            {"phrase": c.phrase, "skill": c.skill.esco_uri if c.skill else None}
            for c in TextClaim.objects.filter(user=user).select_related("skill")
        ],
        "certificates": [
            {
                "number": c.number,
                "course": c.course_title,
                "centre": c.centre.slug,
                "issued_at": _iso(c.issued_at),
                "status": c.status,
            }
            for c in Certificate.objects.filter(user=user).select_related("centre")
        ],
        "plans": [
            {
                "centre": p.centre.slug,
                "goal_role": p.goal_role.slug if p.goal_role else None,
                "target_date": _iso(p.target_date),
                "agreed": p.agreed,
                "next_meeting": _iso(p.next_meeting),
                "saved_at": _iso(p.created_at),
            }
            for p in LearnerPlan.objects.filter(learner=user)
            .select_related("centre", "goal_role")
            .order_by("created_at")
        ],
        "staff_notes": {
            "included": False,
            "why": (
                "Counselling notes are the centre's working notes and are not part of this export."
            ),
        },
        "staff_access": [
            {"centre": a.centre.slug, "what": a.what, "at": _iso(a.at)}
            for a in StaffAccessLog.objects.filter(learner=user).select_related("centre")[:500]
        ],
        "staff_roles_with_access": [
            {
                "centre": item["centre"].slug,
                "roles": [{"role": r["role"], "people": r["count"]} for r in item["roles"]],
            }
            for item in staff_roles_seeing(user=user)
        ],
    }
