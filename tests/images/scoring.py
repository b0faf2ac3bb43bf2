"""Real bill images read through the image pipeline and scored against their truth files.

Shared by tests/images/test_image_accuracy.py and bench/images.py. A truth file holds only the keys
that could be read with certainty; only those are scored (see ../shared/images/README.md).
"""

from __future__ import annotations

import io
import json
import os
import resource
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fpdf import FPDF
from PIL import Image, ImageOps

from faturas.domain.serialization import invoice_to_dict
from faturas.errors import BillRejected
from faturas.extraction.extract import extract_invoice
from faturas.extraction.ocr import OcrOptions
from tests.corpus.truth import ITEM_FIELDS, SCALARS, mismatches

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
EXIF_ORIENTATION = 0x0112


@dataclass(frozen=True)
class ImageOutcome:
    file: str
    group: str  # the folder: light_rj, equatorial_al …
    seconds: float
    peak_rss_mb: float  # of the process that read it, so far
    fields: int  # labelled fields, counted as score_corpus.py counts them
    wrong: tuple[str, ...]  # mismatches with the truth; every field is wrong when refused
    error: str | None  # the refusal's code
    needs_review: bool
    detail: str = ""

    @property
    def fields_correct(self) -> int:
        return 0 if self.error else max(0, self.fields - len(self.wrong))

    @property
    def fully_correct(self) -> bool:
        return self.error is None and not self.wrong

    @property
    def wrongly_accepted(self) -> bool:
        """A labelled field wrong while the invoice is not flagged for review: must never happen."""
        return self.error is None and bool(self.wrong) and not self.needs_review


def image_for(truth_path: Path) -> Path:
    stem = truth_path.name.removesuffix(".truth.json")
    return next(path for path in truth_path.parent.iterdir() if path.stem == stem and path.suffix in IMAGE_SUFFIXES)


def count_fields(truth: dict[str, Any]) -> int:
    count = sum(1 for field in SCALARS if field in truth)
    if "items" in truth:
        count += 1 + len(ITEM_FIELDS) * len(truth["items"] or [])
    return count


def score(truth: dict[str, Any], got: dict[str, Any]) -> tuple[str, ...]:
    """Every mismatch, counted as ../shared/tools/score_corpus.py counts them (a missing item list is one)."""
    return tuple(mismatches(truth, got))


def wrapped_in_pdf(image: bytes, dpi: int = 200) -> bytes:
    """A one-page PDF of ``image`` as a phone's "scan to PDF" makes it: the JPEG kept as it is unless its
    EXIF says to turn it (a PDF has no EXIF: the turned image is saved at JPEG quality 95)."""
    picture = Image.open(io.BytesIO(image))
    if picture.getexif().get(EXIF_ORIENTATION, 1) != 1:
        turned = io.BytesIO()
        picture = ImageOps.exif_transpose(picture).convert("RGB")
        picture.save(turned, "JPEG", quality=95)
        image = turned.getvalue()
    width, height = (pixels * 72 / dpi for pixels in picture.size)
    pdf = FPDF(unit="pt", format=(width, height))
    pdf.set_margin(0)
    pdf.add_page()
    pdf.image(io.BytesIO(image), 0, 0, width, height)
    return bytes(pdf.output())


def read_image_file(truth_path: Path, as_pdf: bool = False) -> ImageOutcome:
    """``as_pdf``: the image wrapped in a one-page PDF first (``wrapped_in_pdf``)."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    truth = json.loads(truth_path.read_text())
    image = image_for(truth_path)
    name = f"{truth_path.parent.name}/{image.name}"
    started = time.monotonic()
    data = wrapped_in_pdf(image.read_bytes()) if as_pdf else image.read_bytes()
    try:
        invoice = extract_invoice(data, ocr=OcrOptions())
    except BillRejected as error:
        return ImageOutcome(name, truth_path.parent.name, time.monotonic() - started, _peak_mb(),
                            count_fields(truth), (), error.code, False, error.message)  # fmt: skip
    seconds = time.monotonic() - started
    wrong = score(truth, invoice_to_dict(invoice))
    detail = " | ".join(warning.message for warning in invoice.warnings)
    return ImageOutcome(name, truth_path.parent.name, seconds, _peak_mb(), count_fields(truth), wrong,
                        None, invoice.needs_review, detail)  # fmt: skip


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tesseract = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, tesseract) / 1024


def table(outcomes: list[ImageOutcome]) -> list[str]:
    """Per group: fields correct, files fully correct, files wrongly accepted; then the totals."""
    lines = [f"{'group':24} {'fields':>11} {'files ok':>9} {'wrongly acc.':>13} {'refused':>8} {'s/image':>8}"]
    groups = sorted({outcome.group for outcome in outcomes})
    for group in [*groups, "TOTAL"]:
        chosen = [o for o in outcomes if group in ("TOTAL", o.group)]
        fields = sum(o.fields for o in chosen)
        correct = sum(o.fields_correct for o in chosen)
        lines.append(
            f"{group:24} {correct:>5}/{fields:<5} {sum(o.fully_correct for o in chosen):>4}/{len(chosen):<4} "
            f"{sum(o.wrongly_accepted for o in chosen):>13} {sum(o.error is not None for o in chosen):>8} "
            f"{sum(o.seconds for o in chosen) / len(chosen):>8.1f}"
        )
    return lines
