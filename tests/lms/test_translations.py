"""Every UI string has a Korean translation, so no English leaks into the Korean interface."""

from __future__ import annotations

import re
from pathlib import Path

PO = Path(__file__).resolve().parents[2] / "locale" / "ko" / "LC_MESSAGES" / "django.po"


def _entries(text: str) -> list[str]:
    return [block for block in text.split("\n\n") if "msgid" in block]


def _joined(block: str, key: str) -> str:
    match = re.search(rf'^{key} ((?:".*"\n?)+)', block + "\n", re.M)
    return "".join(re.findall(r'"(.*)"', match.group(1))) if match else ""


def test_korean_catalogue_is_complete():
    untranslated, fuzzy = [], []
    for block in _entries(PO.read_text(encoding="utf-8"))[1:]:  # the first entry is the header
        if block.lstrip().startswith("#~"):
            continue
        msgid = _joined(block, "msgid")
        if "#, fuzzy" in block:
            fuzzy.append(msgid)
        translation = _joined(block, "msgstr") or _joined(block, r"msgstr\[0\]")
        if not translation:
            untranslated.append(msgid)
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"
