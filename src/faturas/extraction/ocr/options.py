"""How OCR runs: resolution, language and the limits that keep a slow scan from holding a worker."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

#: Called after each OCR'd page with (pages done, pages to OCR), so a job can show progress.
ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class OcrOptions:
    """OCR is off unless the caller passes options: the worker does, request handlers never do."""

    dpi: int = 300
    #: The cross-check read sees the page smaller: its mistakes fall elsewhere, and it costs less.
    cross_check_scale: float = 0.8
    language: str = "por"
    #: A page that takes longer is abandoned (the Tesseract process is killed).
    page_timeout_seconds: float = 60.0
    #: The whole document; checked between pages.
    total_timeout_seconds: float = 300.0
    #: Scanned pages beyond this are not OCR'd: the document is refused instead.
    max_pages: int = 30
    #: Caps the rendered image (and so Tesseract's memory): larger pages are rendered at a lower dpi.
    max_pixels: int = 40_000_000
    #: Read each page twice with different image treatment and flag every field the reads disagree on.
    cross_check: bool = True
    progress: ProgressCallback | None = None
