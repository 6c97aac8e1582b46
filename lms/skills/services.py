"""Writes on skills: evidence, goals, self-assessment, CV phrases, the taxonomy and roles."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from .consent import cv_use_allowed
from .engine.documents import Document, DocumentError, document_read, text_check
from .engine.matching import split_phrases
from .engine.taxonomy import Taxonomy
from .models import (
    JobPosting,
    LearnerGoal,
    PostingSkill,
    Role,
    RoleSkill,
    Skill,
    SkillEvidence,
    SkillGroup,
    SkillLabel,
    TextClaim,
)
from .runtime import skill_matcher

SELF_SOURCE_ID = "self"


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


@dataclass(frozen=True)
class GradedItem:
    """One graded piece of work (a quiz question, a notebook cell, a completed course) and the
    skill it shows. `skill` None: the item names no skill (or one not in the taxonomy)."""

    skill: Skill | None
    level: int
    points: Decimal | float
    max_points: Decimal | float
    source_id: str


def evidence_record_graded(
    *, user, items: Iterable[GradedItem], source_type: str, source_label: str, course=None
) -> list[SkillEvidence]:
    """Record the skill evidence of graded work: one piece per item that names a skill and is
    worth points, scored as the share of its points earned (0–1), in the items' order."""
    return [
        evidence_record(
            user=user,
            skill=item.skill,
            level=item.level,
            score=float(Decimal(str(item.points)) / Decimal(str(item.max_points))),
            source_type=source_type,
            source_id=item.source_id,
            source_label=source_label,
            course=course,
        )
        for item in items
        if item.skill is not None and item.max_points
    ]


def goal_set(*, user, role: Role) -> LearnerGoal:
    """Make `role` the learner's goal, replacing any previous one."""
    if not role.is_active:
        raise ValidationError(_("This role is not offered."))
    goal, _created = LearnerGoal.objects.update_or_create(user=user, defaults={"role": role})
    return goal


def goal_clear(*, user) -> None:
    """Remove the learner's goal role, if any."""
    LearnerGoal.objects.filter(user=user).delete()


def self_assessment_record(*, user, skill: Skill, level: int) -> SkillEvidence:
    """Record the learner's own rating of a skill (1–5). The latest rating per skill counts,
    discounted by one level until evidence confirms it (see `selectors.learner_profile`)."""
    return evidence_record(
        user=user,
        skill=skill,
        level=level,
        score=1.0,
        source_type=SkillEvidence.Source.SELF_ASSESSMENT,
        source_id=SELF_SOURCE_ID,
        source_label=_("Self-assessment"),
    )


DOCUMENT_MESSAGES = {
    "empty": _lazy("There is no text to read. Paste your CV or choose a file with text in it."),
    "too_large": _lazy("The text or file is too large (at most 1 MB)."),
    "binary": _lazy("This is not text we can read. Upload a PDF or DOCX file, or paste text."),
    "mixed_scripts": _lazy(
        "“%(detail)s” mixes Latin letters with look-alike Cyrillic or Greek ones. "
        "Retype it and try again."
    ),
    "language": _lazy("We can read Korean and English only."),
    "no_text_layer": _lazy(
        "This PDF has no text layer (it looks like a scan or a photo). Upload the original "
        "file, or paste the text."
    ),
    "encrypted": _lazy("This PDF is password-protected. Upload an unprotected copy."),
    "too_many_pages": _lazy("The PDF has too many pages (at most 50)."),
    "unreadable": _lazy("The file is damaged or not what its name says."),
    "unsupported_format": _lazy("We read PDF and DOCX files and plain text only."),
    "hwp": _lazy(
        "HWP files cannot be read yet. In Hangul, save the document as PDF or DOCX and upload "
        "that, or paste the text."
    ),
}
MAX_PHRASES = 200


def document_error(exc: DocumentError) -> ValidationError:
    """The translated, user-facing message for a document that could not be read."""
    message = DOCUMENT_MESSAGES.get(exc.code, DOCUMENT_MESSAGES["unreadable"])
    return ValidationError(str(message) % {"detail": exc.detail}, code=exc.code)


