"""read_image(): a bill photographed or captured as an image, read by OCR and judged strictly.

The image is read twice (different page segmentation and size, so mistakes fall in different
places); the templates run on each read; the OCR policy flags every field the reads disagree on or
that no sum confirms. Images add their own doubts: a required field not found, a distributor whose
CNPJ is not on the page, a page too small to read.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

from PIL import Image

from faturas.domain.invoice import Invoice, ValidationWarning
from faturas.errors import BillRejected, OcrTimeout
from faturas.extraction.distributors import DISTRIBUTORS
from faturas.extraction.image.prepare import MIN_READABLE_WIDTH, PreparedImage, prepare_image
from faturas.extraction.ocr.engine import Word, check_available, read_words
from faturas.extraction.ocr.lines import columns_text, rows_text
from faturas.extraction.ocr.normalise import normalise_ocr_text
from faturas.extraction.ocr.options import OcrOptions
from faturas.extraction.ocr.policy import ocr_warnings, read_fields
from faturas.extraction.pdf_text import PdfText

#: extract_from_text, passed in so this package does not import the pipeline that imports it.
Extract = Callable[[PdfText], Invoice]

#: What invoices read from an image record as their text source.
TEXT_SOURCE = "ocr_image"

#: First read: one uniform block (keeps table rows together). Second: automatic segmentation, smaller.
PRIMARY_SEGMENTATION = 6
CROSS_CHECK_SEGMENTATION = 3
CROSS_CHECK_SCALE = 0.75

#: Fields every bill prints; one missing from an image read is a doubt, not a bill without it.
REQUIRED_FIELDS = ("installation_number", "reference_month", "due_date")


def read_image(data: bytes, extract: Extract, options: OcrOptions) -> Invoice:
    check_available(options.language)
    started = time.monotonic()
    prepared = prepare_image(data, options.language, options.page_timeout_seconds, options.max_pixels)
    words = read_words(prepared.image, options.language, PRIMARY_SEGMENTATION, _timeout(options, started))
    reads = [_shapes(words)]
    if options.cross_check:
        image = prepared.image
        smaller = image.resize(
            (round(image.width * CROSS_CHECK_SCALE), round(image.height * CROSS_CHECK_SCALE)),
            Image.Resampling.LANCZOS,
        )
        second = read_words(smaller, options.language, CROSS_CHECK_SEGMENTATION, _timeout(options, started))
        reads.append(_shapes(second))
    if options.progress is not None:
        options.progress(1, 1)

    outcomes = [_first_readable(shapes, extract) for shapes in reads]
    invoices = [outcome for outcome in outcomes if isinstance(outcome, Invoice)]
    if not invoices:
        raise next(outcome for outcome in outcomes if isinstance(outcome, BillRejected))
    invoice = invoices[0]
    confirmation = invoices[1] if len(invoices) > 1 else None
    if not options.cross_check:
        confirmation = invoice
    confidence = sum(word.confidence for word in words) / len(words) if words else 0.0
    warnings = [
        *ocr_warnings(invoice, confirmation, confidence),
        *image_warnings(invoice, prepared, "\n".join(reads[0])),
    ]
    return dataclasses.replace(invoice, warnings=(*invoice.warnings, *warnings), text_source=TEXT_SOURCE)


def image_warnings(invoice: Invoice, prepared: PreparedImage, text: str) -> list[ValidationWarning]:
    """What an image read adds to the OCR policy: missing required fields, unconfirmed distributor, tiny page."""
    warnings = []
    missing = tuple(name for name in REQUIRED_FIELDS if getattr(invoice, name) is None)
    if missing:
        warnings.append(
            ValidationWarning(
                "image_field_missing", "Campos não encontrados na imagem: " + ", ".join(missing) + ".", missing
            )
        )
    if not _cnpj_seen(invoice.distributor, text):
        warnings.append(
            ValidationWarning(
                "image_distributor_unconfirmed",
                f"O CNPJ da distribuidora {invoice.distributor} não foi lido na imagem.",
                ("distributor",),
            )
        )
    if prepared.source_width < MIN_READABLE_WIDTH:
        warnings.append(
            ValidationWarning(
                "image_too_small",
                f"A fatura ocupa só {prepared.source_width} pixels de largura na imagem: pequena demais.",
                read_fields(invoice),
            )
        )
    return warnings


def _cnpj_seen(distributor: str, text: str) -> bool:
    """Whether one of the distributor's CNPJs is in the text: names and logos are shared within a group."""
    lowered = text.lower()
    for candidate in DISTRIBUTORS:
        if candidate.name == distributor:
            return any(cue.label.startswith("CNPJ") and cue.found_in(text, lowered) for cue in candidate.cues)
    return False


def _timeout(options: OcrOptions, started: float) -> float:
    remaining = options.total_timeout_seconds - (time.monotonic() - started)
    if remaining <= 0:
        raise OcrTimeout(options.total_timeout_seconds)
    return min(options.page_timeout_seconds, remaining)


def _shapes(words: list[Word]) -> tuple[str, ...]:
    return normalise_ocr_text(rows_text(words)), normalise_ocr_text(columns_text(words))


def _first_readable(shapes: tuple[str, ...], extract: Extract) -> Invoice | BillRejected:
    """The read through the templates, in the first text shape they can read."""
    errors: list[BillRejected] = []
    for text in shapes:
        try:
            return extract(PdfText((text,)))
        except BillRejected as rejected:
            errors.append(rejected)
    return errors[0]
