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
from faturas.extraction.ocr.render import clean, remove_rules, render_pages
from faturas.extraction.ocr.small_print import enlarged

#: Sparse text: Tesseract finds every word wherever it stands, then lines.py rebuilds the rows. Its
#: layout analysis (modes 3 and 6) drops whole table columns or the large boxed numbers it takes
#: for pictures.
SEGMENTATION = 11

#: Below this confidence (0-100) a word without digits is noise: a QR code, a logo, a stamp read as
#: letters. Words with digits are always kept, so that a doubtful number reaches validation.
MIN_WORD_CONFIDENCE = 30.0


@dataclass(frozen=True)
class OcrPage:
    """One page's OCR: each read in two shapes, rows across the page and boxes/columns (lines.py)."""

    index: int
    reads: tuple[tuple[str, ...], ...]  # reads[read][shape]; the cross-check read second
    #: None for a page OCR found no legible word on (a blank back page): it says nothing about the read.
    mean_confidence: float | None
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
        cleaned = remove_rules(clean(image))
        words = legible(read_words(cleaned, options.language, SEGMENTATION, timeout))
        larger = enlarged(image, words, options.max_pixels)
        if larger is not None:
            cleaned = remove_rules(clean(larger))
            words = legible(read_words(cleaned, options.language, SEGMENTATION, timeout))
        reads = [_shapes(words)]
        if options.cross_check:
            scale = options.cross_check_scale
            size = (round(cleaned.width * scale), round(cleaned.height * scale))
            smaller = cleaned.resize(size, Image.Resampling.LANCZOS)
            second = legible(read_words(smaller, options.language, SEGMENTATION, timeout))
            reads.append(_shapes(second))
        confidence = sum(word.confidence for word in words) / len(words) if words else None
        pages.append(OcrPage(index, tuple(reads), confidence, time.monotonic() - page_started))
        if options.progress is not None:
            options.progress(done, len(indexes))
    return pages


def legible(words: list[Word]) -> list[Word]:
    """The words worth reading: noise Tesseract is unsure of goes, anything with a digit stays."""
    return [word for word in words if word.confidence >= MIN_WORD_CONFIDENCE or any(c.isdigit() for c in word.text)]


def _shapes(words: list[Word]) -> tuple[str, ...]:
    return normalise_ocr_text(rows_text(words, cells=True)), normalise_ocr_text(columns_text(words))
