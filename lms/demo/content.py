"""Demo learning content for Dasi (다시): ESCO skills and bilingual (ko/en) courses.

The content is data, in the YAML files under `content/`: `skills.yaml` (ESCO URIs with
English and Korean labels), `courses.yaml` (each course's facts, skill outcomes, title and
summary per language, and its lessons in order), and one file per lesson and language,
`<course slug>/<lesson slug>.<language>.yaml`, with the lesson's title, intro and body (a
Wagtail StreamField raw value: heading, paragraph, code and callout blocks). Read once per
process, on first use; no Django.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

CONTENT = Path(__file__).with_name("content")
LANGUAGES = ("ko", "en")


def _read(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@cache
def skills() -> list[dict[str, str]]:
    """The demo's skills: {"uri", "label_en", "label_ko"}, in order."""
    return _read(CONTENT / "skills.yaml")


@cache
def courses() -> list[dict[str, Any]]:
    """The demo courses in seeding order, each lesson with its text in every language."""
    catalogue = _read(CONTENT / "courses.yaml")
    for course in catalogue:
        for lesson in course["lessons"]:
            for language in LANGUAGES:
                lesson[language] = _read(
                    CONTENT / course["slug"] / f"{lesson['slug']}.{language}.yaml"
                )
    return catalogue
