"""An invented bill drawn as a phone screenshot goes through the whole image pipeline (needs Tesseract)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from faturas.domain.reference_month import ReferenceMonth
from faturas.extraction.extract import extract_invoice
from faturas.extraction.ocr import OcrOptions
from tests.images.invented import LIGHT_LINES, screenshot

pytestmark = pytest.mark.usefixtures("tesseract")


def test_an_upside_down_screenshot_is_read_and_recorded_as_ocr_from_an_image() -> None:
    invoice = extract_invoice(screenshot(LIGHT_LINES, rotate=180), ocr=OcrOptions(cross_check=False))
    assert (invoice.distributor, invoice.text_source) == ("LIGHT", "ocr_image")
    assert (invoice.installation_number, invoice.client_number) == ("0400000001", "20000001")
    assert (invoice.reference_month, invoice.due_date) == (ReferenceMonth(2025, 5), date(2025, 6, 13))
    assert invoice.total_amount == Decimal("130.00")
    assert [item.amount for item in invoice.items] == [Decimal("120.00"), Decimal("10.00")]
    # Items add up, but no payment line confirms the total: an image read without it is never clean.
    assert invoice.needs_review
    assert "image_payment_line_missing" in {warning.check for warning in invoice.warnings}


def test_items_that_do_not_add_up_put_the_read_in_review_with_the_doubtful_fields() -> None:
    lines = tuple(line.replace("Municipal 10,00", "Municipal 15,00") for line in LIGHT_LINES)
    invoice = extract_invoice(screenshot(lines))
    assert invoice.needs_review
    flagged = {field for warning in invoice.warnings for field in warning.fields}
    assert {"items", "total_amount"} <= flagged
    assert "items_sum" in {warning.check for warning in invoice.warnings}
