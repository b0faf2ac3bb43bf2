"""Every real bill of the shared corpus is read fully correctly (when the corpus is present)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from faturas.domain.serialization import invoice_to_dict
from faturas.errors import NotABill, NoTextLayer
from faturas.extraction.extract import extract_invoice
from tests.conftest import REPO_ROOT, shared_dir
from tests.corpus.truth import mismatches

CORPUS = shared_dir() / "corpus"
TRUTH_FILES = sorted(CORPUS.rglob("*.truth.json")) if CORPUS.is_dir() else []


def _pdf_for(truth_path: Path) -> Path:
    return truth_path.with_name(truth_path.name.removesuffix(".truth.json") + ".pdf")


@pytest.mark.corpus
@pytest.mark.parametrize("truth_path", TRUTH_FILES, ids=lambda p: p.parent.name + "/" + p.name[:-11])
def test_bill_is_read_fully_correctly(truth_path: Path) -> None:
    truth = json.loads(truth_path.read_text())
    invoice = extract_invoice(_pdf_for(truth_path).read_bytes())
    assert mismatches(truth, invoice_to_dict(invoice)) == []


@pytest.mark.corpus
def test_portal_screenshot_is_refused(corpus_dir: Path) -> None:
    with pytest.raises((NoTextLayer, NotABill)):
        extract_invoice((corpus_dir / "cemig" / "Pai_CEMIG_17112022.pdf").read_bytes())


@pytest.mark.corpus
def test_byte_variant_reads_identically(corpus_dir: Path) -> None:
    original = extract_invoice((corpus_dir / "cemig" / "3001116735-01-2024.pdf").read_bytes())
    variant = extract_invoice((corpus_dir / "cemig" / "invoice-sample_3001116735-01-2024_bytevariant.pdf").read_bytes())
    assert invoice_to_dict(original) == invoice_to_dict(variant)


@pytest.mark.corpus
def test_shared_scorer_counts_every_file_correct(corpus_dir: Path, tmp_path: Path) -> None:
    scorer = shared_dir() / "tools" / "score_corpus.py"
    if not scorer.is_file():
        pytest.skip(f"scorer not found at {scorer}")
    results = tmp_path / "results.jsonl"
    with results.open("w") as out:
        subprocess.run(
            [sys.executable, "-m", "faturas.cli", "parse", str(corpus_dir), "--format", "jsonl"],
            stdout=out,
            cwd=REPO_ROOT,
            check=False,
        )
    scored = subprocess.run(
        [sys.executable, str(scorer), "--corpus", str(corpus_dir), "--results", str(results), "--verbose"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert scored.returncode == 0, scored.stdout + scored.stderr
