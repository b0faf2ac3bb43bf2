"""Energisa's portrait DANF3E: fields found by their shape, items read column by column."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from faturas.domain.invoice import ItemKind, Tax
from faturas.domain.reference_month import ReferenceMonth
from faturas.errors import FieldsMissing
from faturas.extraction.distributors import DISTRIBUTORS
from faturas.extraction.distributors.detection import choose_layout, detect_distributor
from faturas.extraction.distributors.energisa import DISTRIBUTOR
from faturas.extraction.distributors.energisa.danf3e import LAYOUT
from tests.unit.extraction.energisa.invented_bills import DANF3E_PAGE, danf3e


def test_the_bill_is_detected_as_energisa_in_this_layout() -> None:
    document = danf3e()
    assert detect_distributor(document, DISTRIBUTORS) is DISTRIBUTOR
    assert choose_layout(DISTRIBUTOR, document) is LAYOUT


def test_headline_row_and_codes_are_found_without_their_labels() -> None:
    invoice = LAYOUT.extract(danf3e())
    assert invoice.distributor == "ENERGISA"
    assert (invoice.client_number, invoice.installation_number) == ("3/1234567-8", "X1234567890")
    assert invoice.reference_month == ReferenceMonth(2025, 3)
    assert invoice.due_date == date(2025, 4, 22)
    assert invoice.total_amount == Decimal("1208.40")


def test_items_come_in_print_order_with_the_amounts_column_that_adds_up_to_the_total() -> None:
    items = LAYOUT.extract(danf3e()).items
    assert [(item.description, item.amount) for item in items] == [
        ("Consumo em kWh", Decimal("1100.00")),
        ("Adic. B. Amarela", Decimal("60.00")),
        ("CONT.IL.PUB-CIP MUNICIPAL", Decimal("80.00")),
        ("DEVOLUÇÃO DE CRÉDITO 02/2025", Decimal("-31.60")),
    ]
    assert (items[0].unit, items[0].quantity, items[0].unit_price) == ("kWh", Decimal(1000), Decimal("1.1"))
    assert [item.kind for item in items] == [ItemKind.ENERGY, ItemKind.OTHER, ItemKind.PUBLIC_LIGHTING, ItemKind.OTHER]
    assert all(item.quantity is None for item in items[1:])


def test_derived_figures() -> None:
    invoice = LAYOUT.extract(danf3e())
    assert invoice.energy_kwh == Decimal(1000)
    assert invoice.public_lighting_amount == Decimal("80.00")
    assert (invoice.scee_kwh, invoice.compensated_kwh) == (None, None)


def test_extras() -> None:
    invoice = LAYOUT.extract(danf3e())
    assert invoice.holder_name == "FULANO DE TAL"
    assert (invoice.nota_fiscal_number, invoice.nota_fiscal_series) == ("012.345.678", "001")
    assert invoice.issue_date == date(2025, 3, 12)
    assert invoice.access_key == "50250315413826000150660010123456781000000019"
    assert invoice.automatic_debit_code == "00012345678"
    assert (invoice.customer_class, invoice.subclass) == ("RESIDENCIAL", "RESIDENCIAL")
    assert invoice.supply_type == "Trifásico"
    assert invoice.reading_dates is not None
    assert (invoice.reading_dates.previous, invoice.reading_dates.days) == (date(2025, 2, 10), 30)
    assert invoice.reading_dates.next == date(2025, 4, 11)


def test_a_bank_slip_line_becomes_its_barcode() -> None:
    invoice = LAYOUT.extract(danf3e())
    assert invoice.payment_line is None
    assert invoice.barcode == "12341999900001208405678912345678901234567890"


def test_a_meter_row_printed_constant_first_is_put_back_in_order() -> None:
    (reading,) = LAYOUT.extract(danf3e()).meter_readings
    assert (reading.previous, reading.current, reading.constant) == (Decimal(40000), Decimal(41000), Decimal(1))
    assert reading.consumption == Decimal(1000)


def test_a_zero_total_is_read_as_zero() -> None:
    page = DANF3E_PAGE.replace("R$ 1.208,40", "R$ 0,00").replace("-31,60", "-1.240,00")
    items = LAYOUT.extract(danf3e(page)).items
    assert sum(item.amount for item in items) == 0
    assert items[-1].amount == Decimal("-1240.00")


def test_a_bill_without_its_headline_row_is_refused_naming_the_fields() -> None:
    page = DANF3E_PAGE.replace("MAR/2025 22/04/2025 R$ 1.208,40\n", "")
    with pytest.raises(FieldsMissing) as caught:
        LAYOUT.extract(danf3e(page))
    assert set(caught.value.fields) == {"reference_month", "due_date", "total_amount"}


def test_taxes_read_rates_then_amounts_then_bases() -> None:
    assert LAYOUT.extract(danf3e()).taxes == (
        Tax("PIS", Decimal("1100.00"), Decimal("1.0000"), Decimal("11.00")),
        Tax("COFINS", Decimal("1100.00"), Decimal("4.0000"), Decimal("44.00")),
        Tax("ICMS", Decimal("1100.00"), Decimal("17.00"), Decimal("187.00")),
    )


def test_history_rows_after_the_current_month_go_back_one_month_each() -> None:
    history = LAYOUT.extract(danf3e()).consumption_history
    assert [(record.month, record.kwh, record.days) for record in history] == [
        (ReferenceMonth(2025, 1), Decimal(1250), 31),
        (ReferenceMonth(2025, 2), Decimal(900), 28),
        (ReferenceMonth(2025, 3), Decimal(1000), 30),
    ]
