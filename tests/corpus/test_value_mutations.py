"""Every corpus bill is still read fully correctly when its values are changed consistently.

Each mutation (tests/corpus/mutations.py) replaces one kind of value in the bill's text and its truth
file alike: amounts, quantities and unit prices of other magnitudes, dates moved by some months (or the due date
alone by some days), client
and installation numbers with other digits and lengths; on layouts that print each charge on one line,
one unmetered item row left out or one more added (a charge or a credit); the holder's name replaced by
names of other lengths and accents. A template that relies on a corpus bill's
incidental values fails here, where another bill of the same layout would fail in production.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from faturas.domain.serialization import invoice_to_dict
from faturas.extraction.extract import extract_from_text
from faturas.extraction.pdf_text import PdfText, pdf_to_text
from tests.conftest import shared_dir
from tests.corpus.mutations import MUTATIONS, Case
from tests.corpus.truth import mismatches

CORPUS = shared_dir() / "corpus"
TRUTH_FILES = sorted(CORPUS.rglob("*.truth.json")) if CORPUS.is_dir() else []
#: Draws per mutation kind and bill (each with its own seed).
VARIANTS = 3


@cache
def _case(truth_path: Path) -> Case:
    pdf = truth_path.with_name(truth_path.name.removesuffix(".truth.json") + ".pdf")
    name = f"{truth_path.parent.name}/{truth_path.name.removesuffix('.truth.json')}"
    return Case(name, pdf_to_text(pdf.read_bytes()).pages, json.loads(truth_path.read_text()))


@pytest.mark.corpus
@pytest.mark.parametrize("kind", sorted(MUTATIONS))
def test_every_bill_is_read_fully_correctly_when_mutated(kind: str) -> None:
    if not TRUTH_FILES:
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    failures = []
    tried = 0
    for truth_path in TRUTH_FILES:
        case = _case(truth_path)
        for variant in range(VARIANTS):
            # Not every kind applies to every bill (no negative amount to mirror, a name the reader skips).
            mutation = MUTATIONS[kind](Case(f"{case.name}#{variant}", case.pages, case.truth))
            if mutation is None:
                continue
            tried += 1
            got = invoice_to_dict(extract_from_text(PdfText(mutation.case.pages)))
            found = mismatches(mutation.case.truth, got)
            if mutation.holder_name is not None and got.get("holder_name") != mutation.holder_name:
                found.append(f"holder_name: expected {mutation.holder_name!r}, got {got.get('holder_name')!r}")
            if found:
                failures.append(f"{case.name} variant {variant} (replaced {mutation.replaced}): {found}")
    assert tried >= len(TRUTH_FILES) // 2, f"the {kind} mutation applied to only {tried} bill variants"
    assert failures == []
