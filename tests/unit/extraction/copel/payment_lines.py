"""Utility payment lines (arrecadação) with valid check digits, for invented bills."""

from __future__ import annotations

from decimal import Decimal

from faturas.extraction.check_digits import mod10_digit


def utility_payment_line(value: Decimal, free_field: str) -> str:
    """The printed line of an energy bill's barcode: "8360000001-5 …", four blocks of 11 digits plus a check digit."""
    assert len(free_field) == 29 and free_field.isdigit()
    without_check = "836" + f"{int(value * 100):011d}" + free_field
    barcode = without_check[:3] + str(mod10_digit(without_check)) + without_check[3:]
    blocks = [barcode[index : index + 11] for index in range(0, 44, 11)]
    return " ".join(f"{block} {mod10_digit(block)}" for block in blocks)
