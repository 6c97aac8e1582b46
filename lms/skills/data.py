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


def korean_labels() -> dict[str, str]:
    """Korean labels for the skills roles use (URI → label), where translated."""
    if not KOREAN_LABELS.exists():
        return {}
    return dict(yaml.safe_load(KOREAN_LABELS.read_text(encoding="utf-8")) or {})
