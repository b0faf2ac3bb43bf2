"""CPFL's "Série C" bill: credits printed with a trailing minus, split by the month they were injected."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from faturas.domain.invoice import ItemKind
from faturas.domain.reference_month import ReferenceMonth
from faturas.errors import FieldsMissing
from faturas.extraction.distributors import DISTRIBUTORS
from faturas.extraction.distributors.cpfl import DISTRIBUTOR
from faturas.extraction.distributors.cpfl.serie_c import LAYOUT
from faturas.extraction.distributors.detection import choose_layout, detect_distributor
from faturas.extraction.pdf_text import PdfText
from faturas.extraction.validation import validate
from tests.unit.extraction.cpfl.invented_bills import serie_c

TODAY = date(2024, 6, 1)


def test_the_bill_is_detected_as_cpfl_in_this_layout() -> None:
    document = serie_c()
    assert detect_distributor(document, DISTRIBUTORS) is DISTRIBUTOR
    assert choose_layout(DISTRIBUTOR, document) is LAYOUT


def test_pn_is_the_client_and_the_installation_follows_it() -> None:
    invoice = LAYOUT.extract(serie_c())
    assert invoice.distributor == "CPFL"
    assert (invoice.client_number, invoice.installation_number) == ("700800900", "40506070")
    assert invoice.reference_month == ReferenceMonth(2023, 12)
    assert invoice.due_date == date(2024, 1, 20)
    assert invoice.total_amount == Decimal("402.34")


def test_trailing_minus_amounts_are_negative_and_informational_lines_are_not_items() -> None:
    items = LAYOUT.extract(serie_c()).items
    assert [item.description for item in items] == [
        "Energia Ativa Fornecida - TUSD",
        "Energia Ativa Fornecida - TE",
        "Energ Atv Inj. oUC mPT - TUSD",
        "Energ Atv Inj. oUC mPT - TUSD",
        "Energ Atv Inj. oUC mPT - TE",
        "Energ Atv Inj. oUC mPT - TE",
        "Contrib. Custeio IP-CIP Municipal",
    ]
    credit = items[2]
    assert (credit.unit, credit.quantity, credit.unit_price, credit.amount) == (
        "kWh",
        Decimal("1000.000"),
        Decimal("0.40000000"),
        Decimal("-400.00"),
    )
    lighting = items[-1]
    assert (lighting.unit, lighting.quantity, lighting.unit_price, lighting.amount) == (
        None,
        None,
        None,
        Decimal("12.34"),
    )


def test_kinds_and_kwh_figures_sum_the_tusd_credits_over_their_months() -> None:
    invoice = LAYOUT.extract(serie_c())
    assert [item.kind for item in invoice.items] == [
        ItemKind.ENERGY,
        ItemKind.ENERGY,
        *[ItemKind.COMPENSATED] * 4,
        ItemKind.PUBLIC_LIGHTING,
    ]
    assert invoice.energy_kwh == Decimal("1500")
    assert invoice.scee_kwh is None
    assert invoice.compensated_kwh == Decimal("1200")
    assert invoice.public_lighting_amount == Decimal("12.34")
    assert invoice.gd_savings == Decimal("960.00")


def test_a_consistent_bill_gets_no_warnings() -> None:
    document = serie_c()
    assert validate(LAYOUT.extract(document), document.text, TODAY).warnings == ()


def test_extras_printed_on_the_bill() -> None:
    invoice = LAYOUT.extract(serie_c())
    assert invoice.holder_name == "ANA FICTICIA DE SOUZA"
    assert (invoice.nota_fiscal_number, invoice.nota_fiscal_series) == ("987654321000", "C")
    assert invoice.issue_date == date(2024, 1, 2)
    assert invoice.automatic_debit_code == "5550001112"
    assert (invoice.tariff_modality, invoice.customer_class, invoice.supply_type) == (
        "Convencional",
        "Residencial",
        "Monofásico",
    )
    assert invoice.gd_balance_kwh == Decimal("1234.5678000000")
    assert [flag.flag for flag in invoice.tariff_flags] == ["Verde", "Amarela"]
    assert invoice.payment_line is None and invoice.access_key is None


def test_readings_history_and_taxes() -> None:
    invoice = LAYOUT.extract(serie_c())
    dates = invoice.reading_dates
    assert dates is not None
    assert (dates.previous, dates.current, dates.days, dates.next) == (
        date(2023, 11, 30),
        date(2023, 12, 31),
        31,
        date(2024, 2, 1),
    )
    (reading,) = invoice.meter_readings
    assert (reading.meter, reading.previous, reading.current, reading.constant, reading.consumption) == (
        "33445566778",
        Decimal("20000"),
        Decimal("21500"),
        Decimal("1.00"),
        Decimal("1500"),
    )
    history = invoice.consumption_history
    assert len(history) == 13
    assert (history[0].month, history[0].kwh, history[0].days) == (ReferenceMonth(2023, 12), Decimal("1500"), 31)
    assert history[-1].month == ReferenceMonth(2022, 12)
    icms, pis, cofins = invoice.taxes
    assert (icms.base, icms.rate, icms.amount) == (Decimal("870.00"), Decimal("18.00"), Decimal("156.60"))
    assert (pis.base, pis.rate, pis.amount) == (Decimal("233.40"), Decimal("0.75"), Decimal("1.74"))
    assert (cofins.rate, cofins.amount) == (Decimal("3.55"), Decimal("8.28"))


def test_a_holder_with_cnpj_and_no_automatic_debit() -> None:
    invoice = LAYOUT.extract(serie_c(debit_code=False, holder_document="CNPJ: 00.111.222/0001-33"))
    assert invoice.installation_number == "40506070"
    assert invoice.automatic_debit_code is None
    assert invoice.meter_readings[0].meter == "33445566778"


def test_a_bill_without_its_identity_block_is_refused() -> None:
    text = serie_c().text.replace("700800900\n40506070\n", "")
    with pytest.raises(FieldsMissing):
        LAYOUT.extract(PdfText((text,)))
