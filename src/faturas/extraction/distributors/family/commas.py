"""Figures whose decimal comma OCR lost ("0824890", "4619"), restored only where arithmetic proves it.

A photographed or blurred table often loses the thin comma between a figure's digits. The digits
are still read, but where the comma stood is not: a price printed "0,824890" is read "0824890", an
amount "46,19" is read "4619". Nothing is assumed from the digits alone: a measured row gets its
comma back when quantity × price then gives its amount to the half cent, and a fee row only when
every billed line together then adds up exactly to the bill's total (see ``restore_fee_amount``).
"""

from __future__ import annotations

import re
from decimal import Decimal

from faturas.extraction.numbers import parse_decimal

#: A price printed with a leading zero and at least four decimals ("0,824890") read without its comma.
_LOST_COMMA_PRICE = re.compile(r"^0\d{4,}$")
#: An amount read without its comma: at least three digits, the last two its cents ("4619").
_LOST_COMMA_AMOUNT = re.compile(r"^[1-9]\d{2,}$")
#: A fee below one real read without its comma: a zero and its cents ("013" for "0,13").
_LOST_COMMA_CENTS = re.compile(r"^0\d{2}$")
#: A whole quantity printed with four decimals read without its comma ("3720000" for "372,0000").
LOST_COMMA_QUANTITY = re.compile(r"^[1-9]\d*0000$")
_QUANTITY = re.compile(r"^[1-9]\d{0,5}(?:,\d{1,4})?$")
#: A price as printed: at least four decimals.
PRICE = re.compile(r"^\d+,\d{4,}$")
_MONEY = re.compile(r"^(?:\d{1,3}(?:\.\d{3})+|\d+),\d{2}$")

#: quantity × price must give the amount to the half cent when a comma is put back.
HALF_CENT = Decimal("0.005")


def restore_measured_commas(tokens: list[str]) -> list[str]:
    """The row with the commas of its quantity, price and amount put back when only that makes
    quantity × price equal the amount (to the half cent); unchanged otherwise or when nothing was lost."""
    for index, token in enumerate(tokens):
        quantities = _quantities(token)
        if not quantities:
            continue
        for quantity, quantity_text in quantities:
            found = _priced(quantity, tokens[index + 1 :])
            if found is None:
                continue
            (price_at, price_text), (amount_at, amount_text) = found
            restored = list(tokens)
            restored[index] = quantity_text
            restored[index + 1 + price_at] = price_text
            restored[index + 1 + amount_at] = amount_text
            return restored
        return tokens  # the row's first number is its quantity: no other is tried
    return tokens


def restore_fee_amount(row: str) -> str:
    """A fee row without any amount but a run of digits ("Adic B Vermelha 579 023", "Juros 013"): its
    first run written as an amount ("5,79", "0,13"). The caller keeps it only if the items then add up to the total."""
    tokens = row.split()
    if any(_MONEY.match(token) or PRICE.match(token) for token in tokens):
        return row
    for index, token in enumerate(tokens):
        if token[0].isdigit():
            if index == 0 or not (_LOST_COMMA_AMOUNT.match(token) or _LOST_COMMA_CENTS.match(token)):
                return row
            tokens[index] = f"{token[:-2]},{token[-2:]}"
            return " ".join(tokens)
    return row


def _quantities(token: str) -> list[tuple[Decimal, str]]:
    found = []
    if _QUANTITY.match(token):
        found.append((parse_decimal(token), token))
    if LOST_COMMA_QUANTITY.match(token):
        found.append((Decimal(token[:-4]), f"{token[:-4]},0000"))
    return found


def _priced(quantity: Decimal, numbers: list[str]) -> tuple[tuple[int, str], tuple[int, str]] | None:
    """(index, text) of the price and of the amount it gives, when at least one of them lost its comma."""
    for price_at, token in enumerate(numbers):
        price, price_lost = _price(token)
        if price is None:
            continue
        for amount_at in range(price_at + 1, len(numbers)):
            amount, amount_lost = _amount(numbers[amount_at])
            if amount is None or not (price_lost or amount_lost):
                continue
            if abs(quantity * price - amount) <= HALF_CENT:
                price_text = f"0,{token[1:]}" if price_lost else token
                return (price_at, price_text), (amount_at, amount_text(amount) if amount_lost else numbers[amount_at])
    return None


def _price(token: str) -> tuple[Decimal | None, bool]:
    if PRICE.match(token):
        return parse_decimal(token), False
    if _LOST_COMMA_PRICE.match(token):
        return Decimal(f"0.{token[1:]}"), True
    return None, False


def _amount(token: str) -> tuple[Decimal | None, bool]:
    if _MONEY.match(token):
        return parse_decimal(token), False
    if _LOST_COMMA_AMOUNT.match(token):
        return Decimal(token) / 100, True
    return None, False


def amount_text(amount: Decimal) -> str:
    """An amount as the bill prints it, without thousands separators ("46,19")."""
    return f"{amount:.2f}".replace(".", ",")
