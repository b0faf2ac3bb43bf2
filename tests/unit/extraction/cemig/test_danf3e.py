"""CEMIG's DANF3E and its Jan/Feb 2023 "SÉRIE U" form, on invented bills in PDFium's text shape."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from faturas.domain.invoice import ItemKind, MeterReading, ReadingDates, TariffFlag, Tax
from faturas.domain.reference_month import ReferenceMonth
from faturas.errors import FieldsMissing
from faturas.extraction.common_fields import barcode_from_payment_line
from faturas.extraction.distributors import DISTRIBUTORS
from faturas.extraction.distributors.cemig import DISTRIBUTOR
from faturas.extraction.distributors.cemig.danf3e import LAYOUT
from faturas.extraction.distributors.detection import choose_layout, detect_distributor
from faturas.extraction.pdf_text import PdfText
from faturas.extraction.validation import validate
from tests.unit.extraction.cemig.invented_bills import DANF3E_KEY, DANF3E_PAYMENT_LINE, danf3e

TODAY = date(2025, 1, 5)

OLD_NAMES = """Energia Elétrica kWh 100 0,75000000 75,00 0,65000000
Energia injetada HFP kWh 900 0,65000000 -585,00 0,65000000
En comp. s/ ICMS kWh 900 0,68000000 612,00 0,65000000
Contrib Ilum Publica Municipal 2.221,67
TOTAL 2.323,67"""


def test_the_bill_is_detected_as_cemig_in_this_layout() -> None:
    document = danf3e()
    assert detect_distributor(document, DISTRIBUTORS) is DISTRIBUTOR
    assert choose_layout(DISTRIBUTOR, document) is LAYOUT


def test_header_fields() -> None:
    invoice = LAYOUT.extract(danf3e())
    assert (invoice.distributor, invoice.layout) == ("CEMIG", "cemig.danf3e")
    assert (invoice.client_number, invoice.installation_number) == ("7999888777", "3999888777")
    assert invoice.reference_month == ReferenceMonth(2024, 12)
    assert invoice.due_date == date(2025, 1, 10)
    assert invoice.total_amount == Decimal("2345.67")


def test_every_row_up_to_total_is_an_item_and_the_flag_line_after_it_is_not() -> None:
    items = LAYOUT.extract(danf3e()).items
    assert [(item.description, item.amount, item.kind) for item in items] == [
        ("Energia Elétrica", Decimal("1515.00"), ItemKind.ENERGY),
        ("Energia SCEE s/ ICMS", Decimal("720.00"), ItemKind.SCEE),
        ("Energia compensada GD I", Decimal("-660.00"), ItemKind.COMPENSATED),
        ("Energia comp. adicional", Decimal("-8.00"), ItemKind.COMPENSATED),
        ("Contrib Ilum Publica Municipal", Decimal("61.12"), ItemKind.PUBLIC_LIGHTING),
        ("Taxa de Religação 2ª via", Decimal("30.55"), ItemKind.OTHER),
        ("Ressarcimento de Danos", Decimal("-13.00"), ItemKind.OTHER),
        ("Multa 2% sobre conta de 11/2024", Decimal("700.00"), ItemKind.OTHER),
    ]
    energy = items[0]
    assert (energy.unit, energy.quantity, energy.unit_price) == ("kWh", Decimal("1500"), Decimal("1.01000000"))
    assert items[4].unit is None and items[4].quantity is None


def test_kwh_figures_come_from_the_items() -> None:
    invoice = LAYOUT.extract(danf3e())
    assert invoice.energy_kwh == Decimal("1500")
    assert invoice.scee_kwh == Decimal("1200")
    assert invoice.compensated_kwh == Decimal("1200")  # the additional compensation is not GD energy
    assert invoice.public_lighting_amount == Decimal("61.12")
    assert invoice.gd_savings == Decimal("668.00")


def test_fiscal_and_payment_extras() -> None:
    invoice = LAYOUT.extract(danf3e())
    assert invoice.access_key == DANF3E_KEY
    assert (invoice.nota_fiscal_number, invoice.nota_fiscal_series) == ("123456789", "000")
    assert invoice.issue_date == date(2024, 12, 28)
    assert invoice.payment_line == DANF3E_PAYMENT_LINE
    assert invoice.barcode == barcode_from_payment_line(DANF3E_PAYMENT_LINE)
    assert invoice.automatic_debit_code == "008999888777"
    assert invoice.holder_name == "MARIA INVENTADA DE TESTE"


def test_classification_keeps_the_wrapped_subclass() -> None:
    invoice = LAYOUT.extract(danf3e())
    assert invoice.customer_class == "Comercial"
    assert invoice.subclass == "Outros serviços e outras atividades"
    assert invoice.tariff_modality == "Convencional B3"
    assert invoice.supply_type == "Trifásico"


def test_reading_dates_cross_the_year() -> None:
    assert LAYOUT.extract(danf3e()).reading_dates == ReadingDates(
        previous=date(2024, 11, 27), current=date(2024, 12, 27), days=30, next=date(2025, 1, 28)
    )


def test_meter_readings_and_not_the_item_rows() -> None:
    readings = LAYOUT.extract(danf3e()).meter_readings
    assert readings == (
        MeterReading("XYZ123456789", "Energia kWh", Decimal(10000), Decimal(11500), Decimal(1), Decimal(1500)),
        MeterReading("XYZ123456789", "Energia Injetada kWh", Decimal(2000), Decimal(2100), Decimal(1), Decimal(100)),
    )


def test_balance_flags_taxes_and_history() -> None:
    invoice = LAYOUT.extract(danf3e())
    assert invoice.gd_balance_kwh == Decimal("1234.56")
    assert invoice.tariff_flags == (
        TariffFlag(ReferenceMonth(2024, 11), "Amarela"),
        TariffFlag(ReferenceMonth(2024, 12), "Verm. P2"),
    )
    assert invoice.taxes == (
        Tax("ICMS", Decimal("1515.00"), Decimal("18.00"), Decimal("272.70")),
        Tax("PASEP", Decimal("1400.00"), Decimal("0.65"), Decimal("9.10")),
        Tax("COFINS", Decimal("1400.00"), Decimal("3.00"), Decimal("42.00")),
    )
    history = invoice.consumption_history
    assert len(history) == 13
    assert (history[0].month, history[0].kwh, history[0].daily_average, history[0].days) == (
        ReferenceMonth(2024, 12),
        Decimal(1000),
        Decimal("33.33"),
        30,
    )
    assert history[-1].month == ReferenceMonth(2023, 12)


def test_the_invented_bill_passes_validation() -> None:
    document = danf3e()
    assert validate(LAYOUT.extract(document), document.text, TODAY).warnings == ()


def test_transition_form_with_old_item_names() -> None:
    invoice = LAYOUT.extract(danf3e(OLD_NAMES, "NOTA FISCAL Nº 098765432 - SÉRIE U"))
    assert (invoice.nota_fiscal_number, invoice.nota_fiscal_series) == ("098765432", "U")
    assert [item.kind for item in invoice.items] == [
        ItemKind.ENERGY,
        ItemKind.COMPENSATED,
        ItemKind.SCEE,
        ItemKind.PUBLIC_LIGHTING,
    ]
    assert (invoice.energy_kwh, invoice.scee_kwh, invoice.compensated_kwh) == (
        Decimal(100),
        Decimal(900),
        Decimal(900),
    )


def test_a_bill_without_gd_has_no_scee_or_compensation() -> None:
    items = "Energia Elétrica kWh 2.000 1,00000000 2.000,00 \nContrib Ilum Publica Municipal 345,67\nTOTAL 2.345,67"
    invoice = LAYOUT.extract(danf3e(items))
    assert invoice.energy_kwh == Decimal(2000)
    assert invoice.scee_kwh is None and invoice.compensated_kwh is None


def test_missing_client_numbers_are_reported() -> None:
    text = danf3e().text.replace(" 7999888777 3999888777 \n", "\n")
    with pytest.raises(FieldsMissing) as caught:
        LAYOUT.extract(PdfText(pages=(text,)))
    assert caught.value.fields == ("client_number", "installation_number")


def test_other_rows_may_print_tax_columns_and_names_ending_in_numbers() -> None:
    items = (
        "Energia Elétrica kWh 1.000 1,00000000 1.000,00 \n"
        "Serviço Taxado 2 100,00 3,00 100,00 18,00 18,00 \n"
        "Bônus Itaipu art 21 Lei 10438 -9,79\n"
        "Contrib Ilum Publica Municipal 30,00 0,50000000 \n"
        "TOTAL 1.120,21"
    )
    invoice = LAYOUT.extract(danf3e(items))
    assert [(item.description, item.amount) for item in invoice.items] == [
        ("Energia Elétrica", Decimal("1000.00")),
        ("Serviço Taxado 2", Decimal("100.00")),
        ("Bônus Itaipu art 21 Lei 10438", Decimal("-9.79")),
        ("Contrib Ilum Publica Municipal", Decimal("30.00")),
    ]