def document_text(*, data: bytes | None = None, name: str = "", text: str = "") -> Document:
    """The checked text of an upload or of pasted text; ValidationError with a clear message
    for empty, over 1 MB, binary, scanned-image PDFs, HWP and mixed-script input."""
    try:
        if data is not None:
            return document_read(data, name=name)
        return Document(text_check(text), TextClaim.Source.PASTED)
    except DocumentError as exc:
        raise document_error(exc) from exc


def cv_submit(
    *, user, text: str, source: str = TextClaim.Source.PASTED, document_name: str = ""
) -> list[TextClaim]:
    """Read a CV (already checked text) into suggestions the learner or a counsellor confirms.

    Replaces the learner's previous claims. Every phrase is stored, matched or not; the
    unmatched ones carry up to three suggestions. Nothing counts as evidence until a claim
    is confirmed (`claim_review`). Refused when CV use is not allowed for the learner.
    """
    if not cv_use_allowed(user=user):
        raise ValidationError(_("Your CV is not used for recommendations."), code="consent")
    try:
        text = text_check(text)
    except DocumentError as exc:
        raise document_error(exc) from exc
    phrases = split_phrases(text)[:MAX_PHRASES]
    matches = skill_matcher().match(phrases)
    uris = {m.skill for m in matches if m.skill}
    uris |= {c.skill for m in matches for c in m.suggestions}
    skills = {s.esco_uri: s for s in Skill.objects.filter(esco_uri__in=uris)}
    claims = [
        TextClaim(
            user=user,
            phrase=m.phrase[:500],
            skill=skills.get(m.skill) if m.skill else None,
            method=m.method if m.skill in skills else TextClaim.Method.NONE,
            score=round(float(m.score), 4),
            suggestions=[
                {
                    "skill": c.skill,
                    "label": c.label,
                    "label_ko": skills[c.skill].label_ko if c.skill in skills else "",
                    "score": round(c.score, 3),
                }
                for c in m.suggestions
            ],
            source=source,
            document_name=document_name[:255],
        )
        for m in matches
    ]
    with transaction.atomic():
        TextClaim.objects.filter(user=user).delete()
        return TextClaim.objects.bulk_create(claims)


def claim_review(*, claim: TextClaim, reviewer, confirm: bool, skill_uri: str = "") -> TextClaim:
    """Confirm or reject one CV claim. The caller has checked that `reviewer` is the learner
    or a counsellor or admin of the learner's centre.

    `skill_uri` confirms one of the claim's suggestions instead of its match (a phrase the
    cascade did not accept can still be linked by a person); anything else is refused.
    """
    if confirm and skill_uri and skill_uri != (claim.skill.esco_uri if claim.skill else ""):
        offered = {s.get("skill"): s for s in claim.suggestions or []}
        if skill_uri not in offered:
            raise ValidationError(_("That skill was not suggested for this phrase."))
        claim.skill = Skill.objects.get(esco_uri=skill_uri)
        claim.method = TextClaim.Method.EMBEDDING
        claim.score = float(offered[skill_uri].get("score") or 0.0)
    if confirm and claim.skill_id is None:
        raise ValidationError(_("This phrase was not matched to a skill."), code="unmatched")
    claim.status = TextClaim.Status.CONFIRMED if confirm else TextClaim.Status.REJECTED
    claim.reviewed_by = reviewer
    claim.reviewed_at = timezone.now()
    claim.full_clean()
    claim.save(update_fields=["status", "reviewed_by", "reviewed_at", "skill", "method", "score"])
    return claim


