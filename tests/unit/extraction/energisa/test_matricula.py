"""Energisa's two-page MATRÍCULA form, with GD II injected-energy lines."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from faturas.domain.invoice import ItemKind
from faturas.domain.reference_month import ReferenceMonth
from faturas.extraction.distributors import DISTRIBUTORS
from faturas.extraction.distributors.detection import choose_layout, detect_distributor
from faturas.extraction.distributors.energisa import DISTRIBUTOR
from faturas.extraction.distributors.energisa.common import matricula_print_order, swapped_first_rows
from faturas.extraction.distributors.energisa.matricula import LAYOUT
from tests.unit.extraction.energisa.invented_bills import matricula


def test_the_bill_is_detected_as_energisa_in_this_layout() -> None:
    document = matricula()
    assert detect_distributor(document, DISTRIBUTORS) is DISTRIBUTOR
    assert choose_layout(DISTRIBUTOR, document) is LAYOUT


def test_header_fields_with_a_month_name() -> None:
    invoice = LAYOUT.extract(matricula())
    assert (invoice.client_number, invoice.installation_number) == ("7/7654321-0", "Y9876543210")
    assert invoice.reference_month == ReferenceMonth(2025, 1)
    assert invoice.due_date == date(2025, 1, 15)
    assert invoice.total_amount == Decimal("1095.00")


def test_items_are_put_back_in_print_order_with_their_quantities() -> None:
    items = LAYOUT.extract(matricula()).items
    assert [(item.description, item.quantity, item.amount) for item in items] == [
        ("Consumo em kWh", Decimal(1340), Decimal("1340.00")),
        ("Energia Atv Injetada GDII mUC 11/2024 mPT", Decimal(100), Decimal("-100.00")),
        ("Energia Atv Injetada GDII mUC 12/2024 mPT", Decimal(200), Decimal("-200.00")),
        ("Ajuste GDII - TRF Reduzida(Lei 14.300/22) - Conv.", Decimal(300), Decimal("30.00")),
        ("Contrib de Ilum Pub", None, Decimal("25.00")),
    ]
    assert [item.unit for item in items] == ["kWh", "kWh", "kWh", "kWh", None]
    assert items[3].unit_price == Decimal("0.1")
    assert sum(item.amount for item in items) == LAYOUT.extract(matricula()).total_amount


def test_injected_energy_is_summed_as_compensated() -> None:
    invoice = LAYOUT.extract(matricula())
    assert [item.kind for item in invoice.items][:3] == [ItemKind.ENERGY, ItemKind.COMPENSATED, ItemKind.COMPENSATED]
    assert invoice.energy_kwh == Decimal(1340)
    assert invoice.compensated_kwh == Decimal(300)
    assert invoice.public_lighting_amount == Decimal("25.00")


def test_extras() -> None:
    invoice = LAYOUT.extract(matricula())
    assert invoice.holder_name == "CICLANA DE SOUZA"
    assert (invoice.nota_fiscal_number, invoice.nota_fiscal_series) == ("001.234.567", "002")
    assert invoice.issue_date == date(2025, 1, 3)
    assert invoice.access_key == "51250103467321000199660020012345671000000016"
    assert invoice.automatic_debit_code == "0007654321-0"
    assert invoice.supply_type == "Monofásico"
    assert invoice.tariff_modality == "CONVENCIONAL BAIXA TENSÃO / B1"
    assert invoice.gd_balance_kwh == Decimal(120)
    assert invoice.reading_dates is not None
    assert invoice.reading_dates.previous == date(2024, 12, 1)
    (reading,) = invoice.meter_readings
    assert (reading.previous, reading.current, reading.consumption) == (Decimal(5000), Decimal(6340), Decimal(1340))
    assert [tax.amount for tax in invoice.taxes] == [Decimal(10), Decimal(40), Decimal(170)]
    assert all(tax.base == Decimal(1000) for tax in invoice.taxes)


def test_the_consumption_chart_is_put_back_in_time_order() -> None:
    history = LAYOUT.extract(matricula()).consumption_history
    assert [record.month for record in history] == [ReferenceMonth(2024, 1).shift(back) for back in range(13)]
    assert [record.kwh for record in history] == [Decimal(600 + 10 * index) for index in range(13)]
    assert (history[-1].days, history[-2].days, history[0].days) == (32, 30, None)


def test_print_order_of_each_writer() -> None:
    assert swapped_first_rows(["b", "a", "c", "d"]) == ["a", "b", "c", "d"]
    assert matricula_print_order(["b", "e", "d", "c", "a"]) == ["a", "b", "c", "d", "e"]
    assert matricula_print_order(["only"]) == ["only"]
