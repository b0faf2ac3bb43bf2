"""Scans made from the real corpus, read through OCR and scored against the truth files.

Shared by tests/ocr/test_scanned_corpus.py and bench/ocr.py.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from faturas.domain.invoice import Invoice
from faturas.domain.serialization import invoice_to_dict
from faturas.errors import BillRejected
from faturas.extraction.extract import extract_invoice
from faturas.extraction.ocr import OcrOptions
from faturas.extraction.ocr.simulate import NOISY_SIGMA, simulate_scan
from faturas.extraction.pdf_text import count_pages
from tests.corpus.truth import ITEM_FIELDS, SCALARS, mismatches


@dataclass(frozen=True)
class Variant:
    name: str
    dpi: int
    rotation: float = 0.0
    noise: float = 0.0


VARIANTS = (
    Variant("300 dpi", 300),
    Variant("150 dpi", 150),
    Variant("150 dpi tilted+noisy", 150, rotation=1.3, noise=NOISY_SIGMA),
)


@dataclass(frozen=True)
class Outcome:
    file: str
    distributor: str
    variant: str
    pages: int
    seconds: float
    fields: int
    wrong: tuple[str, ...]  # mismatches with the truth; every field wrong when refused
    error: str | None  # the error code when the scan was refused
    needs_review: bool
    unflagged: tuple[str, ...]  # wrong fields no warning names
    detail: str = ""  # the refusal's message, or the warnings

    @property
    def fully_correct(self) -> bool:
        return self.error is None and not self.wrong

    @property
    def wrongly_accepted(self) -> bool:
        """Stored as clean data while a field is wrong: the one outcome that must never happen."""
        return self.error is None and bool(self.wrong) and not self.needs_review

    @property
    def fields_correct(self) -> int:
        return 0 if self.error else max(0, self.fields - len(self.wrong))


def pdf_for(truth_path: Path) -> Path:
    return truth_path.with_name(truth_path.name.removesuffix(".truth.json") + ".pdf")


def count_fields(truth: dict[str, Any]) -> int:
    count = sum(1 for field in SCALARS if field in truth)
    count += len(ITEM_FIELDS) * len(truth.get("items") or [])
    return count + sum(count_fields(sub) for sub in truth.get("sub_invoices") or [])


def read_scan(truth_path: Path, variant: Variant, options: OcrOptions | None = None) -> Outcome:
    truth = json.loads(truth_path.read_text())
    original = pdf_for(truth_path).read_bytes()
    scan = simulate_scan(original, variant.dpi, variant.rotation, variant.noise)
    name = f"{truth_path.parent.name}/{pdf_for(truth_path).name}"
    started = time.monotonic()
    try:
        invoice = extract_invoice(scan, ocr=options or OcrOptions())
    except BillRejected as error:
        seconds = time.monotonic() - started
        return Outcome(name, truth_path.parent.name, variant.name, count_pages(scan), seconds,
                       count_fields(truth), (), error.code, False, (), error.message)  # fmt: skip
    except Exception as error:  # a template that breaks on OCR text is refused here, and reported
        seconds = time.monotonic() - started
        return Outcome(name, truth_path.parent.name, variant.name, count_pages(scan), seconds,
                       count_fields(truth), (), f"crash:{type(error).__name__}", False, (), repr(error))  # fmt: skip
    seconds = time.monotonic() - started
    wrong = tuple(mismatches(truth, invoice_to_dict(invoice)))
    unflagged = tuple(mismatch for mismatch in wrong if not _flagged(mismatch, invoice))
    return Outcome(name, truth_path.parent.name, variant.name, count_pages(scan), seconds,
                   count_fields(truth), wrong, None, invoice.needs_review, unflagged,
                   " | ".join(warning.message for warning in invoice.warnings))  # fmt: skip


def _flagged(mismatch: str, invoice: Invoice) -> bool:
    """Whether a warning names the field a mismatch ("items[2].amount: …") is about."""
    path = mismatch.split(":", 1)[0]
    root = re.match(r"[a-z_]+", path)
    flagged = {field for warning in invoice.warnings for field in warning.fields}
    if root is None:
        return False
    if root.group(0) in flagged:
        return True
    sub = re.match(r"sub_invoices\[(\d+)\]\.([a-z_]+)", path)
    if sub and int(sub.group(1)) < len(invoice.sub_invoices):
        sub_invoice = invoice.sub_invoices[int(sub.group(1))]
        return sub.group(2) in {field for warning in sub_invoice.warnings for field in warning.fields}
    return False
