"""Fuzzing the templates with text: invented bills of every distributor, mutated, and random text.

Whatever the text, extract_from_text either raises a typed FaturasError or returns an invoice that
is flagged for review or consistent: its items (or grouped invoices) add up to its total, and that
total is printed on the bill. IndexError, ValueError and friends must never escape, and a wrong total
must never come back unflagged. Bounded for CI: a fixed number of examples, no deadline per example.
"""

from __future__ import annotations

import os
import random
import re
from decimal import Decimal
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from faturas.domain.formatting import format_number
from faturas.domain.invoice import Invoice
from faturas.errors import FaturasError
from faturas.extraction.extract import extract_from_text
from faturas.extraction.pdf_text import PdfText, pdf_to_text
from faturas.synthetic import random_bill, render_cemig_danf3e
from tests.unit.extraction.celesc import invented_bills as celesc
from tests.unit.extraction.cemig import invented_bills as cemig
from tests.unit.extraction.coelba import invented_bills as coelba
from tests.unit.extraction.copel import invented_bills as copel
from tests.unit.extraction.cpfl import invented_bills as cpfl
from tests.unit.extraction.energisa import invented_bills as energisa

#: CI runs a fixed, derandomized set (the same examples every run: no flaky builds); for a deeper search,
#: FATURAS_FUZZ_EXAMPLES=20000 runs that many fresh random examples per test.
DEEP = int(os.environ.get("FATURAS_FUZZ_EXAMPLES", "0"))
FUZZ = settings(
    max_examples=DEEP or 300,
    derandomize=not DEEP,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)
LIGHT = settings(FUZZ, max_examples=DEEP or 150)


@cache
def seed_bills() -> tuple[PdfText, ...]:
    """Every layout we read, in the text shape PDFium gives, plus synthetic bills read from real PDFs."""
    invented = (
        cemig.danf3e(),
        cemig.second_copy(),
        cemig.serie_u_2019(),
        celesc.serie_unica(),
        celesc.danf3e(),
        coelba.single(),
        coelba.collective(),
        copel.serie_b(),
        cpfl.serie_c(),
        energisa.danf3e(),
        energisa.matricula(),
    )
    synthetic = tuple(pdf_to_text(render_cemig_danf3e(random_bill(random.Random(seed)))) for seed in (1, 2))
    return invented + synthetic


def assert_flagged_or_consistent(invoice: Invoice, text: str) -> None:
    for sub in invoice.sub_invoices:
        assert_flagged_or_consistent(sub, text)
    if invoice.needs_review:
        return
    parts = invoice.sub_invoices or invoice.items
    amounts = [part.total_amount if isinstance(part, Invoice) else part.amount for part in parts]
    assert amounts, "an unflagged invoice without items"
    assert sum(amounts, Decimal(0)) == invoice.total_amount, "unflagged, but its parts do not add up"
    assert format_number(invoice.total_amount, 2) in text, "unflagged, with a total the bill does not print"


def read(document: PdfText) -> None:
    try:
        invoice = extract_from_text(document)
    except FaturasError:
        return
    assert_flagged_or_consistent(invoice, document.text)


#: Characters that break naive parsing: digits and separators, pt-BR letters, control and odd Unicode.
noise = st.text(alphabet=st.sampled_from("0123456789,.-/:R$ kWhTOTALçãé\t\x00\ufffd\u202e\n"), max_size=40)


@st.composite
def mutated_bills(draw: st.DrawFn) -> PdfText:
    document = draw(st.sampled_from(seed_bills()))
    lines = document.text.split("\n")
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        at = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        action = draw(
            st.sampled_from(["delete", "duplicate", "swap", "insert", "edit", "digits", "huge", "join", "truncate"])
        )
        if action == "delete" and len(lines) > 1:
            del lines[at]
        elif action == "duplicate":
            lines.insert(at, lines[at])
        elif action == "swap":
            other = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif action == "insert":
            lines.insert(at, draw(noise))
        elif action == "edit" and lines[at]:
            position = draw(st.integers(min_value=0, max_value=len(lines[at]) - 1))
            lines[at] = lines[at][:position] + draw(noise) + lines[at][position + 1 :]
        elif action == "digits":
            digits = draw(st.text(alphabet="0123456789", min_size=1, max_size=12))
            lines[at] = "".join(digits if char.isdigit() else char for char in lines[at])
        elif action == "huge":  # every number on the line becomes enormous
            lines[at] = re.sub(r"\d+", "9" * draw(st.integers(min_value=20, max_value=400)), lines[at])
        elif action == "join" and at + 1 < len(lines):
            lines[at : at + 2] = [lines[at] + draw(st.sampled_from(["", " ", "\t"])) + lines[at + 1]]
        elif action == "truncate":
            lines = lines[: at + 1]
    return PdfText(tuple("\n".join(lines).split("\f")))


def test_every_unmutated_seed_is_read_and_passes_the_oracle() -> None:
    for document in seed_bills():
        invoice = extract_from_text(document)
        assert_flagged_or_consistent(invoice, document.text)


@FUZZ
@given(mutated_bills())
def test_mutated_bills_give_a_typed_error_or_a_flagged_or_consistent_invoice(document: PdfText) -> None:
    read(document)


@LIGHT
@given(st.lists(st.text(max_size=200), min_size=1, max_size=3))
def test_random_text_gives_a_typed_error(pages: list[str]) -> None:
    read(PdfText(tuple(pages)))


@LIGHT
@given(st.sampled_from(range(13)), st.text(max_size=300))
def test_random_text_after_a_bills_cues_gives_a_typed_error(seed: int, junk: str) -> None:
    # The distributor is detected, so the templates run on text they have never seen.
    document = seed_bills()[seed % len(seed_bills())]
    head = document.text[:400]
    read(PdfText((head + "\n" + junk,)))
