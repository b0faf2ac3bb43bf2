"""Render invented values as a CEMIG DANF3E bill, read the PDF back, and get exactly those values."""

from __future__ import annotations

import dataclasses
import random
from decimal import Decimal

from hypothesis import HealthCheck, given, settings

from faturas.domain.invoice import Invoice, ItemKind
from faturas.extraction.extract import extract_invoice
from faturas.synthetic import SyntheticBill, random_bill, render_cemig_danf3e
from tests.synthetic.strategies import bills

ROUND_TRIP = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Everything the template reads, compared field by field so a failure names the field.
FIELDS = (
    "distributor", "layout", "client_number", "installation_number", "reference_month", "due_date",
    "total_amount", "energy_kwh", "scee_kwh", "compensated_kwh", "public_lighting_amount", "holder_name",
    "access_key", "nota_fiscal_number", "nota_fiscal_series", "issue_date", "payment_line", "barcode",
    "automatic_debit_code", "customer_class", "subclass", "tariff_modality", "supply_type", "reading_dates",
    "meter_readings", "gd_balance_kwh", "tariff_flags", "taxes", "consumption_history",
)  # fmt: skip


def _read(bill: SyntheticBill) -> Invoice:
    return extract_invoice(render_cemig_danf3e(bill))


def _checks(invoice: Invoice) -> list[str]:
    return [warning.check for warning in invoice.warnings]


@ROUND_TRIP
@given(bills())
def test_every_printed_value_is_read_back_exactly(bill: SyntheticBill) -> None:
    expected = bill.expected_invoice()
    invoice = _read(bill)
    assert invoice.warnings == ()
    assert invoice.items == expected.items
    for name in FIELDS:
        assert getattr(invoice, name) == getattr(expected, name), name


@ROUND_TRIP
@given(bills())
def test_derived_figures_follow_from_the_items(bill: SyntheticBill) -> None:
    invoice = _read(bill)
    lines = {kind: [item for item in bill.items if item.kind is kind] for kind in ItemKind}
    assert invoice.total_without_gd == sum(
        (item.amount for kind in (ItemKind.ENERGY, ItemKind.SCEE, ItemKind.PUBLIC_LIGHTING) for item in lines[kind]),
        Decimal(0),
    )
    assert invoice.gd_savings == abs(sum((item.amount for item in lines[ItemKind.COMPENSATED]), Decimal(0)))
    assert invoice.consumption_kwh == bill.meter_reading.consumption
    assert not invoice.needs_review


@ROUND_TRIP
@given(bills())
def test_a_tampered_item_amount_needs_review_for_the_item_sum(bill: SyntheticBill) -> None:
    index = random.Random(bill.key_code).randrange(len(bill.items))
    tampered = tuple(
        dataclasses.replace(item, amount=item.amount + Decimal("0.01")) if position == index else item
        for position, item in enumerate(bill.items)
    )
    invoice = _read(dataclasses.replace(bill, items=tampered, printed_total=bill.total))
    assert invoice.needs_review
    assert _checks(invoice) == ["items_sum"]


@ROUND_TRIP
@given(bills())
def test_a_payment_line_for_another_value_needs_review(bill: SyntheticBill) -> None:
    invoice = _read(dataclasses.replace(bill, payment_line_value=bill.total + Decimal("10.00")))
    assert invoice.needs_review
    assert _checks(invoice) == ["payment_line_total"]


@ROUND_TRIP
@given(bills())
def test_a_wrong_access_key_digit_needs_review(bill: SyntheticBill) -> None:
    wrong_digit = str((int(bill.access_key[-1]) + 1) % 10)
    invoice = _read(dataclasses.replace(bill, access_key_check_digit=wrong_digit))
    assert invoice.needs_review
    assert _checks(invoice) == ["access_key"]


def test_a_bill_from_the_plain_generator_reads_without_warnings() -> None:
    for seed in range(20):
        bill = random_bill(random.Random(seed))
        invoice = _read(bill)
        assert invoice.warnings == (), seed
        assert invoice.items == bill.expected_invoice().items, seed
