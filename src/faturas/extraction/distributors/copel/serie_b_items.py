"""The item table of COPEL's "SÉRIE B" bill, which PDFium prints one column at a time.

The rows that carry ICMS columns come first: their descriptions, then one "kWh" per metered row of
the whole table, then the numbers (quantities, tariffs, amounts of every row, ICMS bases and rates;
a row is sometimes printed whole, "100 0,520000 52,00"), then the descriptions of the rows without
ICMS columns (credits, public lighting, adjustments). Print order is the first group, then the second.
Numbers are told apart by their shape: kWh are whole numbers, tariffs have six decimals, money two,
rates end in "%".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from faturas.domain.invoice import ItemKind, LineItem
from faturas.errors import FieldsMissing
from faturas.extraction.numbers import NUMBER, fold_spaces, parse_decimal
from faturas.extraction.text_search import line_start

TEMPLATE = "copel.serie_b"

_TABLE_RE = re.compile(
    line_start("Descri") + r"..o Un\. Consumo\b.*?$(.*?)^Base de C.lculo do ICMS", re.MULTILINE | re.DOTALL
)
_UNIT_RE = re.compile(r"^(kWh|kVArh)$", re.IGNORECASE)
_TOKEN_RE = re.compile(rf"^(?:{NUMBER})%?$")
_QUANTITY_RE = re.compile(r"^-?\d{1,3}(?:\.\d{3})*-?$|^-?\d+-?$")
_TARIFF_RE = re.compile(r",\d{3,}-?$")

_COMPENSATED_RE = re.compile(r"\bCOMP\b|COMPENS", re.IGNORECASE)
#: "ENERGIA TRIBUT DIFERENCIADA TE", "ENERG TRIBUT DIFERENCIADA TUSD", "ENERGIA TRIBUT DIF OUT UC TE".
_SCEE_RE = re.compile(r"\bTRIBUT\w*\.? DIF", re.IGNORECASE)
_LIGHTING_RE = re.compile(r"ILUMIN", re.IGNORECASE)
#: Consumption, the minimum charge billed instead of it ("CUSTO DISP SISTEMA") and the flag surcharges
#: ("ENERGIA CONS B ESCASSEZ HID") are what the consumption costs.
_ENERGY_RE = re.compile(r"^ENERG|^CUSTO DISP", re.IGNORECASE)
_CONSUMPTION_RE = re.compile(r"\bCONSUMO\b", re.IGNORECASE)
#: Energy lines print "kWh" even when they bill no quantity of their own (flag surcharges).
_METERED_RE = re.compile(r"^ENERG", re.IGNORECASE)


@dataclass(frozen=True)
class IcmsColumns:
    base: Decimal
    rate: Decimal


@dataclass(frozen=True)
class ItemsTable:
    items: tuple[LineItem, ...]
    icms: tuple[IcmsColumns, ...]  # one per row that prints ICMS columns


def item_kind(description: str) -> ItemKind:
    if _COMPENSATED_RE.search(description):
        return ItemKind.COMPENSATED
    if _SCEE_RE.search(description):
        return ItemKind.SCEE
    if _LIGHTING_RE.search(description):
        return ItemKind.PUBLIC_LIGHTING
    if _ENERGY_RE.search(description):
        return ItemKind.ENERGY
    return ItemKind.OTHER


def is_metered(description: str) -> bool:
    return _METERED_RE.search(description) is not None


def parse_items(text: str) -> ItemsTable:
    match = _TABLE_RE.search(text)
    if match is None:
        raise FieldsMissing(["items"], TEMPLATE)
    taxed: list[str] = []
    untaxed: list[str] = []
    tokens: list[str] = []
    for line in match.group(1).splitlines():
        words = [word for word in line.split() if not _UNIT_RE.match(word)]
        if not words:
            continue
        if all(_TOKEN_RE.match(word) for word in words):
            tokens.extend(words)
        else:
            (untaxed if tokens else taxed).append(fold_spaces(line))
    descriptions = taxed + untaxed
    rates = [parse_decimal(token[:-1]) for token in tokens if token.endswith("%")]
    quantities = [parse_decimal(token) for token in tokens if _QUANTITY_RE.match(token)]
    tariffs = [parse_decimal(token) for token in tokens if _TARIFF_RE.search(token)]
    money = [
        parse_decimal(token)
        for token in tokens
        if not (token.endswith("%") or _QUANTITY_RE.match(token) or _TARIFF_RE.search(token))
    ]
    if not descriptions or len(rates) != len(taxed) or len(money) != len(descriptions) + len(rates):
        raise FieldsMissing(["items"], TEMPLATE)
    amounts, bases = money[: len(descriptions)], money[len(descriptions) :]
    items = _rows(descriptions, amounts, quantities, tariffs)
    return ItemsTable(items, tuple(IcmsColumns(base, rate) for base, rate in zip(bases, rates, strict=True)))


def _rows(
    descriptions: list[str], amounts: list[Decimal], quantities: list[Decimal], tariffs: list[Decimal]
) -> tuple[LineItem, ...]:
    """Give each quantity and tariff to its row: a metered row bills quantity × tariff.

    Both columns list their values in row order, so a row takes the next pair when the pair's product
    is its amount; a compensation row prints a quantity without a tariff.
    """
    items = []
    next_quantity = next_tariff = 0
    for description, amount in zip(descriptions, amounts, strict=True):
        kind = item_kind(description)
        quantity = tariff = None
        if (
            next_quantity < len(quantities)
            and next_tariff < len(tariffs)
            and _bills(quantities[next_quantity], tariffs[next_tariff], amount)
        ):
            quantity, tariff = quantities[next_quantity], tariffs[next_tariff]
            next_quantity, next_tariff = next_quantity + 1, next_tariff + 1
        elif kind is ItemKind.COMPENSATED and len(quantities) - next_quantity > len(tariffs) - next_tariff:
            quantity = quantities[next_quantity]
            next_quantity += 1
        metered = quantity is not None or is_metered(description)
        items.append(LineItem(description, amount, "kWh" if metered else None, quantity, tariff, kind))
    if next_quantity != len(quantities) or next_tariff != len(tariffs):
        raise FieldsMissing(["items"], TEMPLATE)
    return tuple(items)


def _bills(quantity: Decimal, tariff: Decimal, amount: Decimal) -> bool:
    """Whether quantity × tariff is the amount, allowing for the tariff's printed rounding."""
    tolerance = max(Decimal("0.02"), abs(amount) / 200)
    return abs(abs(quantity * tariff) - abs(amount)) <= tolerance


def first_component_kwh(
    items: Iterable[LineItem], kind: ItemKind, pattern: re.Pattern[str] | None = None
) -> Decimal | None:
    """The kWh of the first line of a kind (summed over repeats of its description).

    TE and TUSD bill the same energy on two lines ("ENERGIA TRIBUT DIFERENCIADA TE" and "… TUSD"),
    so only the description printed first counts.
    """
    chosen = [
        (item.description, item.quantity)
        for item in items
        if item.kind is kind and item.quantity is not None and (pattern is None or pattern.search(item.description))
    ]
    if not chosen:
        return None
    first = chosen[0][0]
    return sum((abs(quantity) for description, quantity in chosen if description == first), Decimal(0))


def consumption_kwh(items: Iterable[LineItem]) -> Decimal | None:
    return first_component_kwh(items, ItemKind.ENERGY, _CONSUMPTION_RE)
