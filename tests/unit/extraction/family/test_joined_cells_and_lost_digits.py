"""Item rows whose cells OCR joined across a rule, whose quantity lost a faint digit, or whose unit it garbled.

Invented rows in the shape OCR gives them; every amount is made up (quantity × price = amount).
"""

from __future__ import annotations

from decimal import Decimal

from faturas.extraction.distributors.family.items import parse_item_row


def _measured(row: str) -> tuple[str, str | None, Decimal | None, Decimal | None, Decimal]:
    item = parse_item_row(row, fee_amount_last=False)
    assert item is not None
    return item.description, item.unit, item.quantity, item.unit_price, item.amount


def test_two_cells_joined_across_a_rule_are_read_apart() -> None:
    # 120 × 0,51234567 = 61,48 (to the cent, truncated)
    row = "Consumo-TUSD kWh 120,00]0,51234567 61,48 2,65 61,48/ 18,00 11,06/0,40000000"
    assert _measured(row) == ("Consumo-TUSD", "kWh", Decimal(120), Decimal("0.51234567"), Decimal("61.48"))


def test_a_quantity_that_lost_a_faint_digit_is_restored_when_the_amount_divides_out() -> None:
    # 162 × 0,52000000 = 84,24; the middle digit printed faint and read as a gap ("16 ,00").
    row = "Consumo-TUSD kWh 16 ',00]0,52000000 84,24 3,62 84,24 18,00 15,16 0,41000000"
    assert _measured(row) == ("Consumo-TUSD", "kWh", Decimal(162), Decimal("0.52000000"), Decimal("84.24"))


def test_a_quantity_is_not_restored_when_its_digits_are_not_the_whole_numbers_less_one() -> None:
    # 84,24 / 0,52 = 162, but "19" is not 162 with a digit lost: the row is not measured.
    item = parse_item_row("Consumo-TUSD kWh 19 0,52000000 84,24 3,62", fee_amount_last=False)
    assert item is not None and item.quantity is None and item.unit_price is None
    # Nor when the amount does not divide out to a whole number (a misread price).
    item = parse_item_row("Consumo-TE kWh 16 0,42803708 69,50 2,99", fee_amount_last=False)
    assert item is not None and item.quantity is None


def test_a_unit_read_with_two_letters_for_the_w_is_still_kwh() -> None:
    row = "Consumo-TE KvyH 150 0,40000000 60,00 2,58"
    assert _measured(row) == ("Consumo-TE", "kWh", Decimal(150), Decimal("0.40000000"), Decimal("60.00"))


def test_a_description_with_a_slash_between_numbers_is_not_split() -> None:
    item = parse_item_row("Parcela (22/24) 96,14", fee_amount_last=True)
    assert item is not None and (item.description, item.amount) == ("Parcela (22/24)", Decimal("96.14"))
