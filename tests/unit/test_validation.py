from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from faturas.domain.invoice import Invoice, ItemKind, LineItem, MeterReading, ValidationWarning
from faturas.domain.reference_month import ReferenceMonth
from faturas.extraction.validation import ITEM_FIGURES, validate

TODAY = date(2025, 6, 1)
KEY = "31250306981180000116660000001234561123456785"  # issued 03/2025 by CNPJ 06.981.180/0001-16
LINE = "836700000018075001380007000000000018123456789015"  # R$ 107,50
BILL_TEXT = f"CEMIG DISTRIBUIÇÃO S.A. CNPJ 06.981.180/0001-16\nchave de acesso:\n{KEY}\n"


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
        access_key=KEY,
        issue_date=date(2025, 3, 14),
        payment_line=LINE,
        meter_readings=(MeterReading("ABC123", "Energia kWh", Decimal(1000), Decimal(1100), Decimal(1), Decimal(100)),),
    )
    return dataclasses.replace(invoice, **changes)


def _checks(invoice: Invoice, text: str = BILL_TEXT) -> list[str]:
    return [warning.check for warning in validate(invoice, text, today=TODAY).warnings]


def test_a_consistent_bill_has_no_warnings() -> None:
    validated = validate(_invoice(), BILL_TEXT, today=TODAY)
    assert validated.warnings == ()
    assert not validated.needs_review


def test_items_that_do_not_add_up_to_the_total_are_flagged() -> None:
    validated = validate(_invoice(total_amount=Decimal("107.51")), BILL_TEXT, today=TODAY)
    checks = [warning.check for warning in validated.warnings]
    assert "items_sum" in checks
    assert validated.needs_review
    warning = next(warning for warning in validated.warnings if warning.check == "items_sum")
    assert warning.fields == ("items", "total_amount", *ITEM_FIGURES)


def test_a_bill_without_items_is_flagged_with_the_figures_read_from_items() -> None:
    validated = validate(_invoice(items=()), BILL_TEXT, today=TODAY)
    assert [(warning.check, warning.fields) for warning in validated.warnings] == [
        ("items_missing", ("items", "energy_kwh", "scee_kwh", "compensated_kwh", "public_lighting_amount")),
    ]


def test_a_zero_total_with_offsetting_items_is_valid() -> None:
    items = (LineItem("Energia Elétrica", Decimal("50.00")), LineItem("Crédito", Decimal("-50.00")))
    assert "items_sum" not in _checks(_invoice(items=items, total_amount=Decimal("0.00"), payment_line=None))


def test_sub_invoices_must_add_up_to_the_collective_total() -> None:
    sub = _invoice(total_amount=Decimal("107.50"), payment_line=None, access_key=None)
    collective = _invoice(items=(), sub_invoices=(sub, sub), total_amount=Decimal("215.00"), payment_line=None)
    assert _checks(collective) == []
    assert "items_sum" in _checks(dataclasses.replace(collective, total_amount=Decimal("215.01")))


def test_a_sub_invoice_warning_makes_the_collective_bill_need_review() -> None:
    bad_sub = _invoice(total_amount=Decimal("1.00"), payment_line=None, access_key=None)
    collective = _invoice(items=(), sub_invoices=(bad_sub,), total_amount=Decimal("1.00"), payment_line=None)
    validated = validate(collective, BILL_TEXT, today=TODAY)
    assert validated.warnings == ()
    assert validated.needs_review


def test_a_payment_line_encoding_another_value_is_flagged() -> None:
    assert _checks(_invoice(total_amount=Decimal("107.49"), items=())) == ["items_missing", "payment_line_total"]
    assert "payment_line_total" in _checks(_invoice(total_amount=Decimal("1107.50")))


def test_a_payment_line_with_a_wrong_block_digit_is_flagged() -> None:
    broken = LINE[:11] + "9" + LINE[12:]
    assert _checks(_invoice(payment_line=broken)) == ["payment_line_digits"]


def test_an_access_key_with_a_wrong_check_digit_is_flagged() -> None:
    broken = KEY[:-1] + "0"
    validated = validate(_invoice(access_key=broken), BILL_TEXT.replace(KEY, broken), today=TODAY)
    assert [warning.check for warning in validated.warnings] == ["access_key"]
    assert "dígito verificador" in validated.warnings[0].message


