"""The extraction step as workers run it: a module-level function, so a process pool can call it."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from faturas.config import Settings
from faturas.domain.invoice import Invoice
from faturas.errors import BillRejected
from faturas.extraction.extract import extract_from_text, extract_invoice
from faturas.extraction.image.formats import detect_image_format
from faturas.extraction.ocr import OcrOptions
from faturas.extraction.pdf_text import PdfText, count_pages


@dataclass(frozen=True)
class StageTimes:
    """Seconds spent reading the text (OCR included) and extracting the fields, for the metrics."""

    text: float
    extract: float


@dataclass(frozen=True)
class Extraction:
    invoice: Invoice
    page_count: int | None
    #: Measured where the extraction ran (a pool process) and carried back to the job.
    times: StageTimes | None = None


#: (pdf bytes, password, max pages) -> Extraction, or a BillRejected error.
Extractor = Callable[[bytes, str | None, int], Extraction]


def extract_document(pdf: bytes, password: str | None, max_pages: int, ocr: OcrOptions | None = None) -> Extraction:
    parsing = 0.0

    def timed_parse(document: PdfText) -> Invoice:
        nonlocal parsing
        started = time.perf_counter()
        try:
            return extract_from_text(document)
        finally:
            parsing += time.perf_counter() - started

    started = time.perf_counter()
    invoice = extract_invoice(pdf, password=password, max_pages=max_pages, ocr=ocr, parse=timed_parse)
    total = time.perf_counter() - started
    return Extraction(invoice, _page_count(pdf, password), StageTimes(text=max(total - parsing, 0.0), extract=parsing))


def _page_count(data: bytes, password: str | None) -> int | None:
    if detect_image_format(data) is not None:
        return 1  # one bill per image
    try:
        return count_pages(data, password)
    except BillRejected:
        return None


def worker_extractor(settings: Settings) -> Extractor:
    """What workers run: extract_document with OCR for scanned pages when enabled (picklable for the pool)."""
    if not settings.ocr_enabled:
        return extract_document
    # Leave the job a margin over the OCR budget, so OCR gives up (with its own reason) before the job does.
    budget = max(settings.job_timeout_seconds * 0.8, 1.0)
    options = OcrOptions(total_timeout_seconds=budget, page_timeout_seconds=min(60.0, budget))
    return partial(extract_document, ocr=options)
