"""Scans made from the real corpus are read through OCR with zero wrongly accepted files.

A representative subset keeps CI time bounded (one short bill per distributor, three scan variants);
``python bench/ocr.py`` runs every bill and prints accuracy and time per page.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from faturas.errors import NotABill
from faturas.extraction.extract import extract_invoice
from faturas.extraction.ocr import OcrOptions
from tests.conftest import shared_dir
from tests.ocr.scoring import VARIANTS, Outcome, Variant, pdf_for, read_scan

CORPUS = shared_dir() / "corpus"

#: Pages per bill in the subset: long bills cost minutes of OCR and add no new layout.
SUBSET_MAX_PAGES = 2


def _subset() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    chosen: dict[str, Path] = {}
    manifest = {}
    for row in (CORPUS / "MANIFEST.tsv").read_text().splitlines()[1:]:
        columns = row.split("\t")
        manifest[columns[0]] = int(columns[3])
    for truth in sorted(CORPUS.rglob("*.truth.json")):
        relative = f"{truth.parent.name}/{pdf_for(truth).name}"
        if truth.parent.name not in chosen and manifest.get(relative, 99) <= SUBSET_MAX_PAGES:
            chosen[truth.parent.name] = truth
    return sorted(chosen.values())


def _read(job: tuple[Path, Variant]) -> Outcome:
    return read_scan(*job)


@pytest.mark.corpus
@pytest.mark.usefixtures("tesseract")
def test_scanned_bills_are_never_wrongly_accepted() -> None:
    subset = _subset()
    if not subset:
        pytest.skip(f"real-bill corpus not found at {CORPUS}")
    jobs = [(truth, variant) for variant in VARIANTS for truth in subset]
    with ProcessPoolExecutor(os.cpu_count() or 1) as pool:
        outcomes = list(pool.map(_read, jobs))
    wrongly = [f"[{o.variant}] {o.file}: {'; '.join(o.wrong)}" for o in outcomes if o.wrongly_accepted]
    assert wrongly == []


@pytest.mark.corpus
@pytest.mark.usefixtures("tesseract")
def test_the_portal_screenshot_is_still_refused_as_not_a_bill(corpus_dir: Path) -> None:
    with pytest.raises(NotABill):
        extract_invoice((corpus_dir / "cemig" / "Pai_CEMIG_17112022.pdf").read_bytes(), ocr=OcrOptions())
