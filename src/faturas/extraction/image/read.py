"""read_image(): a bill photographed or captured as an image, read by OCR and judged strictly.

The image is read twice (different page segmentation and size, so mistakes fall in different
places); the templates run on each read; the OCR policy flags every field the reads disagree on or
that no sum confirms. Images add their own doubts: a required field not found, a distributor whose
CNPJ is not on the page, a page too small to read.
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from PIL import Image

from faturas.domain.field_labels import field_list
from faturas.domain.invoice import Invoice, ValidationWarning
from faturas.errors import BillRejected, OcrTimeout
from faturas.extraction.distributors import DISTRIBUTORS
from faturas.extraction.distributors.family import FamilyLayout
from faturas.extraction.image.cells import read_table
from faturas.extraction.image.meter import metered_kwh
from faturas.extraction.image.prepare import MIN_READABLE_WIDTH, prepare_image
from faturas.extraction.image.zoom import band_image, items_band, merge_band
from faturas.extraction.numbers import digits_only
from faturas.extraction.ocr.engine import Word, check_available, read_words
from faturas.extraction.ocr.lines import columns_text, rows_text
from faturas.extraction.ocr.normalise import normalise_ocr_text
from faturas.extraction.ocr.options import OcrOptions
from faturas.extraction.ocr.policy import ocr_warnings, read_fields
from faturas.extraction.pdf_text import PdfText

#: extract_from_image_text, passed in so this package does not import the pipeline that imports it.
Extract = Callable[[PdfText], Invoice]

#: What invoices read from an image record as their text source.
TEXT_SOURCE = "ocr_image"

#: First read: one uniform block (keeps table rows together). Second: automatic segmentation, smaller.
PRIMARY_SEGMENTATION = 6
CROSS_CHECK_SEGMENTATION = 3
CROSS_CHECK_SCALE = 0.75

#: Fields every bill prints; one missing from an image read is a doubt, not a bill without it.
REQUIRED_FIELDS = ("installation_number", "reference_month", "due_date")

#: Fields the second read may supply when the first found nothing (always flagged: the reads differ).
FILLABLE_FIELDS = (
    "client_number",
    "installation_number",
    "reference_month",
    "due_date",
    "energy_kwh",
    "public_lighting_amount",
    "payment_line",
    "barcode",
    "access_key",
)


@dataclass(frozen=True)
class ImageReads:
    """The OCR of one image: each read in its text shapes (rows across the page; boxes and columns)."""

    reads: tuple[tuple[str, ...], ...]
    mean_confidence: float
    #: Width of the page in the original pixels: how much detail there was to read.
    source_width: int
    #: The first read with one figure of the items table read otherwise (see image/cells.py): taken
    #: in its place only when its items, and not the first read's, add up to the bill's total.
    alternatives: tuple[tuple[str, ...], ...] = ()


def read_image(data: bytes, extract: Extract, options: OcrOptions) -> Invoice:
    return judge_reads(ocr_image(data, options), extract, cross_check=options.cross_check)


def ocr_image(data: bytes, options: OcrOptions) -> ImageReads:
    check_available(options.language)
    started = time.monotonic()
    prepared = prepare_image(data, options.language, options.page_timeout_seconds, options.max_pixels)
    image = prepared.image
    words = read_words(image, options.language, PRIMARY_SEGMENTATION, _timeout(options, started))
    band = items_band(words, image.height) if prepared.uncleaned is not None else None
    alternatives: tuple[tuple[str, ...], ...] = ()
    if prepared.uncleaned is not None and band is not None:
        heights = sorted(word.height for word in words)
        median_height = heights[len(heights) // 2]
        enlarged, cut_top = band_image(prepared.uncleaned, band, median_height)
        band_words = read_words(enlarged, options.language, PRIMARY_SEGMENTATION, _timeout(options, started))
        words = merge_band(words, band_words, band, cut_top)
        table = read_table(prepared.uncleaned, band, median_height, words, options.language, _timeout(options, started))
        words, alternatives = table.words, tuple(_shapes(other) for other in table.alternatives)
    reads = [_shapes(words)]
    if options.cross_check:
        size = (round(image.width * CROSS_CHECK_SCALE), round(image.height * CROSS_CHECK_SCALE))
        smaller = image.resize(size, Image.Resampling.LANCZOS)
        second = read_words(smaller, options.language, CROSS_CHECK_SEGMENTATION, _timeout(options, started))
        reads.append(_shapes(second))
    if options.progress is not None:
        options.progress(1, 1)
    confidence = sum(word.confidence for word in words) / len(words) if words else 0.0
    return ImageReads(tuple(reads), confidence, prepared.source_width, alternatives)


def judge_reads(image: ImageReads, extract: Extract, cross_check: bool = True) -> Invoice:
    """The invoice from the reads: the one validation trusts most, checked against the other."""
    outcomes = [_first_readable(shapes, extract) for shapes in image.reads]
    reads = [outcome for outcome in outcomes if not isinstance(outcome, BillRejected)]
    if not reads:
        raise next(outcome for outcome in outcomes if isinstance(outcome, BillRejected))
    # The read whose items add up and whose payment line agrees (fewest validation warnings) leads.
    ranked = sorted(reads, key=lambda read: len(read[0].warnings))
    invoice, text = ranked[0]
    invoice = _items_adding_up(invoice, [read for read, _ in ranked[1:]], image.alternatives, extract)
    others = [shape for read in image.reads for shape in read if shape != text]
    invoice = _descriptions_from_other_reads(invoice, others)
    confirmation = ranked[1][0] if len(ranked) > 1 else None
    if not cross_check:
        confirmation = invoice
    # With the read's own text: identifiers must be printed twice (header and stub) to be trusted.
    warnings = ocr_warnings(invoice, confirmation, image.mean_confidence, text)
    if confirmation is not None and confirmation is not invoice:
        invoice = _fill_missing(invoice, confirmation)
    warnings += image_warnings(invoice, image.source_width, "\n".join(shape for read in image.reads for shape in read))
    warnings += _client_seen_once(invoice, text)
    if invoice.energy_kwh is None:
        metered = metered_kwh(text)
        if metered is not None:
            invoice = dataclasses.replace(invoice, energy_kwh=metered)
            warnings.append(
                ValidationWarning(
                    "image_energy_from_meter",
                    "O consumo foi lido na tabela do medidor, não nos itens faturados: confira.",
                    ("energy_kwh",),
                )
            )
    return dataclasses.replace(invoice, warnings=(*invoice.warnings, *warnings), text_source=TEXT_SOURCE)


#: The warnings about the items that items adding up to the total lift.
ITEM_SUM_WARNINGS = ("items_sum", "items_missing")


def _items_adding_up(
    invoice: Invoice, others: list[Invoice], alternatives: tuple[tuple[str, ...], ...], extract: Extract
) -> Invoice:
    """The leading read, with its items (and what they give: energy, public lighting) taken from
    another read when its own do not add up to its total and the other's do (the same total, as many
    items at least): first the other reads, then the alternatives of the first read (a fee figure
    another variant of the table's read gave, proven by the sum alone). Its other fields stay."""
    if invoice.items and _items_sum(invoice) == invoice.total_amount:
        return invoice
    for found in _candidates(others, alternatives, extract):
        if (
            found.total_amount == invoice.total_amount
            and found.items
            and len(found.items) >= len(invoice.items)
            and _items_sum(found) == found.total_amount
        ):
            return dataclasses.replace(
                invoice,
                items=found.items,
                energy_kwh=found.energy_kwh,
                public_lighting_amount=found.public_lighting_amount,
                warnings=tuple(warning for warning in invoice.warnings if warning.check not in ITEM_SUM_WARNINGS),
            )
    return invoice


def _descriptions_from_other_reads(invoice: Invoice, texts: list[str]) -> Invoice:
    """The leading read with each measured line's description its form does not print (garbled past
    recognition: "Cansunto am A KWm") taken from another read's row holding the same quantity, price
    and amount, when that row's description is one the form prints. Figures are never changed."""
    layout = _family_layout(invoice)
    if layout is None or not invoice.items:
        return invoice
    vocabulary = layout.spec.descriptions
    items = list(invoice.items)
    for index, item in enumerate(items):
        if item.description in vocabulary or item.quantity is None or item.unit_price is None:
            continue
        wanted = {digits_only(str(value)) for value in (item.quantity, item.unit_price, item.amount)}
        found = {
            printed
            for text in texts
            for row in text.splitlines()
            if wanted <= {digits_only(token) for token in row.split()}
            and (printed := layout.form_wording(_row_description(row))) in vocabulary
        }
        if len(found) == 1:
            items[index] = dataclasses.replace(item, description=found.pop())
    return dataclasses.replace(invoice, items=tuple(items)) if items != list(invoice.items) else invoice


def _family_layout(invoice: Invoice) -> FamilyLayout | None:
    for candidate in DISTRIBUTORS:
        if candidate.name == invoice.distributor:
            for layout in candidate.image_layouts:
                if isinstance(layout, FamilyLayout) and layout.name == invoice.layout:
                    return layout
    return None


def _row_description(row: str) -> str:
    """The words of a row before its first figure."""
    words = row.split()
    first = next((index for index, word in enumerate(words) if any(char.isdigit() for char in word)), len(words))
    return " ".join(words[:first])


def _candidates(
    others: list[Invoice], alternatives: tuple[tuple[str, ...], ...], extract: Extract
) -> Iterator[Invoice]:
    """The other reads, then the alternatives read by the templates (only as far as needed)."""
    yield from others
    for shapes in alternatives:
        read = _first_readable(shapes, extract)
        if not isinstance(read, BillRejected):
            yield read[0]


def _items_sum(invoice: Invoice) -> Decimal:
    return sum((item.amount for item in invoice.items), Decimal(0))


def image_warnings(invoice: Invoice, source_width: int, text: str) -> list[ValidationWarning]:
    """What an image read adds to the OCR policy: missing fields or payment line, unconfirmed distributor, tiny page."""
    warnings = []
    missing = tuple(name for name in REQUIRED_FIELDS if getattr(invoice, name) is None)
    if missing:
        warnings.append(
            ValidationWarning(
                "image_field_missing", "Campos não encontrados na imagem: " + field_list(missing) + ".", missing
            )
        )
    if invoice.payment_line is None:
        # Items that add up confirm the total, not the identifiers beside it: an image read must also
        # carry the payment line (its check digits and its amount are validated against the total).
        warnings.append(
            ValidationWarning(
                "image_payment_line_missing",
                "A linha digitável não foi lida na imagem: o total não pôde ser confirmado.",
                ("payment_line", "total_amount"),
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
    if source_width < MIN_READABLE_WIDTH:
        warnings.append(
            ValidationWarning(
                "image_too_small",
                f"A fatura ocupa só {source_width} pixels de largura na imagem: pequena demais.",
                read_fields(invoice),
            )
        )
    return warnings


def _client_seen_once(invoice: Invoice, text: str) -> list[ValidationWarning]:
    """The client code, like the installation (OCR policy), must be seen twice in the read."""
    code = invoice.client_number
    if code is None or len(re.findall(rf"(?<![\w/]){re.escape(code)}(?![\w/])", text)) >= 2:
        return []
    return [
        ValidationWarning(
            "image_client_seen_once",
            "O código do cliente aparece uma só vez na leitura da imagem: não pôde ser confirmado.",
            ("client_number",),
        )
    ]


def _fill_missing(invoice: Invoice, other: Invoice) -> Invoice:
    """Fields the leading read did not find, from the other read (the cross-check has flagged them)."""
    found = {
        name: getattr(other, name)
        for name in FILLABLE_FIELDS
        if getattr(invoice, name) is None and getattr(other, name) is not None
    }
    if not invoice.items and other.items:
        found["items"] = other.items
    return dataclasses.replace(invoice, **found) if found else invoice


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


#: A word without digits this many times taller than the other words of its Tesseract line is not
#: print of that line: a table rule read as "|", a box's edge read as "So", a watermark's letter.
TALL_WORD = 2.5


def _shapes(words: list[Word]) -> tuple[str, ...]:
    words = _without_tall_strays(words)
    return normalise_ocr_text(rows_text(words)), normalise_ocr_text(columns_text(words))


def _without_tall_strays(words: list[Word]) -> list[Word]:
    """The words without those far taller than their line's: rows are grouped by height overlap, so a
    stray reaching into the rows above or below joins billed lines into one ("Consumo-TE Consumo-TUSD")."""
    heights: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    for word in words:
        heights[word.line].append(word.height)
    medians = {line: sorted(values)[len(values) // 2] for line, values in heights.items()}
    return [
        word
        for word in words
        if word.height <= TALL_WORD * medians[word.line] or any(char.isdigit() for char in word.text)
    ]


def _first_readable(shapes: tuple[str, ...], extract: Extract) -> tuple[Invoice, str] | BillRejected:
    """The read through the templates, in the first text shape they can read (with that text)."""
    errors: list[BillRejected] = []
    for text in shapes:
        try:
            return extract(PdfText((text,), from_ocr=True)), text
        except BillRejected as rejected:
            errors.append(rejected)
    return errors[0]
