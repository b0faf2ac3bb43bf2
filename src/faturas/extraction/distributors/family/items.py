"""Billed lines from OCR rows: description, then unit, quantity, price with taxes and amount.

The forms differ in where the amount stands among the numbers (after the price on most, last on
Equatorial's), so measured rows are anchored by arithmetic: the amount is the number that
quantity × unit price gives. A fee row has no quantity; its amount is the first or the last amount
of the row, as the spec says. Tax-table cells that OCR appends to a row ("PIS 100,35 …") are cut off.
"""

from __future__ import annotations

import re
from decimal import Decimal

from faturas.domain.invoice import ItemKind, LineItem
from faturas.errors import InvalidNumber
from faturas.extraction.distributors.family.commas import LOST_COMMA_QUANTITY, PRICE, restore_measured_commas
from faturas.extraction.numbers import parse_decimal

_NUMBER_TOKEN = re.compile(r"^-?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?-?$")
_MONEY_TOKEN = re.compile(r"^-?(?:\d{1,3}(?:\.\d{3})+|\d+),\d{2}-?$")
#: A whole quantity without its comma ("1720000" for "172,0000") left in a description: OCR merged
#: two rows (a photographed page's curl makes neighbouring rows cross), and neither can be trusted.
_GLUED_QUANTITY = re.compile(r"^[1-9]\d{2,}0000$")
_WHOLE_QUANTITY = re.compile(r"^[1-9][\d.]*,0000$")
#: A number that can end a description ("Bandeira Vermelha 2"): one or two digits, no decimals.
_SHORT_WHOLE = re.compile(r"^\d{1,2}$")
#: A long run of digits in a description is a document number ("Multa-NF 123456789"), not a quantity.
_REFERENCE = re.compile(r"^\d{6,}$")
#: The unit as OCR reads it: "kWh", "KWH", "Kwn".
_UNIT = re.compile(r"^\(?k(?:w|[a-z]{2})[hn]\)?$", re.IGNORECASE)
#: The unit's "Wh" blurred into a "V" ("kV", "KVa") in the unit column: kWh too (the only unit these
#: tables print with a V-like letter after the k; "kW" and "kVA" are other units, and are not matched).
_BLURRED_UNIT = re.compile(r"^[kK][vV][ah]?$")
#: Where a row stops being an item: the tax box OCR joins to the right of the items.
_TAX_CELL = re.compile(r"(?:^|\s)(?:PIS(?:/PASEP)?|C\w{1,3}NS|ICMS)\s+\d", re.IGNORECASE)  # COFINS, "CoriNs"
#: Table rules OCR glues to a number ("105.0000]", "0,4087610)") and a decimal comma read as a period
#: before four or more decimals or exactly two ("0.10066667", "42.92").
_RULE_CHARS = "[]|(){}"
#: Two cells OCR read as one across the rule between them ("16,00]0,52893589", "69,50/13,00"): the
#: right one a decimal number, the left one ending in decimals (its start may be garbled).
_JOINED_CELLS = re.compile(r"^(.*,\d+-?)[\]|/)(]+(-?\d[\d.]*,\d+-?)$")
_PERIOD_DECIMALS = re.compile(r"^(-?\d+)\.(\d{4,}|\d{2})(-?)$")

#: "llum" is how OCR reads "Ilum" (public lighting) on every form.
_OCR_SPELLINGS = re.compile(r"\bllum\b|(?<=-)llum\b")

#: Words the items table's left rule eats the first letter of ("onsumo-TUSD"), and that letter.
_FIRST_LETTERS = {"onsumo": "C", "nergia": "E", "dicional": "A", "ontrib": "C", "CMS": "I", "PCA": "I", "lum": "I"}
_LOST_FIRST_LETTER = re.compile(r"^(" + "|".join(_FIRST_LETTERS) + r")(?=\b|-)")

#: q × p may differ from the printed amount by rounding (and by taxes on some forms).
ARITHMETIC_TOLERANCE = Decimal("0.01")

