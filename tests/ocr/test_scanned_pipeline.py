"""The OCR pipeline on an invented bill: scan, OCR, read, cross-check (no distributor template involved)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytesseract
import pytest

from faturas.domain.invoice import Invoice
from faturas.errors import BillRejected, NoTextLayer, OcrTimeout, OcrUnavailable
from faturas.extraction import extract
from faturas.extraction.ocr import OcrOptions, engine, read_scanned
from faturas.extraction.ocr.simulate import simulate_scan
from faturas.extraction.pdf_text import PdfText, read_text_layer
from tests.ocr.invented_bill import (
    BILL_LINES,
    EXPECTED_ITEMS,
    NOTICE_LINES,
    bill_pdf,
    combine,
    read_invented_bill,
)

BILL = bill_pdf(BILL_LINES)


def _read(pdf: bytes, options: OcrOptions | None = None) -> tuple[PdfText, Invoice]:
    seen: list[PdfText] = []

    def reader(document: PdfText) -> Invoice:
        seen.append(document)
        return read_invented_bill(document)

    invoice = read_scanned(pdf, read_text_layer(pdf), reader, options or OcrOptions())
    return seen[0], invoice


def test_without_ocr_options_a_scan_is_refused_as_having_no_text_layer() -> None:
    with pytest.raises(NoTextLayer):
        extract.extract_invoice(simulate_scan(BILL, 300))


@pytest.mark.usefixtures("tesseract")
def test_a_scanned_bill_is_read_through_ocr_and_marked_as_such() -> None:
    _, invoice = _read(simulate_scan(BILL, 300))
    assert invoice.installation_number == "3012345678"
    assert invoice.due_date == date(2025, 4, 10)
    assert invoice.total_amount == Decimal("107.50")
    assert invoice.items == EXPECTED_ITEMS
    assert invoice.text_source == "ocr"
    assert invoice.warnings == ()


@pytest.mark.usefixtures("tesseract")
def test_a_tilted_noisy_scan_is_read_or_flagged_never_wrong() -> None:
    try:
        _, invoice = _read(simulate_scan(BILL, 150, rotation=1.5, noise=24))
    except BillRejected:
        return  # refused: not stored, so not wrong
    correct = invoice.total_amount == Decimal("107.50") and invoice.items == EXPECTED_ITEMS
    assert correct or invoice.needs_review


@pytest.mark.usefixtures("tesseract")
def test_only_pages_without_text_are_ocrd_in_a_mixed_document() -> None:
    text_pages = bill_pdf(BILL_LINES, NOTICE_LINES)
    mixed = combine(simulate_scan(text_pages, 300), [0], text_pages, [1])
    document, invoice = _read(mixed)
    assert document.pages[1] == read_text_layer(text_pages).pages[1]
    assert "3012345678" in document.pages[0]
    assert invoice.text_source == "mixed"


@pytest.mark.usefixtures("tesseract")
def test_progress_is_reported_page_by_page() -> None:
    calls: list[tuple[int, int]] = []
    _read(simulate_scan(BILL, 300), OcrOptions(progress=lambda done, total: calls.append((done, total))))
    assert calls == [(1, 1)]


@pytest.mark.usefixtures("tesseract")
def test_a_page_over_its_time_limit_is_abandoned() -> None:
    with pytest.raises(OcrTimeout):
        _read(simulate_scan(BILL, 300), OcrOptions(page_timeout_seconds=0.01))


def test_without_tesseract_a_scan_fails_with_ocr_not_available(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    engine._installed_languages.cache_clear()
    try:
        with pytest.raises(OcrUnavailable, match="OCR não disponível"):
            extract.extract_invoice(simulate_scan(BILL, 150), ocr=OcrOptions())
    finally:
        engine._installed_languages.cache_clear()


def test_a_text_layer_bill_is_never_ocrd(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_ocr(*args: object, **kwargs: object) -> None:
        raise AssertionError("OCR ran on a page with a text layer")

    monkeypatch.setattr(extract, "read_scanned", no_ocr)
    with pytest.raises(Exception) as raised:
        extract.extract_invoice(BILL, ocr=OcrOptions())
    assert not isinstance(raised.value, AssertionError)


@pytest.mark.usefixtures("tesseract")
def test_a_blank_back_page_does_not_make_the_read_look_unreliable() -> None:
    _, invoice = _read(simulate_scan(bill_pdf(BILL_LINES, ()), 300))
    assert invoice.items == EXPECTED_ITEMS
    assert "ocr_low_confidence" not in {warning.check for warning in invoice.warnings}


def test_a_text_bill_with_a_blank_back_page_is_read_from_its_text_layer_without_ocr(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_ocr(*_args: object, **_kwargs: object) -> Invoice:
        raise AssertionError("a bill its text pages read needs no OCR")

    monkeypatch.setattr(extract, "read_scanned", no_ocr)
    pdf = bill_pdf(BILL_LINES, ())
    invoice = extract.extract_invoice(pdf, ocr=OcrOptions(), parse=read_invented_bill)
    assert invoice.text_source == "text_layer"
    assert invoice.items == EXPECTED_ITEMS
