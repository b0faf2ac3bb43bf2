"""Valid check digits for invented identifiers: NF3e keys and bank slip lines."""

from __future__ import annotations

from decimal import Decimal

from faturas.extraction.check_digits import mod10_digit, mod11_digit


def access_key(first_43_digits: str) -> str:
    assert len(first_43_digits) == 43
    return first_43_digits + str(mod11_digit(first_43_digits))


def grouped(digits: str, size: int = 4, separator: str = ".") -> str:
    return separator.join(digits[index : index + size] for index in range(0, len(digits), size))


def bank_slip_line(free_field: str, value: Decimal, bank: str = "2379", factor: str = "9461") -> str:
    """A boleto line as banks print it: "AAAAB.BBBBX BBBBB.BBBBBY BBBBB.BBBBBZ K FFFFVVVVVVVVVV"."""
    assert len(free_field) == 25
    fields = (bank + free_field[:5], free_field[5:15], free_field[15:25])
    checked = [field + str(mod10_digit(field)) for field in fields]
    amount = f"{int(value * 100):010d}"
    printed = " ".join(f"{field[:5]}.{field[5:]}" for field in checked)
    return f"{printed} 1 {factor}{amount}"