_KINDS = (
    (re.compile(r"ilum|\bcip\b|cosip", re.IGNORECASE), ItemKind.PUBLIC_LIGHTING),
    (re.compile(r"injetad|compensad", re.IGNORECASE), ItemKind.COMPENSATED),
    (re.compile(r"consumo|energia", re.IGNORECASE), ItemKind.ENERGY),
)


def parse_item_rows(rows: list[str], fee_amount_last: bool, row_code: re.Pattern[str] | None = None) -> list[LineItem]:
    """The items among ``rows`` (the lines between the table's header and its end).

    ``row_code`` is a code the form prints before each description (EDP's "0605TUSD - Consumo"):
    cut off, so the description starts the row.
    """
    items = []
    for row in rows:
        item = parse_item_row(row_code.sub("", row, count=1) if row_code else row, fee_amount_last)
        if item is not None:
            items.append(item)
    return items


def parse_item_row(row: str, fee_amount_last: bool) -> LineItem | None:
    cut = _TAX_CELL.search(row)
    tokens = [_clean_token(part) for token in (row[: cut.start()] if cut else row).split() for part in _cells(token)]
    tokens = _drop_garbled_quantity(_restore_lost_comma(restore_measured_commas(tokens)))
    first_number = next(
        (index for index, token in enumerate(tokens) if _NUMBER_TOKEN.match(token) and not _REFERENCE.match(token)),
        None,
    )
    if first_number is None or first_number == 0:
        return None
    first_number += _description_number(tokens, first_number)
    words = tokens[:first_number]
    if any(_GLUED_QUANTITY.match(word) for word in words) and _WHOLE_QUANTITY.match(tokens[first_number]):
        return None  # two quantities, one inside the description: OCR merged two rows
    unit = None
    if (_UNIT.match(words[-1]) or _BLURRED_UNIT.match(words[-1])) and len(words) > 1 and not words[-1].startswith("("):
        unit = "kWh"
        words = words[:-1]
    description = _OCR_SPELLINGS.sub(lambda match: match.group(0).replace("ll", "Il"), " ".join(words))
    description = _restore_first_letter(description.lstrip("[|(!' "))
    if sum(char.isalpha() for char in description) < 3:
        return None
    numbers = tokens[first_number:]
    measured = _measured(numbers)
    kind = next((kind for pattern, kind in _KINDS if pattern.search(description)), ItemKind.OTHER)
    if measured is not None:
        quantity, price, amount = measured
        if unit is None and "kwh" in description.lower():
            unit = "kWh"
        if kind is ItemKind.OTHER:
            kind = ItemKind.ENERGY
        return LineItem(description, amount, unit or "kWh", quantity, price, kind)
    amounts = [_decimal(token) for token in numbers if _MONEY_TOKEN.match(token)]
    values = [value for value in amounts if value is not None]
    if not values:
        return None
    amount = values[-1] if fee_amount_last else values[0]
    return LineItem(description, amount, unit, None, None, kind if kind is not ItemKind.ENERGY else ItemKind.OTHER)


def _description_number(tokens: list[str], first_number: int) -> int:
    """How many tokens from the row's first number still belong to its description (0, 1 or 2).

    "Adicional Bandeira Vermelha 2 kWh 105,0000 …": the unit stands between the description and the
    quantity, so a short whole number right before the unit (and a number after it) is the
    description's ("patamar 2"), not the quantity; so is one right before a whole quantity printed
    with its four decimals ("Vermelha 2 172,0000 …" with the unit lost), which would otherwise be
    taken for a quantity of 2 that some small tax cell happens to match.
    """
    rest = tokens[first_number:]
    if len(rest) < 3 or _SHORT_WHOLE.match(rest[0]) is None:
        return 0
    if _UNIT.match(rest[1]) is not None and _NUMBER_TOKEN.match(rest[2]) is not None:
        return 2
    return 1 if _WHOLE_QUANTITY.match(rest[1]) is not None else 0


