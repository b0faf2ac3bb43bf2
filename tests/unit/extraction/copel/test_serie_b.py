"""COPEL's 2022 "SÉRIE B" bill, whose item table PDFium prints one column at a time."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from faturas.domain.invoice import ItemKind
from faturas.domain.reference_month import ReferenceMonth
from faturas.errors import FieldsMissing
from faturas.extraction.distributors import DISTRIBUTORS
from faturas.extraction.distributors.copel import DISTRIBUTOR
from faturas.extraction.distributors.copel.serie_b import LAYOUT
from faturas.extraction.distributors.detection import choose_layout, detect_distributor
from faturas.extraction.pdf_text import PdfText
from faturas.extraction.validation import validate
from tests.unit.extraction.copel.invented_bills import ITEM_TABLE, MINIMUM_CHARGE_TABLE, serie_b

TODAY = date(2024, 6, 1)


def test_a_bill_without_the_name_or_cnpj_of_copel_is_detected_by_its_layout() -> None:
    document = serie_b()
    assert "COPEL" not in document.text.upper()
    assert detect_distributor(document, DISTRIBUTORS) is DISTRIBUTOR
    assert choose_layout(DISTRIBUTOR, document) is LAYOUT


def test_another_distributors_bill_quoting_a_similar_title_is_not_copel() -> None:
    document = PdfText(("NOTA FISCAL/CONTA DE ENERGIA ELÉTRICA - SÉRIE ÚNICA\nConsumo kWh 100\nVencimento",))
    assert DISTRIBUTOR.score(document.text) == 0


def test_header_fields_come_from_the_payment_stub_and_the_unit_is_the_only_number() -> None:
    invoice = LAYOUT.extract(serie_b())
    assert invoice.distributor == "COPEL"
    assert invoice.installation_number == "55667788"
    assert invoice.client_number is None
    assert invoice.reference_month == ReferenceMonth(2024, 1)
    assert invoice.due_date == date(2024, 2, 10)
    assert invoice.total_amount == Decimal("1223.00")


def test_items_keep_print_order_taxed_rows_first_then_the_rows_without_icms() -> None:
    items = LAYOUT.extract(serie_b()).items
    descriptions = [line for line in ITEM_TABLE.splitlines() if line[0].isalpha() and line != "kWh"]
    assert [item.description for item in items] == descriptions
    assert [item.amount for item in items] == [
        Decimal(value) for value in ("75.00", "60.00", "360.00", "300.00", "12.50", "25.30", "-660.00", "1050.20")
    ]


def test_quantities_and_tariffs_go_to_the_rows_they_bill() -> None:
    items = LAYOUT.extract(serie_b()).items
    assert (items[2].unit, items[2].quantity, items[2].unit_price) == ("kWh", Decimal("1200"), Decimal("0.300000"))
    flag, lighting, credit, adjustment = items[4:]
    assert (flag.unit, flag.quantity, flag.unit_price) == ("kWh", None, None)
    assert (lighting.unit, lighting.quantity) == (None, None)
    assert (credit.unit, credit.quantity, credit.unit_price) == ("kWh", Decimal("1200"), None)
    assert (adjustment.unit, adjustment.quantity, adjustment.amount) == (None, None, Decimal("1050.20"))


def test_kinds_and_kwh_figures_count_te_and_tusd_once() -> None:
    invoice = LAYOUT.extract(serie_b())
    assert [item.kind for item in invoice.items] == [
        ItemKind.ENERGY,
        ItemKind.ENERGY,
        ItemKind.SCEE,
        ItemKind.SCEE,
        ItemKind.ENERGY,
        ItemKind.PUBLIC_LIGHTING,
        ItemKind.COMPENSATED,
        ItemKind.OTHER,
    ]
    assert (invoice.energy_kwh, invoice.scee_kwh, invoice.compensated_kwh) == (
        Decimal("150"),
        Decimal("1200"),
        Decimal("1200"),
    )
    assert invoice.public_lighting_amount == Decimal("25.30")
    assert invoice.gd_savings == Decimal("660.00")


def test_a_row_printed_whole_and_a_minimum_charge_without_consumption() -> None:
    invoice = LAYOUT.extract(serie_b(items=MINIMUM_CHARGE_TABLE, total=Decimal("69.00")))
    first = invoice.items[0]
    assert (first.description, first.quantity, first.unit_price, first.amount) == (
        "CUSTO DISP SISTEMA",
        Decimal("100"),
        Decimal("0.520000"),
        Decimal("52.00"),
    )
    assert [item.description for item in invoice.items][-1] == "SUBSIDIO TARIFARIO LIQUIDO"
    assert invoice.energy_kwh is None and invoice.scee_kwh is None and invoice.compensated_kwh is None
    assert invoice.public_lighting_amount is None


def test_a_zero_total_is_a_total() -> None:
    table = MINIMUM_CHARGE_TABLE.replace("-7,00", "-76,00")
    invoice = LAYOUT.extract(serie_b(items=table, total=Decimal("0.00")))
    assert invoice.total_amount == Decimal("0.00")
    assert validate(invoice, "", TODAY).warnings == ()


def test_a_consistent_bill_gets_no_warnings() -> None:
    document = serie_b()
    assert validate(LAYOUT.extract(document), document.text, TODAY).warnings == ()


def test_extras_printed_on_the_bill() -> None:
    invoice = LAYOUT.extract(serie_b(watermark=False))
    assert invoice.holder_name == "MARIA EXEMPLO DA SILVA"
    assert (invoice.nota_fiscal_number, invoice.nota_fiscal_series) == ("123456789", "B")
    assert invoice.issue_date == date(2024, 1, 30)
    assert invoice.access_key is None
    assert invoice.payment_line is not None and invoice.payment_line.startswith("836")
    assert invoice.barcode is not None and len(invoice.barcode) == 44
    assert (invoice.customer_class, invoice.subclass, invoice.supply_type) == (
        "Residencial",
        "Residencial Urbano",
        "Bifásico",
    )
    assert invoice.gd_balance_kwh == Decimal("2345")


def test_reading_dates_cross_the_year_and_the_meter_reading_is_checked() -> None:
    invoice = LAYOUT.extract(serie_b())
    dates = invoice.reading_dates
    assert dates is not None
    assert (dates.previous, dates.current, dates.days, dates.next) == (
        date(2023, 12, 28),
        date(2024, 1, 29),
        32,
        date(2024, 2, 28),
    )
    (reading,) = invoice.meter_readings
    assert (reading.meter, reading.previous, reading.current, reading.constant, reading.consumption) == (
        "0099887766",
        Decimal("5000"),
        Decimal("6350"),
        Decimal("1"),
        Decimal("1350"),
    )


def test_history_taxes_and_flags() -> None:
    invoice = LAYOUT.extract(serie_b())
    history = invoice.consumption_history
    assert len(history) == 12
    assert (history[0].month, history[0].kwh) == (ReferenceMonth(2023, 12), Decimal("1000"))
    assert (history[-1].month, history[-1].kwh) == (ReferenceMonth(2023, 1), Decimal("1011"))
    icms, pis, cofins = invoice.taxes
    assert (icms.name, icms.base, icms.rate, icms.amount) == (
        "ICMS",
        Decimal("147.50"),
        Decimal("19.00"),
        Decimal("28.03"),
    )
    assert (pis.rate, pis.amount, cofins.rate, cofins.amount) == (
        Decimal("0.90"),
        Decimal("1.10"),
        Decimal("4.10"),
        Decimal("5.05"),
    )
    assert [flag.flag for flag in invoice.tariff_flags] == ["Verde", "Amarela"]


def test_no_balance_statement_means_no_balance() -> None:
    invoice = LAYOUT.extract(serie_b(balance="Obs.:"))
    assert invoice.gd_balance_kwh is None


def test_a_table_whose_columns_do_not_add_up_is_refused_not_guessed() -> None:
    broken = ITEM_TABLE.replace("19,00%\nCONT", "CONT")
    with pytest.raises(FieldsMissing):
        LAYOUT.extract(serie_b(items=broken))


def test_a_bill_without_its_payment_stub_or_header_is_refused() -> None:
    with pytest.raises(FieldsMissing):
        LAYOUT.extract(PdfText(("NOTA FISCAL/CONTA DE ENERGIA ELÉTRICA N° 1.234 - SÉRIE B\nEmitida em 01/01/2024",)))
