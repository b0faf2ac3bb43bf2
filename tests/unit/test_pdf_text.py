from __future__ import annotations

import pytest
from fpdf import FPDF

from faturas.errors import DamagedPdf, EmptyFile, EncryptedPdf, NotAPdf, NoTextLayer, TooManyPages
from faturas.extraction.pdf_text import pdf_to_text


def make_pdf(pages: list[str], password: str | None = None) -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", size=10)
    for text in pages:
        pdf.add_page()
        if text:
            pdf.multi_cell(0, 5, text)
    if password is not None:
        pdf.set_encryption(owner_password="owner", user_password=password)
    return bytes(pdf.output())


LONG_TEXT = "Energia Elétrica kWh 50 0,95543124 47,75 - uma linha de fatura com texto suficiente."


def test_text_is_kept_page_by_page() -> None:
    text = pdf_to_text(make_pdf([LONG_TEXT + " um", LONG_TEXT + " dois"]))
    assert text.page_count == 2
    assert text.pages[0].endswith("um") and text.pages[1].endswith("dois")


def test_empty_bytes_are_refused() -> None:
    with pytest.raises(EmptyFile):
        pdf_to_text(b"")


@pytest.mark.parametrize(
    ("data", "detected"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "PNG"),
        (b"PK\x03\x04" + b"\0" * 100, "ZIP"),
        (b"<!DOCTYPE html><html></html>", "HTML"),
        (b"just some text", "texto"),
    ],
)
def test_non_pdf_content_is_refused_whatever_the_file_name(data: bytes, detected: str) -> None:
    with pytest.raises(NotAPdf, match=detected):
        pdf_to_text(data)


def test_truncated_pdf_is_refused_as_damaged() -> None:
    data = make_pdf([LONG_TEXT])
    with pytest.raises(DamagedPdf):
        pdf_to_text(data[: len(data) // 3])


def test_encrypted_pdf_needs_the_right_password() -> None:
    data = make_pdf([LONG_TEXT], password="12345678900")
    with pytest.raises(EncryptedPdf) as without:
        pdf_to_text(data)
    assert not without.value.password_given
    with pytest.raises(EncryptedPdf) as wrong:
        pdf_to_text(data, password="00000000000")
    assert wrong.value.password_given
    assert "Energia" in pdf_to_text(data, password="12345678900").text


def test_page_limit_is_enforced() -> None:
    with pytest.raises(TooManyPages) as error:
        pdf_to_text(make_pdf([LONG_TEXT] * 5), max_pages=3)
    assert (error.value.pages, error.value.limit) == (5, 3)


def test_pages_without_text_are_a_scan() -> None:
    with pytest.raises(NoTextLayer):
        pdf_to_text(make_pdf(["", ""]))
