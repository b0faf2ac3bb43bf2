"""CELESC's DANF3E: coded items split by ICMS bracket, one printed row each."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from faturas.domain.invoice import ItemKind
from faturas.domain.reference_month import ReferenceMonth
from faturas.errors import FieldsMissing
from faturas.extraction.distributors import DISTRIBUTORS
from faturas.extraction.distributors.celesc import DISTRIBUTOR
from faturas.extraction.distributors.celesc.danf3e import LAYOUT
from faturas.extraction.distributors.detection import choose_layout, detect_distributor
from faturas.extraction.pdf_text import PdfText
from faturas.extraction.validation import validate
from tests.unit.extraction.celesc.invented_bills import DANF3E_ITEMS, DANF3E_KEY, danf3e, danf3e_page1

TODAY = date(2024, 6, 1)


def test_the_bill_is_detected_as_celesc_in_this_layout() -> None:
    document = danf3e()
    assert detect_distributor(document, DISTRIBUTORS) is DISTRIBUTOR
    assert choose_layout(DISTRIBUTOR, document) is LAYOUT


def test_header_fields() -> None:
    invoice = LAYOUT.extract(danf3e())
    assert (invoice.client_number, invoice.installation_number) == ("11223344", "77665544")
    assert invoice.reference_month == ReferenceMonth(2024, 4)
    assert invoice.due_date == date(2024, 5, 10)
    assert invoice.total_amount == Decimal("975.00")


def test_items_keep_their_code_and_three_decimal_quantities_and_skip_subtotals() -> None:
    items = LAYOUT.extract(danf3e()).items
    assert [item.description for item in items] == [
        "(0D) Consumo TE",
        "(0D) Consumo TE",
        "(0E) Consumo TUSD",
        "(0E) Consumo TUSD",
        "(2A) Band. Amarela",
        "(C0) COSIP Municipal",
    ]
    second = items[1]
    assert (second.unit, second.quantity, second.unit_price, second.amount) == (
        "kWh",
        Decimal("1100.000"),
        Decimal("0.420000"),
        Decimal("462.00"),
    )
    lighting = items[-1]
    assert (lighting.unit, lighting.quantity, lighting.unit_price) == (None, Decimal("0.000"), Decimal("0.000000"))
    assert lighting.kind is ItemKind.PUBLIC_LIGHTING


def test_energy_is_one_component_and_flags_are_not_consumption() -> None:
    invoice = LAYOUT.extract(danf3e())
    assert invoice.energy_kwh == Decimal("1250.000")
    assert invoice.items[4].kind is ItemKind.ENERGY
    assert invoice.compensated_kwh is None
    assert invoice.public_lighting_amount == Decimal("31.00")


def test_an_unseen_item_with_negative_values_is_read_and_injected_energy_is_compensated() -> None:
    injected = (
        "(0R) Energia Injetada TUSD KWH -200,000 0,300000 -60,00 -1,50 0,00 0,00 0,00 0,250000\n"
        "(9X) Ajuste Inventado 1,000 -5,000000 -5,00 0,00 0,00 0,00 0,00 0,000000\n"
    )
    items = DANF3E_ITEMS.replace("SUBTOTAL 944,00", injected + "SUBTOTAL 879,00")
    invoice = LAYOUT.extract(danf3e(items=items, total="910,00"))
    assert [item.description for item in invoice.items][5:7] == ["(0R) Energia Injetada TUSD", "(9X) Ajuste Inventado"]
    assert invoice.compensated_kwh == Decimal("200.000")
    assert invoice.items[5].amount == Decimal("-60.00")
    assert invoice.items[6].kind is ItemKind.OTHER


def test_extras() -> None:
    invoice = LAYOUT.extract(danf3e())
    assert invoice.holder_name == "JOSÉ INVENTADO DA SILVA"
    assert invoice.access_key == DANF3E_KEY
    assert (invoice.nota_fiscal_number, invoice.nota_fiscal_series, invoice.issue_date) == (
        "000123456",
        "001",
        date(2024, 4, 12),
    )
    assert (invoice.customer_class, invoice.subclass, invoice.supply_type) == (
        "RESIDENCIAL",
        "RESIDENCIAL",
        "Trifásico",
    )
    assert invoice.reading_dates is not None
    assert invoice.reading_dates.previous == date(2024, 3, 14)
    assert (invoice.reading_dates.days, invoice.reading_dates.next) == (29, date(2024, 5, 13))
    (reading,) = invoice.meter_readings
    assert (reading.meter, reading.previous, reading.current, reading.consumption) == (
        "7654321",
        Decimal("10000"),
        Decimal("11250"),
        Decimal("1250"),
    )
    assert [(flag.month, flag.flag) for flag in invoice.tariff_flags] == [(ReferenceMonth(2024, 4), "Amarela")]
    assert [(tax.name, tax.rate) for tax in invoice.taxes] == [
        ("PIS", Decimal("0.60")),
        ("COFINS", Decimal("3.00")),
        ("ICMS", Decimal("12.00")),
        ("ICMS", Decimal("17.00")),
    ]
    assert [(record.month, record.kwh, record.days) for record in invoice.consumption_history] == [
        (ReferenceMonth(2024, 3), Decimal("1010"), 30),
        (ReferenceMonth(2024, 2), Decimal("980"), 31),
        (ReferenceMonth(2024, 1), Decimal("0"), 33),
    ]
    assert invoice.automatic_debit_code == "77665544"
    assert invoice.barcode is not None and invoice.barcode[9:19] == "0000097500"


def test_a_paid_bill_keeps_its_total_and_has_no_slip() -> None:
    invoice = LAYOUT.extract(danf3e(paid=True))
    assert invoice.total_amount == Decimal("975.00")
    assert (invoice.barcode, invoice.automatic_debit_code) == (None, None)


def test_a_correct_read_passes_validation() -> None:
    document = danf3e()
    assert validate(LAYOUT.extract(document), document.text, TODAY).warnings == ()


def test_a_bill_without_the_client_line_names_the_missing_fields() -> None:
    text = danf3e_page1().replace("Cliente:", "Titular:")
    with pytest.raises(FieldsMissing) as error:
        LAYOUT.extract(PdfText((text,)))
    assert "client_number" in error.value.fields


def test_rows_ending_in_a_space_read_the_same() -> None:
    spaced = PdfText(tuple(page.replace("\n", " \n") for page in danf3e().pages))
    assert LAYOUT.extract(spaced) == LAYOUT.extract(danf3e())


def test_without_the_headline_row_the_bank_slip_gives_the_unit_month_and_due_date() -> None:
    text = danf3e_page1().replace("77665544\nCliente:", "Cliente:").replace("04/2024 10/05/2024 R$ 975,00", "")
    invoice = LAYOUT.extract(PdfText((text,)))
    assert (invoice.installation_number, invoice.client_number) == ("77665544", "11223344")
    assert (invoice.reference_month, invoice.due_date) == (ReferenceMonth(2024, 4), date(2024, 5, 10))
