"""Item rows as OCR prints them, on invented values."""

from __future__ import annotations

import re
from decimal import Decimal

from faturas.domain.invoice import ItemKind
from faturas.extraction.distributors.family.items import parse_item_row, parse_item_rows


def test_a_measured_row_takes_the_amount_that_quantity_times_price_gives() -> None:
    # ANEEL's tariff first, then the price with taxes, then the amount, then tax columns.
    item = parse_item_row("Consumo - TE ABR/26 kWh 200,0000 0,30000000 0,35000000 70,00 70,00 3,00", False)
    assert item is not None
    assert (item.description, item.unit, item.quantity) == ("Consumo - TE ABR/26", "kWh", Decimal("200.0000"))
    assert (item.unit_price, item.amount, item.kind) == (Decimal("0.35000000"), Decimal("70.00"), ItemKind.ENERGY)


def test_a_fee_row_takes_its_first_or_last_amount_as_the_form_prints_it() -> None:
    first = parse_item_row("Acrés.Bd.VERMELHA-P2 12,34 0,50 12,34 20,50 2,53", fee_amount_last=False)
    last = parse_item_row("Adicional Bandeira 0,07 0,29 1,51", fee_amount_last=True)
    assert first is not None and last is not None
    assert (first.amount, first.quantity, first.unit) == (Decimal("12.34"), None, None)
    assert last.amount == Decimal("1.51")


def test_tax_cells_joined_to_the_right_of_a_row_are_not_read_as_its_amount() -> None:
    item = parse_item_row("Consumo (kWh) 100 1,000000 0,800000 5,00 19,00 100,00 PIS 100,00 1,1000 1,10", True)
    assert item is not None
    assert (item.description, item.amount, item.unit_price) == ("Consumo (kWh)", Decimal("100.00"), Decimal("1.000000"))


def test_a_document_number_stays_in_the_description() -> None:
    item = parse_item_row("Multa-NF 123456789 2,50", False)
    assert item is not None
    assert (item.description, item.amount) == ("Multa-NF 123456789", Decimal("2.50"))


def test_public_lighting_is_told_by_its_name_and_rows_without_words_are_skipped() -> None:
    lighting = parse_item_row("Cip-Ilum Pub Pref Munic 20,00", False)
    assert lighting is not None and lighting.kind is ItemKind.PUBLIC_LIGHTING
    assert parse_item_row("12 34,00 5,00", False) is None
    assert parse_item_row("TOTAL", False) is None


def test_a_garbled_quantity_is_recovered_only_when_the_amount_divides_out_to_a_whole_number() -> None:
    recovered = parse_item_row("Consumo (kWh) ns 1,064174 0,808070 6,21 23,25 122,38", True)
    assert recovered is not None
    assert (recovered.quantity, recovered.unit_price, recovered.amount) == (
        Decimal(115),
        Decimal("1.064174"),
        Decimal("122.38"),
    )
    # 122,39 / 1,064174 is not a whole number of kWh: the row stays a fee, nothing is invented.
    unrecovered = parse_item_row("Consumo (kWh) ns 1,064174 0,808070 6,21 23,25 122,39", True)
    assert unrecovered is not None and unrecovered.quantity is None


def test_units_as_ocr_reads_them_are_kwh() -> None:
    item = parse_item_row("CONSUMO TE Kwn 30 0,300000 9,00 0,40 9,00 12% 1,08", False)
    assert item is not None
    assert (item.description, item.unit, item.amount) == ("CONSUMO TE", "kWh", Decimal("9.00"))


def test_ocr_spellings_of_tax_cells_and_of_ilum_are_undone() -> None:
    fee = parse_item_row("Adicional Bandeira 0,07 0,29 1,50 corins 100,00 5,0000 5,00", True)
    lighting = parse_item_row("[Cip-llum Pub Pref Munic 20,00", True)
    assert fee is not None and fee.amount == Decimal("1.50")
    assert lighting is not None and lighting.description == "Cip-Ilum Pub Pref Munic"