def _measured(numbers: list[str]) -> tuple[Decimal, Decimal, Decimal] | None:
    """(quantity, price, amount) when the row's first number times a price gives one of its amounts."""
    if len(numbers) < 3:
        return None
    quantity = _decimal(numbers[0])
    if quantity is None or quantity <= 0:
        return None
    return _priced(quantity, numbers) or _lost_digit(quantity, numbers)


def _lost_digit(read: Decimal, numbers: list[str]) -> tuple[Decimal, Decimal, Decimal] | None:
    """A whole quantity that lost one digit ("16" for 162, a faint print): the whole number that one
    of the row's amounts divided by its price gives to the cent, when the read digits are that
    number's with one missing. A misread price or amount does not divide out, and is left alone."""
    if read != read.to_integral_value():
        return None
    digits = str(int(read))
    for index in range(1, len(numbers) - 1):
        price = _decimal(numbers[index]) if PRICE.match(numbers[index]) else None
        if not price:
            continue
        for token in numbers[index + 1 :]:
            amount = _decimal(token) if _MONEY_TOKEN.match(token) else None
            if amount is None:
                continue
            whole = (abs(amount) / price).to_integral_value()
            if abs(whole * price - abs(amount)) <= ARITHMETIC_TOLERANCE and _one_digit_more(digits, str(whole)):
                return whole, price, amount
    return None


def _one_digit_more(digits: str, whole: str) -> bool:
    return len(whole) == len(digits) + 1 and any(whole[:i] + whole[i + 1 :] == digits for i in range(len(whole)))


def _priced(quantity: Decimal, numbers: list[str]) -> tuple[Decimal, Decimal, Decimal] | None:
    """The price and the amount it gives; of several, the largest amount (the price with taxes).

    Forms that print the tariff without taxes beside its own amount ("VALOR FORNEC") and then the
    price with taxes beside the billed amount (EDP São Paulo) hold two such pairs: taxes only add, so
    the billed pair is the larger one.
    """
    found = []
    for index in range(1, len(numbers) - 1):
        if not PRICE.match(numbers[index]):
            continue
        price = _decimal(numbers[index])
        if price is None:
            continue
        for token in numbers[index + 1 :]:
            amount = _decimal(token) if _MONEY_TOKEN.match(token) else None
            if amount is not None and abs(quantity * price - abs(amount)) <= max(
                ARITHMETIC_TOLERANCE * abs(amount), Decimal("0.02")
            ):
                found.append((quantity, price, amount))
                break
    return max(found, key=lambda pair: abs(pair[2]), default=None)


def _restore_first_letter(description: str) -> str:
    return _LOST_FIRST_LETTER.sub(lambda match: _FIRST_LETTERS[match.group(1)] + match.group(1), description)


def _cells(token: str) -> tuple[str, ...]:
    joined = _JOINED_CELLS.match(token)
    return (token,) if joined is None else joined.groups()


def _clean_token(token: str) -> str:
    bare = token.strip(_RULE_CHARS)
    if not bare or (not bare[0].isdigit() and bare[0] != "-"):
        return token
    number = _PERIOD_DECIMALS.sub(r"\1,\2\3", bare)
    # Only a number loses its rules: "(3/18)" is a description's word, parentheses included.
    return number if _NUMBER_TOKEN.match(number) else token


def _restore_lost_comma(tokens: list[str]) -> list[str]:
    """ "3720000" before a price is "372,0000" without its comma: restored only when the arithmetic holds."""
    for index in range(len(tokens) - 2):
        if not LOST_COMMA_QUANTITY.match(tokens[index]):
            continue
        quantity = Decimal(tokens[index][:-4])
        rest = tokens[index:]
        if _priced(quantity, rest) is not None:
            return [*tokens[:index], tokens[index][:-4], *tokens[index + 1 :]]
    return tokens


