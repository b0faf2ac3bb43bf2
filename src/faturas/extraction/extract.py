"""extract_invoice(): PDF or image bytes in, a validated invoice out (or a typed error)."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

from faturas.domain.invoice import Invoice
from faturas.errors import (
    BillRejected,
    FieldsMissing,
    NotABill,
    OcrTimeout,
    UnknownDistributor,
    UnsupportedLayout,
)
from faturas.extraction.distributors import DISTRIBUTORS
from faturas.extraction.distributors.base import Distributor
from faturas.extraction.distributors.detection import choose_layout, detect_distributor
from faturas.extraction.image import detect_image_format, read_image
from faturas.extraction.image.detect import detect_image_distributor
from faturas.extraction.image.pdf_photo import wrapped_image
from faturas.extraction.ocr import OcrOptions, read_scanned
from faturas.extraction.pdf_text import DEFAULT_MAX_PAGES, PdfText, has_text_layer, pdf_to_text, read_text_layer
from faturas.extraction.validation import validate


def extract_invoice(
    pdf: bytes,
    password: str | None = None,
    max_pages: int = DEFAULT_MAX_PAGES,
    ocr: OcrOptions | None = None,
    parse: Callable[[PdfText], Invoice] | None = None,
) -> Invoice:
    """Read a bill; pages without a text layer are OCR'd only when ``ocr`` options are given (worker only),
    and so are all the pages of a text-layer bill in a form we know only from its group's images.

    An image (JPG, PNG, WebP, told by its content) can only be read by OCR: with ``ocr`` or the defaults.
    ``parse`` (default ``extract_from_text``) reads fields from text: workers wrap it to time that stage.
    """
    if detect_image_format(pdf) is not None:
        return read_image(pdf, extract_from_image_text, ocr or OcrOptions())
    parse = parse or extract_from_text
    if ocr is None:
        return parse(pdf_to_text(pdf, password=password, max_pages=max_pages))
    document = read_text_layer(pdf, password=password, max_pages=max_pages)
    if any(has_text_layer(page) for page in document.pages):
        # A bill its text pages read in full (often beside a blank back page) needs no OCR; OCR'd pages
        # are only for what the text layer cannot read.
        try:
            return parse(document)
        except UnsupportedLayout as error:
            if all(has_text_layer(page) for page in document.pages):
                if error.distributor not in GROUPS_WITH_IMAGE_FORMS:
                    raise
                # A form we know only from this group's images: the pages as printed are read by OCR.
                return _read_scan_or_photo(pdf, document, parse, ocr, password, every_page=True)
        except BillRejected:
            if all(has_text_layer(page) for page in document.pages):
                raise
        return read_scanned(pdf, document, parse, ocr, password=password)
    return _read_scan_or_photo(pdf, document, parse, ocr, password)


def _read_scan_or_photo(
    pdf: bytes,
    document: PdfText,
    parse: Callable[[PdfText], Invoice],
    ocr: OcrOptions,
    password: str | None,
    every_page: bool = False,
) -> Invoice:
    """A PDF's pages without text (``every_page``: all its pages) by OCR. When it only wraps one photo or
    screenshot, that image is also read as an uploaded image is, if the page's OCR was refused or read
    the bill with a form made for images: the image pipeline, which prepares photos, is what those
    forms are made for."""
    photo = wrapped_image(pdf, password, ocr.max_pixels)
    if photo is None:
        return read_scanned(pdf, document, parse, ocr, password=password, every_page=every_page)
    started = time.monotonic()
    try:
        scanned = read_scanned(pdf, document, parse, ocr, password=password, every_page=every_page)
    except BillRejected as refused:
        if not _unrecognised(refused):
            raise
        try:
            return _read_photo(photo, ocr, started)
        except BillRejected:
            raise refused from None
    if scanned.layout not in IMAGE_FORMS:
        return scanned
    try:
        return _read_photo(photo, ocr, started)
    except BillRejected:
        return scanned


def _read_photo(photo: bytes, ocr: OcrOptions, started: float) -> Invoice:
    """The photo through the image pipeline, within what the page's OCR left of the time allowed."""
    remaining = ocr.total_timeout_seconds - (time.monotonic() - started)
    if remaining <= 0:
        raise OcrTimeout(ocr.total_timeout_seconds)
    options = dataclasses.replace(
        ocr, total_timeout_seconds=remaining, page_timeout_seconds=min(ocr.page_timeout_seconds, remaining)
    )
    return read_image(photo, extract_from_image_text, options)


def extract_from_text(document: PdfText) -> Invoice:
    distributor = detect_distributor(document, DISTRIBUTORS)
    try:
        layout = choose_layout(distributor, document)
    except UnsupportedLayout:
        if not (document.from_ocr and distributor.image_layouts):
            raise
        # OCR of a scanned page, in a form only our image layouts know: read as an image's text is. (A
        # text layer never is: what they forgive in OCR text could misplace a value there unflagged.)
        return validate(read_image_text(document, distributor), document.text)
    return validate(layout.extract(document), document.text)


def extract_from_image_text(document: PdfText) -> Invoice:
    """Like extract_from_text, for OCR of an image: see ``read_image_text``."""
    return validate(read_image_text(document, detect_image_distributor(document, DISTRIBUTORS)), document.text)


#: The names of the layouts made for OCR of images.
IMAGE_FORMS = frozenset(layout.name for distributor in DISTRIBUTORS for layout in distributor.image_layouts)


def _unrecognised(refused: BillRejected) -> bool:
    """Whether OCR of the page failed to recognise the bill or its form (which the image pipeline's
    preparation may mend), rather than a text-layer form recognising it and not finding its fields."""
    if isinstance(refused, FieldsMissing):
        return refused.template in IMAGE_FORMS
    return isinstance(refused, NotABill | UnknownDistributor | UnsupportedLayout)


#: The groups that have forms made for OCR of images.
GROUPS_WITH_IMAGE_FORMS = frozenset(distributor.name for distributor in DISTRIBUTORS if distributor.image_layouts)


def read_image_text(document: PdfText, distributor: Distributor) -> Invoice:
    """The first layout (text-layer ones, then those made for images) that matches and reads the text."""
    candidates = [layout for layout in (*distributor.layouts, *distributor.image_layouts) if layout.matches(document)]
    if not candidates:
        names = (layout.name for layout in (*distributor.layouts, *distributor.image_layouts))
        raise UnsupportedLayout(distributor.name, names)
    errors: list[BillRejected] = []
    for layout in candidates:
        try:
            return layout.extract(document)
        except BillRejected as error:
            errors.append(error)
    raise errors[0]