def test_a_first_letter_eaten_by_the_table_rule_is_restored_for_bill_words_only() -> None:
    consumption = parse_item_row("onsumo-TUSD kWh 100,00 0,60000000 60,00 2,00", False)
    tax = parse_item_row("CMS-CDE NF 123456789 2,00", False)
    other = parse_item_row("Parcela 3/18 50,00", False)
    assert consumption is not None and consumption.description == "Consumo-TUSD"
    assert tax is not None and tax.description == "ICMS-CDE NF 123456789"
    assert other is not None and other.description == "Parcela 3/18"


def test_parentheses_in_a_description_stay_while_rules_glued_to_numbers_go() -> None:
    item = parse_item_row("Parcela (2/10) Acordo 12,34]", fee_amount_last=True)
    assert item is not None
    assert (item.description, item.amount) == ("Parcela (2/10) Acordo", Decimal("12.34"))


def test_a_quantity_whose_comma_ocr_lost_is_taken_only_when_the_arithmetic_then_holds() -> None:
    item = parse_item_row("Consumo - TE kWh 1500000 0,40000000 60,00", False)
    assert item is not None
    assert (item.quantity, item.unit_price, item.amount) == (Decimal(150), Decimal("0.40000000"), Decimal("60.00"))
    assert parse_item_row("Consumo - TE kWh 1500000 0,40000000 61,00", False).quantity is None  # type: ignore[union-attr]


def test_of_two_prices_that_each_give_an_amount_the_price_with_taxes_is_taken() -> None:
    # Tariff without taxes beside its supplied value, then the price with taxes beside the billed amount.
    item = parse_item_row("TUSD - Consumo kWh 200,0000 0,40000000 80,00 0,50000000 100,00 12,00 12,00 100,00", False)
    assert item is not None
    assert (item.unit_price, item.amount) == (Decimal("0.50000000"), Decimal("100.00"))


def test_a_short_number_before_the_unit_belongs_to_the_description() -> None:
    item = parse_item_row("Adicional Bandeira Vermelha 2 kWh 100,0000 0,10000000 10,00 0,50 10,00", False)
    assert item is not None
    assert (item.description, item.unit, item.quantity) == ("Adicional Bandeira Vermelha 2", "kWh", Decimal("100.0000"))
    assert item.amount == Decimal("10.00")


def test_a_row_holding_another_rows_quantity_in_its_description_is_not_read() -> None:
    # A curled photo makes two rows cross: "1700000" is "170,0000" of the row above, without its comma.
    assert parse_item_row("TE - Consumo % 1700000 100,0000 0,30000000 30,00 0,40000000 40,00", False) is None


def test_a_code_printed_before_each_description_is_cut_off() -> None:
    code = re.compile(r"^\W{0,2}[0O]\d{3}\s?(?=[A-Za-z])")
    rows = ["0605TUSD - Consumo kWh 100,0000 0,50000000 50,00", "0805 Multa Ref.: Ago/25 2,00"]
    items = parse_item_rows(rows, False, code)
    assert [(item.description, item.amount) for item in items] == [
        ("TUSD - Consumo", Decimal("50.00")),
        ("Multa Ref.: Ago/25", Decimal("2.00")),
    ]
    assert parse_item_rows(["0805 Multa Ref.: Ago/25 2,00"], False) == []  # without the form's code: no description


def test_a_short_number_before_a_whole_quantity_belongs_to_the_description() -> None:
    # The unit column lost: "2" is the description's, never a quantity of 2 matched by a small tax cell.
    item = parse_item_row("Adicional Bandeira Vermelha 2 100,0000 0,10000000 10,00 0,10 0,20", False)
    assert item is not None
    assert (item.description, item.quantity, item.unit_price) == (
        "Adicional Bandeira Vermelha 2",
        Decimal(100),
        Decimal("0.10000000"),
    )
