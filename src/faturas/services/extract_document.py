"""The extraction step as workers run it: a module-level function, so a process pool can call it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from faturas.domain.invoice import Invoice
from faturas.errors import BillRejected
from faturas.extraction.extract import extract_invoice
from faturas.extraction.pdf_text import count_pages


@dataclass(frozen=True)
class Extraction:
    invoice: Invoice
    page_count: int | None


#: (pdf bytes, password, max pages) -> Extraction, or a BillRejected error.
Extractor = Callable[[bytes, str | None, int], Extraction]


def extract_document(pdf: bytes, password: str | None, max_pages: int) -> Extraction:
    invoice = extract_invoice(pdf, password=password, max_pages=max_pages)
    try:
        pages: int | None = count_pages(pdf, password)
    except BillRejected:
        pages = None
    return Extraction(invoice, pages)
