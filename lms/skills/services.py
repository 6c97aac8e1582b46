"""Writes on skills: recording evidence that a learner showed a skill."""

from __future__ import annotations

from .models import Skill, SkillEvidence


def evidence_record(
    *,
    user,
    skill: Skill,
    level: int,
    score: float,
    source_type: str,
    source_id: str,
    source_label: str = "",
    course=None,
) -> SkillEvidence:
    """Record one piece of skill evidence (never updated afterwards; a regrade adds a new one)."""
    evidence = SkillEvidence(
        user=user,
        skill=skill,
        level=level,
        score=score,
        source_type=source_type,
        source_id=source_id,
        source_label=source_label[:255],
        course=course,
    )
    evidence.full_clean()
    evidence.save()
    return evidence
