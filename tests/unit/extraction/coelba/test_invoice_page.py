"""One COELBA invoice page, the unit both the single and the collective bill are made of."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from faturas.domain.invoice import ItemKind
from faturas.domain.reference_month import ReferenceMonth
from faturas.errors import FieldsMissing
from faturas.extraction.distributors.coelba.invoice_page import group_invoice_pages, read_invoice
from faturas.extraction.distributors.coelba.invoice_tables import parse_taxes
from tests.unit.extraction.coelba.invented_bills import invoice_page


def test_identifiers_and_header_fields() -> None:
    invoice = read_invoice(invoice_page())
    assert (invoice.client_number, invoice.installation_number) == ("1000000009", "7000001")
    assert invoice.nota_fiscal_number == "600000001"
    assert invoice.reference_month == ReferenceMonth(2024, 5)
    assert invoice.due_date == date(2024, 6, 20)
    assert invoice.total_amount == Decimal("867.50")
    assert invoice.issue_date == date(2024, 5, 28)


def test_items_with_and_without_quantities() -> None:
    items = read_invoice(invoice_page()).items
    assert [(item.description, item.unit, item.quantity, item.unit_price, item.amount) for item in items] == [
        ("Consumo Ativo(kWh)-TUSD", "kWh", Decimal("1250.0000000"), Decimal("0.40000000"), Decimal("500.00")),
        ("Consumo Ativo(kWh)-TE", "kWh", Decimal("1250.0000000"), Decimal("0.24000000"), Decimal("300.00")),
        ("Consumo Reativo Excedente(kVARh)", "kVArh", Decimal("10.0000000"), Decimal("0.25000000"), Decimal("2.50")),
        ("Acréscimo Bandeira VERMELHA P1", None, None, None, Decimal("40.00")),
        ("Contrib. Ilum. Pública Municipal", None, None, None, Decimal("25.00")),
    ]
    assert [item.kind for item in items] == [
        ItemKind.ENERGY,
        ItemKind.ENERGY,
        ItemKind.OTHER,
        ItemKind.ENERGY,
        ItemKind.PUBLIC_LIGHTING,
    ]


def test_energy_counts_the_tusd_and_te_lines_once() -> None:
    invoice = read_invoice(invoice_page())
    assert invoice.energy_kwh == Decimal("1250.0000000")
    assert invoice.public_lighting_amount == Decimal("25.00")
    assert invoice.compensated_kwh is None


def test_a_negative_credit_is_an_item() -> None:
    items = "Consumo Ativo(kWh)-TUSD 100,0000000 0,40000000 40,00 \nDevolução Inventada -5,00 "
    invoice = read_invoice(invoice_page(items=items, total="35,00"))
    assert [item.amount for item in invoice.items] == [Decimal("40.00"), Decimal("-5.00")]


def test_extras() -> None:
    invoice = read_invoice(invoice_page())
    assert invoice.holder_name == "PREFEITURA INVENTADA"
    assert (invoice.customer_class, invoice.subclass) == ("PODER PUBLICO", "MUNICIPAL")
    assert (invoice.tariff_modality, invoice.supply_type) == ("Conv. Monômia", "Bifásico")
    assert invoice.reading_dates is not None
    assert (invoice.reading_dates.previous, invoice.reading_dates.current) == (date(2024, 4, 27), date(2024, 5, 27))
    assert (invoice.reading_dates.days, invoice.reading_dates.next) == (30, date(2024, 6, 26))
    assert [(reading.quantity, reading.consumption) for reading in invoice.meter_readings] == [
        ("CAT", Decimal("1250.00")),
        ("CRT", Decimal("300.00")),
    ]
    assert [(record.month, record.kwh) for record in invoice.consumption_history] == [
        (ReferenceMonth(2024, 5), Decimal("1250")),
        (ReferenceMonth(2024, 4), Decimal("1100")),
        (ReferenceMonth(2023, 12), Decimal("900")),
    ]
    assert [flag.flag for flag in invoice.tariff_flags] == ["Vermelha P1"]


def test_taxes_leave_a_blank_icms_base_empty() -> None:
    taxes = read_invoice(invoice_page()).taxes
    assert [(tax.name, tax.base, tax.rate, tax.amount) for tax in taxes] == [
        ("ICMS", None, Decimal("27.00"), Decimal("0.00")),
        ("PIS", Decimal("867.50"), Decimal("0.92"), Decimal("7.98")),
        ("COFINS", Decimal("867.50"), Decimal("4.27"), Decimal("37.04")),
    ]
    full = read_invoice(invoice_page(taxes=" 867,50 20,50 177,84 867,50 0,92 7,98 867,50 4,27 37,04 ")).taxes
    assert full[0].base == Decimal("867.50")


def test_without_a_billed_flag_the_flag_in_force_is_kept() -> None:
    items = "Consumo Ativo(kWh)-TUSD 100,0000000 0,40000000 40,00 "
    invoice = read_invoice(invoice_page(items=items, total="40,00"))
    assert [flag.flag for flag in invoice.tariff_flags] == ["Verde"]


def test_a_continuation_page_joins_its_invoice() -> None:
    pages = [invoice_page(page_of="1/2"), "Outra página\n2/2", invoice_page(installation="7000002")]
    groups = group_invoice_pages(pages)
    assert [number for number, _ in groups] == [1, 3]
    assert "Outra página" in groups[0][1]


def test_a_page_without_the_installation_names_the_missing_field() -> None:
    with pytest.raises(FieldsMissing) as error:
        read_invoice(invoice_page().replace("Nº DA INSTALAÇÃO", "INSTALAÇÃO"))
    assert "installation_number" in error.value.fields


def test_a_long_line_of_digits_under_the_tax_header_is_not_taxes_and_is_read_at_once() -> None:
    # Numbers that could touch let a 30-digit line be cut in ~2^30 ways before failing (minutes of CPU).
    assert parse_taxes("INFORMAÇÕES DE TRIBUTOS\n" + "1" * 30 + "x\n") == ()
    assert parse_taxes("INFORMAÇÕES DE TRIBUTOS\n" + "12 " * 40 + "x\n") == ()


def test_tax_figures_touching_each_other_are_not_read_as_taxes() -> None:
    assert parse_taxes("INFORMAÇÕES DE TRIBUTOS\n100,00 18,0018,00 100,00 1,00 1,00 100,00 4,00 4,00\n") == ()
