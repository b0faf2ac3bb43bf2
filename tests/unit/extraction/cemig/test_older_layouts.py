"""CEMIG's 2021-22 "2ª VIA" and 2019 "SÉRIE U" bills, on invented text in PDFium's shape."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from faturas.domain.invoice import ItemKind, ReadingDates, TariffFlag, Tax
from faturas.domain.reference_month import ReferenceMonth
from faturas.extraction.distributors import DISTRIBUTORS
from faturas.extraction.distributors.cemig import DISTRIBUTOR, second_copy, serie_u_2019
from faturas.extraction.distributors.detection import choose_layout, detect_distributor
from faturas.extraction.validation import validate
from tests.unit.extraction.cemig.invented_bills import second_copy as second_copy_bill
from tests.unit.extraction.cemig.invented_bills import serie_u_2019 as serie_u_bill

TODAY = date(2025, 1, 5)


def test_each_older_bill_finds_its_layout() -> None:
    for document, layout in ((second_copy_bill(), second_copy.LAYOUT), (serie_u_bill(), serie_u_2019.LAYOUT)):
        assert detect_distributor(document, DISTRIBUTORS) is DISTRIBUTOR
        assert choose_layout(DISTRIBUTOR, document) is layout


def test_second_copy_reads_the_total_from_the_headline_and_keeps_kwh_in_descriptions() -> None:
    invoice = second_copy.LAYOUT.extract(second_copy_bill())
    assert (invoice.client_number, invoice.installation_number) == ("7111222333", "3111222333")
    assert invoice.reference_month == ReferenceMonth(2022, 2)
    assert invoice.due_date == date(2022, 3, 15)
    assert invoice.total_amount == Decimal("196.23")
    assert [(item.description, item.unit, item.quantity, item.amount, item.kind) for item in invoice.items] == [
        ("Custo de Disponibilidade", None, None, Decimal("150.00"), ItemKind.OTHER),
        ("En comp. kWh ISENTA", "kWh", Decimal(1100), Decimal("770.00"), ItemKind.SCEE),
        ("Energia injetada kWh HFP", "kWh", Decimal(1100), Decimal("-770.00"), ItemKind.COMPENSATED),
        ("Contrib Ilum Publica Municipal", None, None, Decimal("45.00"), ItemKind.PUBLIC_LIGHTING),
        ("Juros Moratórios", None, None, Decimal("1.23"), ItemKind.OTHER),
    ]
    assert (invoice.energy_kwh, invoice.scee_kwh, invoice.compensated_kwh) == (None, Decimal(1100), Decimal(1100))


def test_second_copy_extras() -> None:
    invoice = second_copy.LAYOUT.extract(second_copy_bill())
    assert invoice.issue_date == date(2022, 2, 20)
    assert invoice.reading_dates == ReadingDates(date(2022, 1, 20), date(2022, 2, 18), None, date(2022, 3, 21))
    assert (invoice.customer_class, invoice.subclass, invoice.tariff_modality, invoice.supply_type) == (
        "Residencial",
        "Residencial",
        "Convencional B1",
        "Bifásico",
    )
    assert invoice.holder_name == "JOAO FICTICIO DA SILVA"
    assert invoice.automatic_debit_code == "008111222333"
    assert invoice.gd_balance_kwh == Decimal("10.00")
    assert invoice.tariff_flags == (
        TariffFlag(ReferenceMonth(2022, 1), "Esc. Hídrica"),
        TariffFlag(ReferenceMonth(2022, 2), "Esc. Hídrica"),
    )
    assert invoice.taxes == ()  # printed as dashes
    assert len(invoice.consumption_history) == 13
    assert invoice.meter_readings[0].consumption == Decimal(1100)


def test_second_copy_with_plain_energy_line() -> None:
    items = "Energia Elétrica kWh 1.250 1,10000000 1.375,00\nEncargos/Cobranças\nContrib Ilum Publica Municipal 40,00"
    invoice = second_copy.LAYOUT.extract(second_copy_bill(items, "FEV/2022 15/03/2022 1.415,00"))
    assert invoice.items[0].description == "Energia Elétrica kWh"
    assert invoice.energy_kwh == Decimal(1250)
    assert invoice.scee_kwh is None
    assert sum(item.amount for item in invoice.items) == invoice.total_amount


def test_serie_u_2019_reads_values_printed_apart_from_labels() -> None:
    invoice = serie_u_2019.LAYOUT.extract(serie_u_bill())
    assert (invoice.client_number, invoice.installation_number) == ("7222333444", "3222333444")
    assert invoice.reference_month == ReferenceMonth(2019, 12)
    assert invoice.due_date == date(2020, 1, 20)
    assert invoice.total_amount == Decimal("1229.30")
    assert [(item.description, item.unit, item.quantity, item.amount) for item in invoice.items] == [
        ("Energia Elétrica kWh", "kWh", Decimal(1000), Decimal("1200.00")),
        ("Contrib Ilum Publica Municipal", None, None, Decimal("29.30")),
    ]
    assert (invoice.energy_kwh, invoice.public_lighting_amount) == (Decimal(1000), Decimal("29.30"))


def test_serie_u_2019_extras() -> None:
    invoice = serie_u_2019.LAYOUT.extract(serie_u_bill())
    assert (invoice.nota_fiscal_number, invoice.nota_fiscal_series) == ("011122233", "U")
    assert invoice.issue_date == date(2019, 12, 21)
    assert invoice.reading_dates == ReadingDates(date(2019, 11, 20), date(2019, 12, 19), None, date(2020, 1, 20))
    assert (invoice.customer_class, invoice.subclass, invoice.tariff_modality, invoice.supply_type) == (
        "Rural",
        "Agropecuária",
        "Convencional B2",
        "Trifásico",
    )
    assert invoice.holder_name == "ANA DE EXEMPLO"
    assert invoice.automatic_debit_code == "000011122233"
    assert invoice.tariff_flags[1] == TariffFlag(ReferenceMonth(2019, 11), "Verm. P1")
    assert invoice.taxes[0] == Tax("ICMS", Decimal("1200.00"), Decimal("30.00"), Decimal("360.00"))
    assert invoice.consumption_history[0].month == ReferenceMonth(2019, 12)


def test_older_bills_pass_validation() -> None:
    for document, layout in ((second_copy_bill(), second_copy.LAYOUT), (serie_u_bill(), serie_u_2019.LAYOUT)):
        checks = [warning.check for warning in validate(layout.extract(document), document.text, TODAY).warnings]
        assert checks == []


def test_second_copy_tells_measured_rows_from_fees_ending_in_numbers() -> None:
    items = (
        "Energia Elétrica kWh 1.000 1,10000000 1.100,00\n"
        "Energia Reativa Excedente 20 0,55000000 11,00\n"
        "Bônus Itaipu art 21 Lei 10438 -9,79\n"
        "Encargos/Cobranças\n"
        "Contrib Ilum Publica Municipal 40,00"
    )
    invoice = second_copy.LAYOUT.extract(second_copy_bill(items, "FEV/2022 15/03/2022 1.141,21"))
    assert [(item.description, item.quantity, item.amount) for item in invoice.items] == [
        ("Energia Elétrica kWh", Decimal(1000), Decimal("1100.00")),
        ("Energia Reativa Excedente", Decimal(20), Decimal("11.00")),
        ("Bônus Itaipu art 21 Lei 10438", None, Decimal("-9.79")),
        ("Contrib Ilum Publica Municipal", None, Decimal("40.00")),
    ]
    assert invoice.energy_kwh == Decimal(1000)
