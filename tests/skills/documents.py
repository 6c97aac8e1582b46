"""Builders of real CV files for the tests: a PDF with a text layer (WeasyPrint), a scan-like
PDF without one (pypdf), and a DOCX (its XML written as Word writes it)."""

from __future__ import annotations

import io
import zipfile
from html import escape

DOCX_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def pdf_with_text(lines: list[str]) -> bytes:
    from weasyprint import HTML

    body = "".join(f"<p>{escape(line)}</p>" for line in lines)
    html = f'<html lang="ko"><body style="font-family: Noto Sans CJK KR, sans-serif">{body}</body></html>'
    return HTML(string=html).write_pdf()


def pdf_without_text() -> bytes:
    """A one-page PDF with nothing but a drawn rectangle: what a scanner without OCR gives."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    stream = DecodedStreamObject()
    stream.set_data(b"0.5 g 50 50 495 742 re f")
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx(lines: list[str]) -> bytes:
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    paragraphs = "".join(f"<w:p><w:r><w:t>{escape(line)}</w:t></w:r></w:p>" for line in lines)
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{ns}"><w:body>{paragraphs}</w:body></w:document>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", DOCX_CONTENT_TYPES)
        archive.writestr("word/document.xml", document)
    return out.getvalue()
