"""read_scanned(): a bill with pages that have no text layer, read through OCR."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping

from faturas.domain.invoice import Invoice
from faturas.errors import BillRejected, TooManyPages
from faturas.extraction.ocr.engine import check_available
from faturas.extraction.ocr.options import OcrOptions
from faturas.extraction.ocr.policy import drop_disputed_extras, ocr_warnings
from faturas.extraction.ocr.reader import OcrPage, ocr_pages
from faturas.extraction.ocr.signs import restore_lost_minus
from faturas.extraction.pdf_text import PdfText, has_text_layer

#: extract_from_text, passed in so this package does not import the pipeline that imports it.
Extract = Callable[[PdfText], Invoice]


def read_scanned(
    pdf: bytes,
    document: PdfText,
    extract: Extract,
    options: OcrOptions,
    password: str | None = None,
    every_page: bool = False,
) -> Invoice:
    """OCR the pages without text (``every_page``: all of them, their text layer set aside), read the bill
    from text and OCR together, and flag what OCR cannot confirm."""
    scanned = [index for index, page in enumerate(document.pages) if every_page or not has_text_layer(page)]
    check_available(options.language)
    if len(scanned) > options.max_pages:
        raise TooManyPages(len(scanned), options.max_pages)
    pages = ocr_pages(pdf, scanned, options, password)
    source = "ocr" if len(scanned) == document.page_count else "mixed"
    confidence = min((page.mean_confidence for page in pages if page.mean_confidence is not None), default=0.0)

    outcomes = [_read(document, pages, read, extract) for read in range(len(pages[0].reads))]
    reads = [outcome for outcome in outcomes if not isinstance(outcome, BillRejected)]
    if not reads:
        raise next(outcome for outcome in outcomes if isinstance(outcome, BillRejected))
    invoice, text = reads[0]
    # Without cross-checking the read confirms itself; with it, a failed second read confirms nothing.
    confirmation = reads[1][0] if len(reads) > 1 else None
    if not options.cross_check:
        confirmation = invoice
    invoice, confirmation = drop_disputed_extras(invoice, confirmation)
    warnings = ocr_warnings(invoice, confirmation, confidence, text)
    return dataclasses.replace(invoice, warnings=(*invoice.warnings, *warnings), text_source=source)


def _read(document: PdfText, pages: list[OcrPage], read: int, extract: Extract) -> tuple[Invoice, str] | BillRejected:
    """One OCR read through the templates, in the first text shape they can read, with that text."""
    error: BillRejected | None = None
    for shape in range(len(pages[0].reads[read])):
        text = _with_pages(document, {page.index: page.reads[read][shape] for page in pages})
        try:
            return restore_lost_minus(extract(text), text.text), text.text
        except BillRejected as rejected:
            error = error or rejected
    if error is None:  # pragma: no cover - every read has at least one shape
        raise ValueError("OCR read without text")
    return error


def _with_pages(document: PdfText, texts: Mapping[int, str]) -> PdfText:
    return PdfText(tuple(texts.get(index, page) for index, page in enumerate(document.pages)), from_ocr=True)
