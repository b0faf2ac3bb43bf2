"""The 2023 CELESC bill ("SÉRIE ÚNICA"), whose item table PDFium prints one column at a time."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from faturas.domain.invoice import ItemKind
from faturas.domain.reference_month import ReferenceMonth
from faturas.errors import FieldsMissing
from faturas.extraction.distributors import DISTRIBUTORS
from faturas.extraction.distributors.celesc import DISTRIBUTOR
from faturas.extraction.distributors.celesc.serie_unica import LAYOUT
from faturas.extraction.distributors.detection import choose_layout, detect_distributor
from faturas.extraction.pdf_text import PdfText
from faturas.extraction.validation import validate
from tests.unit.extraction.celesc.invented_bills import SERIE_UNICA_ITEMS, serie_unica

TODAY = date(2024, 6, 1)


def test_the_bill_is_detected_as_celesc_in_this_layout() -> None:
    document = serie_unica()
    assert detect_distributor(document, DISTRIBUTORS) is DISTRIBUTOR
    assert choose_layout(DISTRIBUTOR, document) is LAYOUT


def test_header_fields_and_no_client_number() -> None:
    invoice = LAYOUT.extract(serie_unica())
    assert invoice.distributor == "CELESC"
    assert invoice.installation_number == "99887766"
    assert invoice.client_number is None
    assert invoice.reference_month == ReferenceMonth(2024, 4)
    assert invoice.due_date == date(2024, 5, 2)
    assert invoice.total_amount == Decimal("1614.50")


def test_quantities_and_tariffs_belong_to_the_energy_lines_and_subtotals_are_not_items() -> None:
    items = LAYOUT.extract(serie_unica()).items
    assert [item.description for item in items] == SERIE_UNICA_ITEMS.splitlines()[:11]
    assert (items[1].quantity, items[1].unit_price, items[1].amount) == (
        Decimal("1050"),
        Decimal("0.420000"),
        Decimal("441.00"),
    )
    assert (items[5].quantity, items[5].amount, items[5].unit) == (Decimal("-300"), Decimal("-105.00"), "kWh")
    interest, _fine, lighting = items[8:]
    assert (interest.quantity, interest.unit_price, interest.unit, interest.amount) == (
        None,
        None,
        None,
        Decimal("2.00"),
    )
    assert lighting.amount == Decimal("1020.00")


def test_kinds_and_kwh_figures() -> None:
    invoice = LAYOUT.extract(serie_unica())
    assert [item.kind for item in invoice.items[:5]] == [ItemKind.ENERGY] * 4 + [ItemKind.COMPENSATED]
    assert invoice.items[10].kind is ItemKind.PUBLIC_LIGHTING
    assert invoice.energy_kwh == Decimal("1200")  # the billed consumption, not TE + TUSD
    assert invoice.compensated_kwh == Decimal("450")  # the injected TUSD lines, as a positive figure
    assert invoice.public_lighting_amount == Decimal("1020.00")
    assert invoice.gd_savings == Decimal("292.50")


def test_a_bill_without_the_services_block_has_one_subtotal() -> None:
    items = "Consumo Tusd\nConsumo Te\n100\n100\n0,500000\n0,400000\n50,00\n40,00\n90,00"
    invoice = LAYOUT.extract(serie_unica(items=items, total="90,00", subtotal_headers=1))
    assert [(item.description, item.quantity, item.amount) for item in invoice.items] == [
        ("Consumo Tusd", Decimal("100"), Decimal("50.00")),
        ("Consumo Te", Decimal("100"), Decimal("40.00")),
    ]
    assert invoice.compensated_kwh is None


def test_a_table_whose_columns_do_not_add_up_is_refused() -> None:
    items = "Consumo Tusd\nConsumo Te\n100\n0,500000\n0,400000\n50,00\n40,00\n90,00"
    with pytest.raises(FieldsMissing):
        LAYOUT.extract(serie_unica(items=items, total="90,00", subtotal_headers=1))


def test_extras() -> None:
    invoice = LAYOUT.extract(serie_unica())
    assert invoice.holder_name == "MARIA DAS DORES EXEMPLO"
    assert (invoice.nota_fiscal_number, invoice.nota_fiscal_series) == ("000111222333", "ÚNICA")
    assert invoice.issue_date == date(2024, 4, 10)
    assert (invoice.customer_class, invoice.tariff_modality, invoice.supply_type) == (
        "RESIDENCIAL",
        "Convencional",
        "Bifásico",
    )
    assert invoice.reading_dates is not None
    assert (invoice.reading_dates.previous, invoice.reading_dates.current) == (date(2024, 3, 12), date(2024, 4, 11))
    assert (invoice.reading_dates.days, invoice.reading_dates.next) == (30, date(2024, 5, 10))
    consumption, injected = invoice.meter_readings
    assert (consumption.previous, consumption.current, consumption.consumption) == (
        Decimal("20000"),
        Decimal("21200"),
        Decimal("1200"),
    )
    assert (injected.previous, injected.current) == (Decimal("5000"), Decimal("5450"))
    assert invoice.gd_balance_kwh == Decimal("1250")
    assert [(tax.name, tax.base, tax.rate, tax.amount) for tax in invoice.taxes] == [
        ("ICMS", Decimal("1000.00"), Decimal("17.00000"), Decimal("170.00")),
        ("COFINS", Decimal("900.00"), Decimal("3.00000"), Decimal("27.00")),
        ("PIS", Decimal("900.00"), Decimal("0.60000"), Decimal("5.40")),
    ]
    assert [(record.month, record.kwh) for record in invoice.consumption_history] == [
        (ReferenceMonth(2024, 3), Decimal("1000")),
        (ReferenceMonth(2024, 2), Decimal("1100")),
    ]
    assert invoice.barcode is not None and invoice.barcode[:4] == "2379"
    assert invoice.barcode[9:19] == "0000161450"  # the value, in the bank barcode's place


def test_a_correct_read_passes_validation() -> None:
    document = serie_unica()
    assert validate(LAYOUT.extract(document), document.text, TODAY).warnings == ()


def test_a_bill_without_its_total_names_the_missing_field() -> None:
    text = serie_unica().pages[0].replace("VALOR ATÉ O VENCIMENTO", "VALOR")
    with pytest.raises(FieldsMissing) as error:
        LAYOUT.extract(PdfText((text,)))
    assert "total_amount" in error.value.fields


def test_rows_ending_in_a_space_read_the_same() -> None:
    spaced = PdfText(tuple(page.replace("\n", " \n") for page in serie_unica().pages))
    assert LAYOUT.extract(spaced) == LAYOUT.extract(serie_unica())
