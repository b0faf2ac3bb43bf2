"""PDFs of a group whose forms we read only from images (Light here): a PDF that only wraps a screenshot
is read as that image; other scans, text layers in a form only the images taught us, and text layers
holding only a header have their pages read by OCR with the group's image form, instead of being refused
as an unknown layout. Image forms never read a text layer itself."""

from __future__ import annotations

import io
import time
from datetime import date
from decimal import Decimal

import pytest
from fpdf import FPDF
from PIL import Image

import faturas.extraction.extract as extract_module
from faturas.domain.invoice import Invoice
from faturas.domain.reference_month import ReferenceMonth
from faturas.errors import BillRejected, OcrTimeout, UnsupportedLayout
from faturas.extraction.extract import extract_invoice
from faturas.extraction.ocr import OcrOptions
from tests.images.invented import LIGHT_LINES, screenshot

#: Text a PDF may carry above the bill's picture (a portal's header): a text layer that names the
#: distributor and looks like a bill, without any of the bill's fields.
CAPTION = (
    "LIGHT SERVICOS DE ELETRICIDADE S.A. CNPJ 60.444.437/0001-46",
    "Segunda via da fatura de energia eletrica (valores em R$, consumo em kWh)",
)


def _text_pdf(lines: tuple[str, ...], image: bytes | None = None) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    if image is not None:
        pdf.image(io.BytesIO(image), x=0, y=30, w=210)
    pdf.set_font("helvetica", size=9)
    for number, line in enumerate(lines):
        pdf.text(10, 12 + 6 * number, line)
    return bytes(pdf.output())


def _scanned_pdf(*images: bytes) -> bytes:
    """An image-only PDF, one page per image (JPEG, as phone scanning apps keep them)."""
    pages = [Image.open(io.BytesIO(image)).convert("RGB") for image in images]
    output = io.BytesIO()
    pages[0].save(output, "PDF", resolution=150, quality=95, save_all=True, append_images=pages[1:])
    return output.getvalue()


def _assert_invented_light_bill(invoice: Invoice, by_ocr: bool = False) -> None:
    assert invoice.distributor == "LIGHT"
    if by_ocr:
        # The codes are printed once on this invented bill: OCR's read of them is never trusted as is.
        flagged = {field for warning in invoice.warnings for field in warning.fields}
        assert {"installation_number", "due_date"} <= flagged
        assert invoice.needs_review
    else:
        assert (invoice.installation_number, invoice.client_number) == ("0400000001", "20000001")
    assert invoice.reference_month == ReferenceMonth(2025, 5)
    assert invoice.due_date == date(2025, 6, 13) or by_ocr
    assert invoice.total_amount == Decimal("130.00")
    assert [item.amount for item in invoice.items] == [Decimal("120.00"), Decimal("10.00")]


@pytest.mark.usefixtures("tesseract")
def test_a_text_layer_pdf_is_read_by_ocr_of_its_pages_never_by_image_forms_on_its_text() -> None:
    data = _text_pdf(LIGHT_LINES)
    with pytest.raises(UnsupportedLayout):
        extract_invoice(data)  # without OCR: no text-layer layout of this group
    invoice = extract_invoice(data, ocr=OcrOptions(cross_check=False))
    _assert_invented_light_bill(invoice, by_ocr=True)
    assert invoice.text_source == "ocr"


@pytest.mark.usefixtures("tesseract")
def test_a_pdf_that_only_wraps_a_screenshot_is_read_as_the_image() -> None:
    invoice = extract_invoice(_scanned_pdf(screenshot(LIGHT_LINES)), ocr=OcrOptions(cross_check=False))
    _assert_invented_light_bill(invoice)
    assert invoice.text_source == "ocr_image"
    assert "image_payment_line_missing" in {warning.check for warning in invoice.warnings}


@pytest.mark.usefixtures("tesseract")
def test_a_scanned_pdf_of_more_pages_is_read_by_ocr_of_its_pages_with_the_groups_image_form() -> None:
    blank = io.BytesIO()
    Image.new("RGB", (1300, 700), "white").save(blank, "PNG")
    scan = _scanned_pdf(screenshot(LIGHT_LINES), blank.getvalue())
    invoice = extract_invoice(scan, ocr=OcrOptions(cross_check=False))
    _assert_invented_light_bill(invoice, by_ocr=True)
    assert (invoice.layout, invoice.text_source) == ("light.danf3e", "ocr")


@pytest.mark.usefixtures("tesseract")
def test_a_text_layer_without_the_bill_is_set_aside_and_the_page_read_by_ocr() -> None:
    data = _text_pdf(CAPTION, image=screenshot(LIGHT_LINES))
    with pytest.raises(BillRejected):
        extract_invoice(data)  # the text layer alone does not hold the bill
    invoice = extract_invoice(data, ocr=OcrOptions(cross_check=False))
    _assert_invented_light_bill(invoice, by_ocr=True)
    assert invoice.text_source == "ocr"


def test_a_group_with_text_layouts_is_not_ocrd_when_its_text_layer_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """CEMIG's text layouts are the judge of its text PDFs: a layer they cannot read is refused at once."""

    def no_ocr(*_args: object, **_kwargs: object) -> Invoice:
        raise AssertionError("a text-layer bill of a group with text layouts was sent to OCR")

    monkeypatch.setattr(extract_module, "read_scanned", no_ocr)
    lines = ("CEMIG DISTRIBUICAO S.A. CNPJ 06.981.180/0001-16", *CAPTION[1:], "Valor a pagar R$ 10,00")
    with pytest.raises(BillRejected):
        extract_invoice(_text_pdf(lines), ocr=OcrOptions(cross_check=False))


def test_the_photo_is_read_within_what_the_pages_ocr_left_of_the_time_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    given: list[OcrOptions] = []

    def read_image(_photo: bytes, _extract: object, options: OcrOptions) -> Invoice:
        given.append(options)
        raise BillRejected("lida")

    monkeypatch.setattr(extract_module, "read_image", read_image)
    options = OcrOptions(total_timeout_seconds=100, page_timeout_seconds=60)
    with pytest.raises(BillRejected):
        extract_module._read_photo(b"photo", options, started=time.monotonic() - 70)
    assert 0 < given[0].total_timeout_seconds <= 30
    assert given[0].page_timeout_seconds == given[0].total_timeout_seconds
    with pytest.raises(OcrTimeout):
        extract_module._read_photo(b"photo", options, started=time.monotonic() - 101)
    assert len(given) == 1  # no time left: the photo is not read
