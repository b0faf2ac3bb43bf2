"""The extraction step as workers run it: a module-level function, so a process pool can call it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from faturas.config import Settings
from faturas.domain.invoice import Invoice
from faturas.errors import BillRejected
from faturas.extraction.extract import extract_invoice
from faturas.extraction.ocr import OcrOptions
from faturas.extraction.pdf_text import count_pages


@dataclass(frozen=True)
class Extraction:
    invoice: Invoice
    page_count: int | None


#: (pdf bytes, password, max pages) -> Extraction, or a BillRejected error.
Extractor = Callable[[bytes, str | None, int], Extraction]


def extract_document(pdf: bytes, password: str | None, max_pages: int, ocr: OcrOptions | None = None) -> Extraction:
    invoice = extract_invoice(pdf, password=password, max_pages=max_pages, ocr=ocr)
    try:
        pages: int | None = count_pages(pdf, password)
    except BillRejected:
        pages = None
    return Extraction(invoice, pages)


def worker_extractor(settings: Settings) -> Extractor:
    """What workers run: extract_document with OCR for scanned pages when enabled (picklable for the pool)."""
    if not settings.ocr_enabled:
        return extract_document
    # Leave the job a margin over the OCR budget, so OCR gives up (with its own reason) before the job does.
    budget = max(settings.job_timeout_seconds * 0.8, 1.0)
    options = OcrOptions(total_timeout_seconds=budget, page_timeout_seconds=min(60.0, budget))
    return partial(extract_document, ocr=options)
