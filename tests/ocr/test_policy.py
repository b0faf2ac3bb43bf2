from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

from faturas.domain.invoice import Invoice, ItemKind, LineItem
from faturas.domain.reference_month import ReferenceMonth
from faturas.extraction.ocr.policy import MONEY_FIELDS, drop_disputed_extras, ocr_warnings

LINE = "836700000018075001380007000000000018123456789015"  # R$ 107,50


def _invoice(**changes: Any) -> Invoice:
    invoice = Invoice(
        distributor="CEMIG",
        layout="test.layout",
        installation_number="3012345678",
        client_number="7012345678",
        reference_month=ReferenceMonth(2025, 3),
        due_date=date(2025, 4, 10),
        total_amount=Decimal("107.50"),
        items=(
            LineItem("Energia Elétrica", Decimal("80.00"), "kWh", Decimal(100), Decimal("0.80"), ItemKind.ENERGY),
            LineItem("Contrib Ilum Publica Municipal", Decimal("27.50"), kind=ItemKind.PUBLIC_LIGHTING),
        ),
        payment_line=LINE,
    )
    return dataclasses.replace(invoice, **changes)


def _checks(invoice: Invoice, confirmation: Invoice | None, confidence: float = 90.0) -> list[str]:
    return [warning.check for warning in ocr_warnings(invoice, confirmation, confidence)]


def test_a_confirmed_ocr_read_gets_no_warning() -> None:
    assert _checks(_invoice(), _invoice()) == []


def test_fields_two_reads_disagree_on_are_flagged() -> None:
    second = _invoice(installation_number="3012345670", due_date=date(2025, 4, 16))
    [warning] = ocr_warnings(_invoice(), second, 90.0)
    assert warning.check == "ocr_disagreement"
    assert warning.fields == ("installation_number", "due_date")


def test_a_read_nothing_confirms_flags_every_field() -> None:
    [warning] = ocr_warnings(_invoice(), None, 90.0)
    assert warning.check == "ocr_unconfirmed"
    assert {"client_number", "installation_number", "total_amount", "items", "due_date"} <= set(warning.fields)


def test_without_items_the_total_is_unconfirmed() -> None:
    invoice = _invoice(items=())
    [warning] = ocr_warnings(invoice, invoice, 90.0)
    assert warning.check == "ocr_total_unconfirmed"
    assert warning.fields == MONEY_FIELDS


def test_a_bill_paid_by_automatic_debit_is_confirmed_by_its_items_without_a_payment_line() -> None:
    invoice = _invoice(payment_line=None)
    assert _checks(invoice, invoice) == []


def test_extras_the_two_reads_disagree_on_are_dropped_not_flagged() -> None:
    first = _invoice(holder_name="MARIA EXEMPLO", automatic_debit_code="008000000001")
    second = _invoice(holder_name="MARIA EXEMPL0", automatic_debit_code="008000000001")
    kept, confirmation = drop_disputed_extras(first, second)
    assert kept.holder_name is None
    assert kept.automatic_debit_code == "008000000001"
    assert _checks(kept, confirmation) == []


def test_figures_the_two_reads_disagree_on_are_never_dropped() -> None:
    first, second = drop_disputed_extras(_invoice(), _invoice(total_amount=Decimal("107.80")))
    assert first.total_amount == Decimal("107.50")
    assert _checks(first, second) == ["ocr_disagreement"]


def test_an_item_whose_quantity_times_price_is_not_its_amount_is_flagged() -> None:
    misread = LineItem("Energia Elétrica", Decimal("80.00"), "kWh", Decimal(160), Decimal("0.80"), ItemKind.ENERGY)
    invoice = _invoice(items=(misread, _invoice().items[1]))
    assert _checks(invoice, invoice) == ["ocr_item_arithmetic"]


def test_rounding_and_taxes_within_one_percent_are_tolerated() -> None:
    item = LineItem("Energia SCEE s/ ICMS", Decimal("652.55"), "kWh", Decimal(1007), Decimal("0.64802788"))
    credit = LineItem("Energia compensada GD I", Decimal("-620.00"), "kWh", Decimal(1007), Decimal("0.61569129"))
    invoice = _invoice(items=(item, credit))
    assert "ocr_item_arithmetic" not in _checks(invoice, invoice)


def test_a_poor_page_flags_everything() -> None:
    assert _checks(_invoice(), _invoice(), confidence=40.0) == ["ocr_low_confidence"]


def test_an_installation_number_and_due_date_printed_twice_are_confirmed_by_the_text() -> None:
    text = "Nº DA INSTALAÇÃO 3012345678\nMAR/2025 10/04/2025 107,50\n…\n3012345678 10/04/2025 R$107,50"
    assert ocr_warnings(_invoice(), _invoice(), 90.0, text) == []


def test_an_identifier_seen_once_is_flagged_even_when_both_reads_agree() -> None:
    text = "Nº DA INSTALAÇÃO 3012345678\nMAR/2025 10/04/2025 107,50\n…\n3012345878 10/04/2025 R$107,50"
    [warning] = ocr_warnings(_invoice(), _invoice(), 90.0, text)
    assert warning.check == "ocr_seen_once"
    assert warning.fields == ("installation_number",)
