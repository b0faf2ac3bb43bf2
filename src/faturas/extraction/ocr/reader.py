"""OCR of the pages that have no text layer: two independent reads of each page."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image

from faturas.errors import OcrTimeout
from faturas.extraction.ocr.engine import Word, read_words
from faturas.extraction.ocr.lines import columns_text, rows_text
from faturas.extraction.ocr.normalise import normalise_ocr_text
from faturas.extraction.ocr.options import OcrOptions
from faturas.extraction.ocr.render import clean, render_pages

#: Page segmentation of the first read: one uniform block, which keeps table rows together.
PRIMARY_SEGMENTATION = 6
#: The second read segments the page automatically: its mistakes fall in other places.
CROSS_CHECK_SEGMENTATION = 3


@dataclass(frozen=True)
class OcrPage:
    """One page's OCR: each read in two shapes, rows across the page and boxes/columns (lines.py)."""

    index: int
    reads: tuple[tuple[str, ...], ...]  # reads[read][shape]; the cross-check read second
    mean_confidence: float
    seconds: float


def ocr_pages(pdf: bytes, indexes: Sequence[int], options: OcrOptions, password: str | None = None) -> list[OcrPage]:
    """OCR the given pages, calling ``options.progress`` after each one."""
    started = time.monotonic()
    pages = []
    images = render_pages(pdf, indexes, round(options.dpi * options.primary_scale), options.max_pixels, password)
    for done, (index, image) in enumerate(zip(indexes, images, strict=True), start=1):
        page_started = time.monotonic()
        remaining = options.total_timeout_seconds - (page_started - started)
        if remaining <= 0:
            raise OcrTimeout(options.total_timeout_seconds)
        timeout = min(options.page_timeout_seconds, remaining)
        cleaned = clean(image)
        words = read_words(cleaned, options.language, PRIMARY_SEGMENTATION, timeout)
        reads = [_shapes(words)]
        if options.cross_check:
            size = (round(cleaned.width / options.primary_scale), round(cleaned.height / options.primary_scale))
            smaller = cleaned.resize(size, Image.Resampling.LANCZOS)
            second = read_words(smaller, options.language, CROSS_CHECK_SEGMENTATION, timeout)
            reads.append(_shapes(second))
        confidence = sum(word.confidence for word in words) / len(words) if words else 0.0
        pages.append(OcrPage(index, tuple(reads), confidence, time.monotonic() - page_started))
        if options.progress is not None:
            options.progress(done, len(indexes))
    return pages


def _shapes(words: list[Word]) -> tuple[str, ...]:
    return normalise_ocr_text(rows_text(words)), normalise_ocr_text(columns_text(words))
