"""extract_invoice(): PDF bytes in, a validated invoice out (or a typed error)."""

from __future__ import annotations

from faturas.domain.invoice import Invoice
from faturas.extraction.distributors import DISTRIBUTORS
from faturas.extraction.distributors.detection import choose_layout, detect_distributor
from faturas.extraction.pdf_text import DEFAULT_MAX_PAGES, PdfText, pdf_to_text
from faturas.extraction.validation import validate


def extract_invoice(pdf: bytes, password: str | None = None, max_pages: int = DEFAULT_MAX_PAGES) -> Invoice:
    return extract_from_text(pdf_to_text(pdf, password=password, max_pages=max_pages))


def extract_from_text(document: PdfText) -> Invoice:
    distributor = detect_distributor(document, DISTRIBUTORS)
    layout = choose_layout(distributor, document)
    return validate(layout.extract(document), document.text)
