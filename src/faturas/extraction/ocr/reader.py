"""OCR of the pages that have no text layer: two independent reads of each page."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from faturas.errors import OcrTimeout
from faturas.extraction.ocr.engine import read_words
from faturas.extraction.ocr.lines import rows_text
from faturas.extraction.ocr.normalise import normalise_ocr_text
from faturas.extraction.ocr.options import OcrOptions
from faturas.extraction.ocr.render import clean, render_pages

#: Page segmentation of the first read: one uniform block, which keeps table rows together.
PRIMARY_SEGMENTATION = 6
#: The second read segments the page automatically: its mistakes fall in other places.
CROSS_CHECK_SEGMENTATION = 3


@dataclass(frozen=True)
class OcrPage:
    index: int
    text: str
    cross_check_text: str | None
    mean_confidence: float
    seconds: float


def ocr_pages(pdf: bytes, indexes: Sequence[int], options: OcrOptions, password: str | None = None) -> list[OcrPage]:
    """OCR the given pages, calling ``options.progress`` after each one."""
    started = time.monotonic()
    pages = []
    images = render_pages(pdf, indexes, options.dpi, options.max_pixels, password)
    for done, (index, image) in enumerate(zip(indexes, images, strict=True), start=1):
        page_started = time.monotonic()
        remaining = options.total_timeout_seconds - (page_started - started)
        if remaining <= 0:
            raise OcrTimeout(options.total_timeout_seconds)
        timeout = min(options.page_timeout_seconds, remaining)
        cleaned = clean(image)
        words = read_words(cleaned, options.language, PRIMARY_SEGMENTATION, timeout)
        cross_check = None
        if options.cross_check:
            second = read_words(cleaned, options.language, CROSS_CHECK_SEGMENTATION, timeout)
            cross_check = normalise_ocr_text(rows_text(second))
        confidence = sum(word.confidence for word in words) / len(words) if words else 0.0
        pages.append(
            OcrPage(
                index, normalise_ocr_text(rows_text(words)), cross_check, confidence, time.monotonic() - page_started
            )
        )
        if options.progress is not None:
            options.progress(done, len(indexes))
    return pages