@transaction.atomic
def posting_add(*, centre, user, title: str, text: str) -> JobPosting:
    """Store a job posting of `centre` and the skills it asks for (matched phrases).

    The text is checked like a CV (empty, over 1 MB, binary, mixed scripts are refused and
    nothing is stored)."""
    try:
        text = text_check(text)
    except DocumentError as exc:
        raise document_error(exc) from exc
    title = (title or "").strip() or text.splitlines()[0][:200]
    posting = JobPosting(centre=centre, title=title[:200], text=text, added_by=user)
    posting.full_clean()
    posting.save()
    phrases = split_phrases(text)[:MAX_PHRASES]
    best: dict[str, tuple[float, str]] = {}
    for m in skill_matcher().match(phrases):
        if m.skill and m.score > best.get(m.skill, (-1.0, ""))[0]:
            best[m.skill] = (m.score, m.phrase)
    skills = {s.esco_uri: s for s in Skill.objects.filter(esco_uri__in=list(best))}
    PostingSkill.objects.bulk_create(
        PostingSkill(posting=posting, skill=skills[uri], phrase=phrase[:500], score=score)
        for uri, (score, phrase) in best.items()
        if uri in skills
    )
    return posting


def posting_delete(*, posting: JobPosting) -> None:
    """Remove a posting and the skills counted from it."""
    posting.delete()


def _batched(items: list, size: int = 2000) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@transaction.atomic
def taxonomy_load(*, taxonomy: Taxonomy, project_skills: list[dict[str, Any]]) -> dict[str, int]:
    """Insert or update every ESCO skill, its alternative labels and groups, then the project
    skills. Korean labels already set (demo data, admins) are kept. Returns counts."""
    groups = {g.code: g for g in SkillGroup.objects.all()}
    new_groups = [
        SkillGroup(code=code, label=label[:255])
        for code, label in taxonomy.groups.items()
        if code not in groups
    ]
    SkillGroup.objects.bulk_create(new_groups, batch_size=2000)
    groups = {g.code: g for g in SkillGroup.objects.all()}
    for code, group in groups.items():
        parent_code = code.rsplit(".", 1)[0] if "." in code else (code[:1] if len(code) > 1 else "")
        parent = groups.get(parent_code) if parent_code and parent_code != code else None
        if parent is not None and group.parent_id != parent.pk:
            group.parent = parent
            group.save(update_fields=["parent"])

    existing = {s.esco_uri: s for s in Skill.objects.all()}
    to_create, to_update = [], []
    for uri, item in taxonomy.skills.items():
        group = next((groups[c] for c in item.groups if c in groups), None)
        skill = existing.get(uri)
        if skill is None:
            to_create.append(
                Skill(
                    esco_uri=uri,
                    label_en=item.label[:255],
                    kind=item.kind,
                    description=item.description,
                    group=group,
                )
            )
        else:
            skill.label_en = item.label[:255]
            skill.kind = item.kind
            skill.description = item.description or skill.description
            skill.group = group
            to_update.append(skill)
    for batch in _batched(to_create):
        Skill.objects.bulk_create(batch)
    for batch in _batched(to_update):
        Skill.objects.bulk_update(batch, ["label_en", "kind", "description", "group"])

    ids = dict(Skill.objects.values_list("esco_uri", "pk"))
    for item in project_skills:
        nearest = ids.get(item.get("nearest_esco", ""))
        Skill.objects.update_or_create(
            esco_uri=item["uri"],
            defaults={
                "label_en": item["label"],
                "label_ko": item.get("label_ko", ""),
                "kind": Skill.Kind.PROJECT,
                "description": item.get("description", ""),
                "nearest_esco_id": nearest,
                "esco_match": item.get("match", ""),
            },
        )
    ids = dict(Skill.objects.values_list("esco_uri", "pk"))
    have = set(SkillLabel.objects.values_list("skill_id", "text"))
    labels = []
    for uri, item in taxonomy.skills.items():
        for text in item.alt_labels:
            key = (ids[uri], text[:255])
            if key not in have:
                have.add(key)
                labels.append(SkillLabel(skill_id=key[0], text=key[1]))
    for item in project_skills:
        for text in item.get("alt_labels", []):
            key = (ids[item["uri"]], text[:255])
            if key not in have:
                have.add(key)
                language = "ko" if any("\uac00" <= ch <= "\ud7a3" for ch in text) else "en"
                labels.append(SkillLabel(skill_id=key[0], text=key[1], language=language))
    for batch in _batched(labels, 5000):
        SkillLabel.objects.bulk_create(batch)
    return {
        "skills": len(to_create),
        "skills_updated": len(to_update),
        "project_skills": len(project_skills),
        "labels": len(labels),
        "groups": len(new_groups),
    }


