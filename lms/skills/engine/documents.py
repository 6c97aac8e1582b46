"""Text out of a CV or job posting: pasted text, PDF (pypdf) or DOCX (zipfile + XML).

Every failure is a `DocumentError` with a stable `code`; the Django layer turns the code into
a translated message. Nothing here stores anything.

- Size: at most `MAX_BYTES` (1 MB) of upload or text.
- Binary: NUL bytes, undecodable bytes, or a format we do not read.
- PDF without a text layer (a scan): no text on any page. We do not run OCR.
- HWP / HWPX (Hangul Word Processor): refused with its own code. The only HWP reader on PyPI
  (pyhwp) is a beta last released in 2020, under the AGPL; we do not depend on it.
- Mixed scripts: a word that mixes Latin with Cyrillic or Greek letters (a look-alike such as
  "Pythоn" with a Cyrillic "о"), or text that is mostly neither Korean nor English.
  Korean and English side by side, even in one word ("파이썬Python"), is normal and accepted.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

MAX_BYTES = 1_000_000
MAX_DOCX_XML = 20_000_000  # uncompressed word/document.xml; guards against zip bombs
MAX_PDF_PAGES = 50

_WORD = re.compile(r"\w+", re.UNICODE)
_W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class DocumentError(ValueError):
    """The input cannot be read as a CV or posting; `code` says why, `detail` what."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Document:
    text: str
    source: str  # "pasted", "pdf" or "docx"
    name: str = ""


def _script(ch: str) -> str:
    if "\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff" or "\u3130" <= ch <= "\u318f":
        return "hangul"
    if ch.isdigit() or ch == "_":
        return "common"
    name = unicodedata.name(ch, "")
    for script in ("LATIN", "CYRILLIC", "GREEK", "CJK", "HIRAGANA", "KATAKANA", "ARABIC"):
        if name.startswith(script):
            return script.lower()
    return "other"


def text_check(text: str) -> str:
    """The text, NFC-normalised and stripped, or DocumentError (empty, too_large, binary,
    mixed_scripts, language)."""
    if text is None or not text.strip():
        raise DocumentError("empty")
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise DocumentError("too_large")
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t")
    if "\x00" in text or "\ufffd" in text or controls > max(5, len(text) // 200):
        raise DocumentError("binary")
    text = unicodedata.normalize("NFC", text).strip()
    letters: dict[str, int] = {}
    for word in _WORD.findall(text):
        scripts = {_script(ch) for ch in word} - {"common"}
        if "latin" in scripts and scripts & {"cyrillic", "greek"}:
            raise DocumentError("mixed_scripts", word[:40])
        for ch in word:
            script = _script(ch)
            letters[script] = letters.get(script, 0) + 1
    total = sum(n for s, n in letters.items() if s != "common")
    if total == 0:
        raise DocumentError("empty")
    readable = letters.get("hangul", 0) + letters.get("latin", 0)
    if readable < 0.8 * total:
        raise DocumentError("language")
    return text


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise DocumentError("encrypted")
        pages = reader.pages
        if len(pages) > MAX_PDF_PAGES:
            raise DocumentError("too_many_pages", str(len(pages)))
        text = "\n".join((page.extract_text() or "") for page in pages)
    except DocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise DocumentError("unreadable", type(exc).__name__) from exc
    if not text.strip():
        raise DocumentError("no_text_layer")
    return text


def _docx_text(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            try:
                info = archive.getinfo("word/document.xml")
            except KeyError as exc:
                raise DocumentError("unsupported_format") from exc
            if info.file_size > MAX_DOCX_XML:
                raise DocumentError("too_large")
            xml = archive.read(info)
    except zipfile.BadZipFile as exc:
        raise DocumentError("unreadable", "zip") from exc
    if b"<!DOCTYPE" in xml[:2000] or b"<!ENTITY" in xml:
        raise DocumentError("unreadable", "DTD")  # Word never writes one; entities can explode
    try:
        root = ElementTree.fromstring(xml)  # noqa: S314 — no DTD or entities (checked above)
    except ElementTree.ParseError as exc:
        raise DocumentError("unreadable", "xml") from exc
    paragraphs = []
    for para in root.iter(f"{_W_NS}p"):
        parts = []
        for node in para.iter():
            if node.tag == f"{_W_NS}t" and node.text:
                parts.append(node.text)
            elif node.tag in (f"{_W_NS}tab", f"{_W_NS}br"):
                parts.append(" ")
        paragraphs.append("".join(parts))
    return "\n".join(paragraphs)


def document_read(data: bytes, name: str = "") -> Document:
    """The checked text of an uploaded file (PDF, DOCX or plain UTF-8 text)."""
    if not data:
        raise DocumentError("empty")
    if len(data) > MAX_BYTES:
        raise DocumentError("too_large")
    lower = name.lower()
    if lower.endswith((".hwp", ".hwpx")) or data.startswith(b"HWP Document File"):
        raise DocumentError("hwp")
    if data.startswith(b"%PDF-"):
        return Document(text_check(_pdf_text(data)), "pdf", name)
    if data.startswith(b"PK\x03\x04"):
        if b"hwp+zip" in data[:200]:
            raise DocumentError("hwp")
        return Document(text_check(_docx_text(data)), "docx", name)
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # OLE: .doc, .hwp 5 without the name
        raise DocumentError("unsupported_format")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError("binary") from exc
    return Document(text_check(text), "pasted", name)