def test_an_access_key_naming_a_cnpj_absent_from_the_bill_is_flagged() -> None:
    warnings = validate(_invoice(), BILL_TEXT.replace("06.981.180/0001-16", "00.000.000/0001-00"), TODAY).warnings
    assert [warning.check for warning in warnings] == ["access_key"]
    assert "CNPJ 06981180000116" in warnings[0].message


def test_the_cnpj_may_be_printed_without_punctuation() -> None:
    assert _checks(_invoice(), f"CNPJ 06981180000116 {KEY}") == []


def test_an_access_key_with_an_unknown_state_is_flagged() -> None:
    key = "99" + KEY[2:43]
    from faturas.extraction.check_digits import mod11_digit

    key += str(mod11_digit(key))
    warnings = validate(_invoice(access_key=key), BILL_TEXT, today=TODAY).warnings
    assert [warning.check for warning in warnings] == ["access_key"]
    assert "estado 99" in warnings[0].message


def test_an_access_key_from_another_month_than_the_issue_date_is_flagged() -> None:
    warnings = validate(_invoice(issue_date=date(2025, 4, 1)), BILL_TEXT, today=TODAY).warnings
    assert [warning.check for warning in warnings] == ["access_key"]
    assert "mês de emissão" in warnings[0].message


def test_missing_optional_identifiers_are_not_flagged() -> None:
    assert _checks(_invoice(access_key=None, payment_line=None, issue_date=None)) == []


def _reading(previous: int, current: int, constant: int, consumption: int) -> MeterReading:
    return MeterReading(
        "M1", "Energia kWh", Decimal(previous), Decimal(current), Decimal(constant), Decimal(consumption)
    )


@pytest.mark.parametrize(
    ("reading", "flagged"),
    [
        (_reading(378, 438, 40, 2400), False),
        (_reading(378, 438, 40, 2401), True),
        (_reading(95_813, 96_319, 1, 506), False),
        (MeterReading("M1", "Energia kWh", Decimal(10), None, Decimal(1), Decimal(5)), False),
    ],
)
def test_readings_must_multiply_out_to_the_printed_consumption(reading: MeterReading, flagged: bool) -> None:
    assert ("readings" in _checks(_invoice(meter_readings=(reading,)))) is flagged


@pytest.mark.parametrize(
    ("change", "check"),
    [
        (lambda invoice: dataclasses.replace(invoice, reference_month=ReferenceMonth(1999, 12)), "reference_month"),
        (lambda invoice: dataclasses.replace(invoice, reference_month=ReferenceMonth(2025, 9)), "reference_month"),
        (lambda invoice: dataclasses.replace(invoice, due_date=date(2025, 2, 27)), "due_date"),
        (lambda invoice: dataclasses.replace(invoice, due_date=date(2025, 12, 1)), "due_date"),
    ],
)
def test_implausible_dates_are_flagged(change: Callable[[Invoice], Invoice], check: str) -> None:
    invoice = change(_invoice(access_key=None))
    assert check in _checks(invoice)


def test_a_due_date_months_after_the_reference_is_still_plausible() -> None:
    assert _checks(_invoice(due_date=date(2025, 5, 11))) == []


def test_validation_keeps_every_read_value() -> None:
    invoice = _invoice()
    validated = validate(invoice, BILL_TEXT, today=TODAY)
    assert dataclasses.replace(validated, warnings=()) == invoice


def test_a_templates_own_warning_is_kept_and_validating_again_replaces_only_validations() -> None:
    own = ValidationWarning("ocr_unknown_item", "Descrição fora do vocabulário.", ("items",))
    wrong_total = _invoice(total_amount=Decimal("100.00"), payment_line=None, warnings=(own,))
    once = validate(wrong_total, BILL_TEXT, TODAY)
    assert once.warnings[0] == own
    assert "items_sum" in [warning.check for warning in once.warnings]
    again = validate(once, BILL_TEXT, TODAY)
    assert again.warnings == once.warnings


def test_validate_copies_every_field_as_dataclasses_replace_would() -> None:
    # validate builds the result from the invoice's __dict__: it must hold exactly the dataclass fields.
    invoice = _invoice(warnings=(ValidationWarning("template_note", "nota do modelo"),))
    assert set(vars(invoice)) == {field.name for field in dataclasses.fields(Invoice)}
    assert all(field.init for field in dataclasses.fields(Invoice))
    validated = validate(invoice, "", today=date(2025, 5, 1))
    assert validated == dataclasses.replace(invoice, warnings=validated.warnings)
    assert validated.warnings[0] == ValidationWarning("template_note", "nota do modelo")