@transaction.atomic
def korean_labels_load(*, entries: dict[str, dict[str, Any]]) -> dict[str, int]:
    """Store the Korean labels of the data file, with who translated them.

    A skill's Korean label is set when it is empty or still the one the file gave before
    (its provenance is set); a label an admin or the demo data wrote is kept, and it gets
    the file's provenance only if it is the same text. Alternative Korean labels are added,
    never removed. Returns counts of labels set and alternative labels added.
    """
    skills = {s.esco_uri: s for s in Skill.objects.filter(esco_uri__in=list(entries))}
    changed = []
    for uri, entry in entries.items():
        skill = skills.get(uri)
        if skill is None:
            continue
        keep = skill.label_ko and not skill.label_ko_provenance
        if keep and skill.label_ko != entry["label"]:
            continue
        if (skill.label_ko, skill.label_ko_provenance) != (
            entry["label"],
            entry["label_provenance"],
        ):
            skill.label_ko = entry["label"]
            skill.label_ko_provenance = entry["label_provenance"]
            changed.append(skill)
    Skill.objects.bulk_update(changed, ["label_ko", "label_ko_provenance"])
    have = {
        (skill_id, text): (pk, provenance)
        for pk, skill_id, text, provenance in SkillLabel.objects.filter(
            skill__in=list(skills.values())
        ).values_list("pk", "skill_id", "text", "provenance")
    }
    new, update = [], []
    for uri, entry in entries.items():
        skill = skills.get(uri)
        if skill is None:
            continue
        for text in entry["alt"]:
            key = (skill.pk, text[:255])
            if key not in have:
                have[key] = (None, entry["alt_provenance"])
                new.append(
                    SkillLabel(
                        skill=skill,
                        text=key[1],
                        language="ko",
                        provenance=entry["alt_provenance"],
                    )
                )
            elif have[key][0] and have[key][1] != entry["alt_provenance"]:
                update.append(
                    SkillLabel(pk=have[key][0], language="ko", provenance=entry["alt_provenance"])
                )
    SkillLabel.objects.bulk_create(new)
    SkillLabel.objects.bulk_update(update, ["language", "provenance"])
    return {"labels": len(changed), "alt_labels": len(new)}


@transaction.atomic
def role_load(*, data: dict[str, Any], force: bool = False, user=None) -> tuple[Role, bool]:
    """Create or update a role from one reviewed data file; returns (role, changed).

    A role whose stored `data_version` is at least the file's is left alone (admins may have
    edited it) unless `force`. Every change is saved as a revision.
    """
    slug = data["slug"]
    version = int(data.get("version", 1))
    role = Role.objects.filter(slug=slug).first()
    if role is not None and role.data_version >= version and not force:
        return role, False
    uris = [item["skill"] for item in data["skills"]]
    skills = {s.esco_uri: s for s in Skill.objects.filter(esco_uri__in=uris)}
    missing = [u for u in uris if u not in skills]
    if missing:
        raise ValidationError(
            _("Role %(slug)s names skills not in the taxonomy: %(uris)s")
            % {"slug": slug, "uris": ", ".join(missing)}
        )
    role = role or Role(slug=slug)
    role.name_en = data["name"]["en"]
    role.name_ko = data["name"]["ko"]
    role.description_en = data.get("description", {}).get("en", "")
    role.description_ko = data.get("description", {}).get("ko", "")
    role.esco_occupation_uri = data.get("esco_occupation") or ""
    source = data.get("source") or {}
    if isinstance(source, str):  # files before version 2 give the English note only
        source = {"en": source}
    role.source_note = source.get("en", "")
    role.source_note_ko = source.get("ko", "")
    role.data_version = version
    role.requirements = [
        RoleSkill(
            skill=skills[item["skill"]],
            level=int(item["level"]),
            weight=float(item["weight"]),
            sort_order=order,
        )
        for order, item in enumerate(data["skills"])
    ]
    role.full_clean()
    for requirement in role.requirements.all():
        requirement.full_clean(exclude=["role"])
    role.save()
    role.save_revision(user=user, log_action=True)
    return role, True
