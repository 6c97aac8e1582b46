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


VENDOR = PO.parents[2] / "vendor" / "ko" / "LC_MESSAGES" / "django.po"


def _installed_msgids() -> set[str]:
    """Every msgid of the installed Wagtail and wagtailmedia English catalogues."""
    import wagtail
    import wagtailmedia

    found = set()
    for package in (wagtail, wagtailmedia):
        root = Path(package.__file__).parent
        for po in root.glob("**/locale/en/LC_MESSAGES/django.po"):
            found |= {_joined(b, "msgid") for b in _entries(po.read_text(encoding="utf-8"))}
    return found


def test_vendor_catalogue_translates_messages_wagtail_still_has():
    """locale/vendor gives Korean to Wagtail and wagtailmedia messages their own Korean lacks:
    each msgid is one the installed packages still use (an upgrade that rewords one shows
    here), each has its Korean, and the plural forms are Korean's single one."""
    entries = _entries(VENDOR.read_text(encoding="utf-8"))
    assert "Plural-Forms: nplurals=1; plural=0;" in entries[0]
    installed = _installed_msgids()
    stale = [_joined(b, "msgid") for b in entries[1:] if _joined(b, "msgid") not in installed]
    empty = [
        _joined(b, "msgid")
        for b in entries[1:]
        if not (_joined(b, "msgstr") or _joined(b, r"msgstr\[0\]"))
    ]
    assert not stale, f"no longer in Wagtail or wagtailmedia: {stale}"
    assert not empty, f"untranslated: {empty}"


def test_vendor_catalogue_is_the_one_the_admin_speaks():
    from django.conf import settings
    from django.utils import translation

    assert settings.LOCALE_PATHS[0] == VENDOR.parents[2]
    with translation.override("ko"):
        assert translation.gettext("Media") == "미디어"
        assert translation.gettext("Search all pages…") == "모든 페이지 검색…"
