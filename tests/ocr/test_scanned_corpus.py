"""Scans made from the real corpus are read through OCR with zero wrongly accepted files.

OCR costs seconds per page, so CI reads a subset chosen by rule, not by result: at 300 dpi the first
bills (in name order) of at most two pages of every distributor folder; tilted and noisy at 150 dpi,
the first of them. ``python bench/ocr.py`` runs every variant over every bill and prints accuracy and
time per page.
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

#: Pages per bill in the subsets: long bills cost minutes of OCR and add no new layout.
SUBSET_MAX_PAGES = 2

#: Bills per distributor folder scanned at 300 dpi in CI.
BILLS_PER_FOLDER_AT_300_DPI = 4

#: At 300 dpi at least this share of the bills must come back with every scored field right
#: (flagged for review or not): a floor against regressions, under what is measured.
MIN_FULLY_CORRECT_AT_300_DPI = 0.35

FULL = next(variant for variant in VARIANTS if variant.name == "300 dpi")
NOISY = next(variant for variant in VARIANTS if variant.noise)


def _bills() -> list[Path]:
    return sorted(CORPUS.rglob("*.truth.json")) if CORPUS.is_dir() else []


def _short_bills_per_folder(bills: list[Path], per_folder: int) -> list[Path]:
    pages = {}
    for row in (CORPUS / "MANIFEST.tsv").read_text().splitlines()[1:]:
        columns = row.split("\t")
        pages[columns[0]] = int(columns[3])
    chosen: dict[str, list[Path]] = {}
    for truth in bills:
        relative = f"{truth.parent.name}/{pdf_for(truth).name}"
        folder = chosen.setdefault(truth.parent.name, [])
        if len(folder) < per_folder and pages.get(relative, 99) <= SUBSET_MAX_PAGES:
            folder.append(truth)
    return sorted(truth for folder in chosen.values() for truth in folder)


def _read(job: tuple[Path, Variant]) -> Outcome:
    return read_scan(*job)


@pytest.fixture(scope="module")
def outcomes() -> list[Outcome]:
    bills = _bills()
    if not bills:
        pytest.skip(f"real-bill corpus not found at {CORPUS}")
    # Longest bills first, so the pool does not end waiting on one of them.
    jobs = [(truth, NOISY) for truth in _short_bills_per_folder(bills, 1)]
    jobs += [(truth, FULL) for truth in _short_bills_per_folder(bills, BILLS_PER_FOLDER_AT_300_DPI)]
    jobs.sort(key=lambda job: -pdf_for(job[0]).stat().st_size)
    with ProcessPoolExecutor(os.cpu_count() or 1) as pool:
        return list(pool.map(_read, jobs))


@pytest.mark.corpus
@pytest.mark.usefixtures("tesseract")
def test_scanned_bills_are_never_wrongly_accepted(outcomes: list[Outcome]) -> None:
    wrongly = [f"[{o.variant}] {o.file}: {'; '.join(o.wrong)}" for o in outcomes if o.wrongly_accepted]
    assert wrongly == []


@pytest.mark.corpus
@pytest.mark.usefixtures("tesseract")
def test_most_bills_scanned_at_300_dpi_are_read_right(outcomes: list[Outcome]) -> None:
    full = [outcome for outcome in outcomes if outcome.variant == FULL.name]
    correct = [outcome.file for outcome in full if outcome.fully_correct]
    assert len(correct) >= MIN_FULLY_CORRECT_AT_300_DPI * len(full), correct


@pytest.mark.corpus
@pytest.mark.usefixtures("tesseract")
def test_the_portal_screenshot_is_still_refused_as_not_a_bill(corpus_dir: Path) -> None:
    with pytest.raises(NotABill):
        extract_invoice((corpus_dir / "cemig" / "Pai_CEMIG_17112022.pdf").read_bytes(), ocr=OcrOptions())
