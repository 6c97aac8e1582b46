"""The reviewed data files shipped with the app: role profiles and project skills."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
ROLES_DIR = DATA_DIR / "roles"
PROJECT_SKILLS = DATA_DIR / "project_skills.yaml"
ESCO_SUBSET = DATA_DIR / "esco_subset.json"
KOREAN_LABELS = DATA_DIR / "skill_labels_ko.yaml"


def role_files(directory: Path = ROLES_DIR) -> list[dict[str, Any]]:
    """Every role data file, sorted by slug."""
    docs = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in directory.glob("*.yaml")]
    return sorted(docs, key=lambda d: d["slug"])


def project_skills() -> list[dict[str, Any]]:
    return yaml.safe_load(PROJECT_SKILLS.read_text(encoding="utf-8"))


def korean_label_entries() -> dict[str, dict[str, Any]]:
    """Korean labels of the skills roles use: URI → {"label", "alt", "label_provenance",
    "alt_provenance"}, each provenance a sentence saying who translated it and whether a
    native speaker reviewed it."""
    if not KOREAN_LABELS.exists():
        return {}
    doc = yaml.safe_load(KOREAN_LABELS.read_text(encoding="utf-8")) or {}
    translators = doc.get("translators", {})

    def provenance(entry: dict[str, Any], key: str) -> str:
        text = translators.get(entry.get(key, ""), entry.get(key, "")) or ""
        if entry.get("reviewed_by"):
            text = text.replace(", not reviewed by a native speaker", "")
            text += f"; reviewed by {entry['reviewed_by']}"
        return text

    return {
        uri: {
            "label": entry["label"],
            "alt": [str(a) for a in entry.get("alt", [])],
            "label_provenance": provenance(entry, "label_by"),
            "alt_provenance": provenance(entry, "alt_by"),
        }
        for uri, entry in (doc.get("skills") or {}).items()
    }


def korean_labels() -> dict[str, str]:
    """Korean preferred labels for the skills roles use (URI → label)."""
    return {uri: entry["label"] for uri, entry in korean_label_entries().items()}
