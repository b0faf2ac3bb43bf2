"""extract_invoice(): PDF bytes in, a validated invoice out (or a typed error)."""

from __future__ import annotations

from faturas.domain.invoice import Invoice
from faturas.extraction.distributors import DISTRIBUTORS
from faturas.extraction.distributors.detection import choose_layout, detect_distributor
from faturas.extraction.ocr import OcrOptions, read_scanned
from faturas.extraction.pdf_text import DEFAULT_MAX_PAGES, PdfText, has_text_layer, pdf_to_text, read_text_layer
from faturas.extraction.validation import validate


def extract_invoice(
    pdf: bytes,
    password: str | None = None,
    max_pages: int = DEFAULT_MAX_PAGES,
    ocr: OcrOptions | None = None,
) -> Invoice:
    """Read a bill; pages without a text layer are OCR'd only when ``ocr`` options are given (worker only)."""
    if ocr is None:
        return extract_from_text(pdf_to_text(pdf, password=password, max_pages=max_pages))
    document = read_text_layer(pdf, password=password, max_pages=max_pages)
    if all(has_text_layer(page) for page in document.pages):
        return extract_from_text(document)
    return read_scanned(pdf, document, extract_from_text, ocr, password=password)


def extract_from_text(document: PdfText) -> Invoice:
    distributor = detect_distributor(document, DISTRIBUTORS)
    layout = choose_layout(distributor, document)
    return validate(layout.extract(document), document.text)
