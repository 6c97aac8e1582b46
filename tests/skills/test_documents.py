"""Reading CVs and postings: text, PDF and DOCX, and every kind of bad input refused."""

from __future__ import annotations

import io
import zipfile

import pytest

from lms.skills.engine.documents import MAX_BYTES, DocumentError, document_read, text_check

from .documents import docx, pdf_with_text, pdf_without_text


def code_of(call) -> str:
    with pytest.raises(DocumentError) as info:
        call()
    return info.value.code


def test_a_pdf_with_a_text_layer_is_read_in_korean_and_english():
    doc = document_read(pdf_with_text(["데이터 분석 수행", "SQL and Excel"]), name="cv.pdf")
    assert doc.source == "pdf"
    assert "데이터 분석 수행" in doc.text and "SQL and Excel" in doc.text


def test_a_docx_is_read_paragraph_by_paragraph():
    doc = document_read(docx(["엑셀로 보고서 작성", "Python"]), name="이력서.docx")
    assert doc.source == "docx"
    assert doc.text.splitlines() == ["엑셀로 보고서 작성", "Python"]


def test_a_scanned_pdf_without_text_layer_is_refused():
    assert code_of(lambda: document_read(pdf_without_text(), name="scan.pdf")) == "no_text_layer"


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"", "cv.txt", "empty"),
        (b"   \n\t  ", "cv.txt", "empty"),
        (b"a" * (MAX_BYTES + 1), "cv.txt", "too_large"),
        (bytes(range(256)) * 4, "cv.bin", "binary"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "photo.png", "binary"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "cv.hwp", "hwp"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "cv.doc", "unsupported_format"),
        (b"%PDF-1.7 this is not really a pdf", "cv.pdf", "unreadable"),
        (b"PK\x03\x04 broken zip", "cv.docx", "unreadable"),
    ],
)
def test_bad_files_are_refused_with_a_reason(data, name, code):
    assert code_of(lambda: document_read(data, name=name)) == code


def test_a_zip_that_is_not_a_word_file_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert code_of(lambda: document_read(out.getvalue(), name="x.docx")) == "unsupported_format"


def test_a_docx_with_entity_declarations_is_refused_before_parsing():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><w:document>&b;</w:document>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", bomb)
    assert code_of(lambda: document_read(out.getvalue(), name="x.docx")) == "unreadable"


def test_korean_and_english_together_are_accepted_even_in_one_word():
    assert text_check("파이썬Python 개발 3년, SQL 능숙") == "파이썬Python 개발 3년, SQL 능숙"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Pyth\u043en and SQL", "mixed_scripts"),  # Cyrillic о inside a Latin word
        ("Ex\u03bfel reports", "mixed_scripts"),  # Greek ο
        ("Опыт работы с базами данных и отчётами", "language"),
        ("数据分析 数据挖掘 机器学习 统计", "language"),
        ("SQL\x00\x01\x02", "binary"),
        ("\ufffd\ufffd broken", "binary"),
        ("12345 ... !!!", "empty"),
    ],
)
def test_bad_text_is_refused_with_a_reason(text, code):
    assert code_of(lambda: text_check(text)) == code


def test_a_mixed_script_word_is_named_in_the_refusal():
    with pytest.raises(DocumentError) as info:
        text_check("Data analyst, Pyth\u043en")
    assert info.value.detail == "Pyth\u043en"
