"""The certificate PDF: A4 landscape, in the learner's language, PDF/A-3b with the signed
credential attached, Korean set in the bundled Noto Sans KR (OFL)."""

from __future__ import annotations

import atexit
import json
import types
import zlib
from functools import lru_cache
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

import segno

from lms.certificates import fonts

CREDENTIAL_ATTACHMENT = "credential.jwt"
CREDENTIAL_JSON_ATTACHMENT = "credential.json"


LAYOUT_CSS = Path(__file__).resolve().parent / "templates/certificates/pdf/certificate.css"


@lru_cache(maxsize=1)
def _fonts():
    """Font configuration and the stylesheets (fonts, the fixed layout), built and parsed
    once per process: fonts are large, and parsing the layout took a tenth of a render."""
    import pylopdf_fonts_ko
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    _deflate_fast()
    config = FontConfiguration()
    # Drop it before interpreter shutdown, when its finaliser can no longer run cleanly.
    atexit.register(_fonts.cache_clear)
    # The compact certificate face first, the full Noto Sans KR for what it lacks (a rare
    # syllable); where the compact face cannot be built, the full face stands for both.
    full = pylopdf_fonts_ko.sans_path()
    compact = fonts.ensure() or full
    css = CSS(
        string=(
            f'@font-face {{ font-family: "{fonts.FAMILY}"; src: url("file://{compact}"); }} '
            f'@font-face {{ font-family: "Dasi KR"; src: url("file://{full}"); }}'
        ),
        font_config=config,
    )
    layout = CSS(string=LAYOUT_CSS.read_text(encoding="utf-8"), font_config=config)
    return config, (css, layout)


# A QR code reads with any of its eight masks; choosing the best-scoring one cost segno four
# times the encoding itself (5.6 ms of CPU a certificate against 1.4 ms).
QR_MASK = 1


def _deflate_fast() -> None:
    """Have pydyf deflate the PDF's streams at zlib level 1 instead of 9: on the embedded font
    subset (about 280 KB) level 9 took 8-10 ms a certificate and level 1 takes 2 ms, and its
    output is smaller there (66 KB against 70 KB; the whole PDF 78 KB against 80). pydyf has no
    setting for it, so this replaces the zlib it sees, for the whole process."""
    import pydyf

    if getattr(pydyf.zlib, "dasi_level", None) is None:
        pydyf.zlib = types.SimpleNamespace(
            compress=zlib.compress,
            compressobj=lambda level=9, *args, **kwargs: zlib.compressobj(1, *args, **kwargs),
            dasi_level=1,
        )


def qr_svg(url: str) -> str:
    """An inline SVG QR code pointing at the verification page (vector paths, no image)."""
    return segno.make(url, error="m", mask=QR_MASK).svg_inline(scale=3, dark="#1b1f24", border=2)


def render_pdf(*, context: dict, language: str, token: str, credential: dict) -> bytes:
    """Render the certificate and embed the signed credential (JWT and decoded JSON)."""
    from weasyprint import HTML, Attachment

    config, stylesheets = _fonts()
    with translation.override(language):
        html = render_to_string(
            "certificates/pdf/certificate.html",
            {**context, "qr": mark_safe(qr_svg(context["verify_url"])), "language": language},  # noqa: S308
        )
    attachments = [
        Attachment(
            string=token,
            name=CREDENTIAL_ATTACHMENT,
            description="Open Badges 3.0 credential (VC-JWT, EdDSA)",
            relationship="Data",
        ),
        Attachment(
            string=json.dumps(credential, ensure_ascii=False, indent=2),
            name=CREDENTIAL_JSON_ATTACHMENT,
            description="Open Badges 3.0 credential (decoded, for reading)",
            relationship="Supplement",
        ),
    ]
    return HTML(string=html, base_url=None).write_pdf(
        stylesheets=list(stylesheets),
        font_config=config,
        pdf_variant="pdf/a-3b",
        attachments=attachments,
        pdf_identifier=context["number"].encode(),
    )