def _drop_garbled_quantity(tokens: list[str]) -> list[str]:
    """Recover a quantity OCR garbled ("ns" for 115) from the price and amount that follow it.

    Only when the price has at least four decimals and one of the amounts after it, divided by it,
    is a whole number to the cent: a misread price or amount does not divide out, and is left alone.
    """
    for index in range(1, len(tokens) - 2):
        if _NUMBER_TOKEN.match(tokens[index]) or not PRICE.match(tokens[index + 1]):
            continue
        if _NUMBER_TOKEN.match(tokens[index - 1]) or _UNIT.match(tokens[index]):
            return tokens
        price = _decimal(tokens[index + 1])
        for token in tokens[index + 2 :]:
            amount = _decimal(token) if _MONEY_TOKEN.match(token) else None
            if not price or amount is None:
                continue
            quantity = (abs(amount) / price).to_integral_value()
            if quantity >= 1 and abs(quantity * price - abs(amount)) <= Decimal("0.005"):
                return [*tokens[:index], str(quantity), *tokens[index + 1 :]]
        # Unreadable and not recoverable: a short garbled token is the quantity's place, not a word.
        if len(tokens[index]) <= 3 and tokens[index].islower():
            return [*tokens[:index], *tokens[index + 1 :]]
        return tokens
    return tokens


def _decimal(token: str) -> Decimal | None:
    try:
        return parse_decimal(token)
    except InvalidNumber:
        return None


#: A repaired price must give the amount to the half cent.
_HALF_CENT = Decimal("0.005")
_ENERGY_WORDS = re.compile(r"consumo|energia", re.IGNORECASE)


def repair_energy_row(items: list[LineItem], rows: list[str], total: Decimal) -> LineItem | None:
    """The one energy row that OCR read without its quantity (a faint digit, "18 :,00" for 162,00),
    rebuilt from what the bill proves, or None.

    Only when the other lines leave exactly one amount for it (``total`` less their sum) and the row
    prints that amount; its quantity is the one quantity of the bill's other energy rows (TUSD and
    TE bill the same kWh) and starts with the digit read where the row's quantity stands; its price
    is the row's price with taxes, or the one price that a single digit off it (a 9 read as an 8)
    makes give the amount to the half cent. The caller flags the row for review.
    """
    unmeasured = [item for item in items if item.quantity is None and _ENERGY_WORDS.search(item.description)]
    quantities = {item.quantity for item in items if item.quantity is not None and item.kind is ItemKind.ENERGY}
    if len(unmeasured) != 1 or len(quantities) != 1:
        return None
    item, quantity = unmeasured[0], quantities.pop()
    amount = total - sum((other.amount for other in items if other is not item), Decimal(0))
    if amount <= 0 or amount == item.amount or quantity is None:
        return None
    row = next((row for row in rows if row.startswith(item.description + " ")), None)
    if row is None:
        return None
    tokens = [_clean_token(part) for token in row[len(item.description) :].split() for part in _cells(token)]
    if amount not in {_decimal(token) for token in tokens if _MONEY_TOKEN.match(token)}:
        return None
    read_quantity = next((token for token in tokens if token[:1].isdigit()), "")
    prices = [token for token in tokens if PRICE.match(token)]
    if not prices or read_quantity[:1] != str(quantity)[0]:
        return None
    price = _price_for(prices[0], quantity, amount)
    if price is None:
        return None
    return LineItem(item.description, amount, "kWh", quantity, price, ItemKind.ENERGY)


def _price_for(read: str, quantity: Decimal, amount: Decimal) -> Decimal | None:
    """The read price if quantity × it gives the amount, else the only one-digit variant that does."""
    price = _decimal(read)
    if price is not None and abs(quantity * price - amount) <= _HALF_CENT:
        return price
    variants = {
        variant
        for index, char in enumerate(read)
        if char.isdigit()
        for digit in "0123456789"
        if digit != char
        for variant in [_decimal(read[:index] + digit + read[index + 1 :])]
        if variant is not None and abs(quantity * variant - amount) <= _HALF_CENT
    }
    return variants.pop() if len(variants) == 1 else None
