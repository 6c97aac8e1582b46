"""The certificate font: a compact face derived from Noto Sans KR Regular (OFL 1.1), renamed
"Dasi Certificate KR", holding what a certificate prints in nearly every case (Latin, digits,
punctuation, the symbols of the template, Hangul compatibility Jamo and the 2,350 syllables of
KS X 1001) with its glyphs numbered compactly.

Noto Sans KR keeps Hangul at glyph ids 10,316-21,487, and WeasyPrint keeps the glyph ids when
it subsets a font for a PDF, so every Korean certificate carried some 21,000 glyph slots; this
face has about 3,100. The full Noto Sans KR stays behind it in the certificate's font-family,
so a name with a syllable outside KS X 1001 (똠, 햏, 뷁) still prints.

Built once, deterministically, into settings.DASI_CERTIFICATE_FONT_DIR (`manage.py
certificate_font`, run by `make setup` and the image build); a process that finds it missing
builds it under a file lock, and one that cannot write there uses the full face alone."""

from __future__ import annotations

import fcntl
import logging
import os
import tempfile
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

FAMILY = "Dasi Certificate KR"
POSTSCRIPT_NAME = "DasiCertificateKR-Regular"
# Raise it when what is built changes: the file's name carries it, so a stale build is ignored.
BUILD = 1


def ks_x_1001_syllables() -> list[int]:
    """The 2,350 precomposed Hangul syllables of KS X 1001. Python's euc-kr codec writes the
    others as 8-byte Jamo sequences (KS X 1001 annex 3), so two bytes means in the set."""
    return [c for c in range(0xAC00, 0xD7A4) if len(chr(c).encode("euc-kr")) == 2]


def codepoints() -> set[int]:
    ranges = [
        (0x0020, 0x007E),  # ASCII
        (0x00A0, 0x017F),  # Latin-1 and Latin Extended-A (©, ·, names in Latin script)
        (0x2010, 0x2027),  # dashes, quotes, bullet, ellipsis
        (0x2030, 0x203A),
        (0x3000, 0x301F),  # CJK punctuation: 「」『』〈〉, ideographic space
        (0x3131, 0x318E),  # Hangul compatibility Jamo
    ]
    cps = {c for low, high in ranges for c in range(low, high + 1)}
    cps |= {0x20A9, 0x20AC, 0x2122, 0x2190, 0x2191, 0x2192, 0x2193}  # ₩ € ™ arrows
    cps |= {0xFF08, 0xFF09, 0xFF0C, 0xFF0E, 0xFF1A, 0xFF5E}  # fullwidth ( ) , . : ~
    return cps | set(ks_x_1001_syllables())


def source_path() -> Path:
    import pylopdf_fonts_ko

    return Path(pylopdf_fonts_ko.sans_path())


def build(source: Path, target: Path) -> None:
    """Subset, renumber and rename the source face into target (the same bytes every time)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(source, recalcTimestamp=False)
    options = subset.Options()
    options.retain_gids = False
    options.layout_features = ["*"]  # kerning, ligatures, vertical forms: as the source
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = True
    options.glyph_names = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints())
    subsetter.subset(font)
    _rename(font)
    font.save(target)


def _rename(font) -> None:
    """A derived font may not carry the original's names (OFL 1.1, condition 3; its copyright
    line reserves the name "Source"): the family, full, unique and PostScript names change,
    the copyright, trademark and licence lines stay."""
    name = font["name"]
    original = name.getDebugName(3) or name.getDebugName(6)
    values = {
        1: FAMILY,
        3: f"{BUILD}.0;DASI;{POSTSCRIPT_NAME};derived from {original}",
        4: FAMILY,
        6: POSTSCRIPT_NAME,
        16: FAMILY,
        17: "Regular",
        10: "Derived from Noto Sans KR Regular: Latin, punctuation and the 2,350 Hangul"
        " syllables of KS X 1001, for Dasi's certificates.",
    }
    for record in list(name.names):
        if record.nameID in values:
            name.removeNames(nameID=record.nameID)
    for name_id, value in values.items():
        name.setName(value, name_id, 3, 1, 0x409)
        name.setName(value, name_id, 1, 0, 0)
    cff = font["CFF "].cff
    cff.fontNames = [POSTSCRIPT_NAME]
    top = cff.topDictIndex[0]
    for key in ("FullName", "FamilyName"):
        if hasattr(top, key):
            setattr(top, key, FAMILY)
    if hasattr(top, "CIDFontName"):
        top.CIDFontName = POSTSCRIPT_NAME


def target_path(source: Path | None = None) -> Path:
    source = source or source_path()
    stat = source.stat()
    return Path(settings.DASI_CERTIFICATE_FONT_DIR) / (
        f"{POSTSCRIPT_NAME}-{BUILD}-{stat.st_size}.otf"
    )


def ensure() -> Path | None:
    """The built font's path, building it if missing (once, whatever the number of worker
    processes: they wait on a lock, then find it); None when it cannot be built here."""
    source = source_path()
    target = target_path(source)
    if target.exists():
        return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target.parent / ".build.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not target.exists():
                fd, partial = tempfile.mkstemp(dir=target.parent, suffix=".part")
                os.close(fd)
                try:
                    build(source, Path(partial))
                    os.chmod(partial, 0o644)
                    os.replace(partial, target)
                finally:
                    if os.path.exists(partial):
                        os.unlink(partial)
    except OSError:
        logger.warning("certificate font: cannot build %s; the full face is used", target)
        return None
    return target
