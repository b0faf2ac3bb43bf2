"""The tables of a COELBA (Neoenergia) invoice page: items, taxes, meter readings, consumption history."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from faturas.domain.invoice import ConsumptionRecord, ItemKind, LineItem, MeterReading, Tax
from faturas.extraction.numbers import NUMBER, fold_spaces, parse_decimal, parse_reference_month

_N = rf"({NUMBER})"
#: White space inside one line: PDFium ends every printed row with a newline.
_S = r"[ \t]+"
_END = r"[ \t]*$"

#: PDFium prints the items first on the page, before the "DESCRIÇÃO DA NOTA FISCAL" heading.
#: The patterns opening with "\n" are matched over "\n" + text: a match starts where the multi-line "^"
#: one did (and ends one character later); the regex engine skips ahead to a literal, where it tries a
#: "^" at every position. Row patterns end before the line's "\n", so every row of a table is found.
_ITEMS_END_RE = re.compile(r"\nDESCRI..O DA NOTA FISCAL")
#: description, then quantity, tariff and amount (metered lines) or the amount alone.
_ITEM_RE = re.compile(rf"\n(\S.*?)(?:{_S}{_N}{_S}{_N})?{_S}{_N}{_END}", re.MULTILINE)
_UNIT_RE = re.compile(r"\((kWh|kVARh|kVArh)\)", re.IGNORECASE)
#: The tax figures: numbers separated by spaces (as split() will cut them). Numbers allowed to touch let
#: a line of digits be cut into numbers in exponentially many ways before the match fails.
_TAXES_RE = re.compile(rf"\nINFORMA..ES DE TRIBUTOS\s*\n([ \t]*(?:{NUMBER})(?:{_S}(?:{NUMBER}))*){_END}", re.MULTILINE)
#: meter, function (CAT active, CRT/CRET reactive), previous date and reading, current date and reading,
#: days, constant, consumption.
_DATE = r"(\d{2}/\d{2}/\d{4})"
_READING_RE = re.compile(
    rf"\n(\d+){_S}([A-Z]+){_S}{_DATE}{_S}{_N}{_S}{_DATE}{_S}{_N}{_S}(\d+){_S}{_N}{_S}{_N}{_END}", re.MULTILINE
)
_HISTORY_HEADER_RE = re.compile(r"\nHIST.RICO DO CONSUMO")
_HISTORY_RE = re.compile(rf"^([^\W\d_]{{3}}){_S}(\d{{2}}){_S}{_N}{_END}", re.MULTILINE)

_KINDS = (
    (re.compile(r"injetad|compensad", re.IGNORECASE), ItemKind.COMPENSATED),
    (re.compile(r"reativ|kvarh", re.IGNORECASE), ItemKind.OTHER),
    (re.compile(r"\bscee\b", re.IGNORECASE), ItemKind.SCEE),
    (re.compile(r"ilum|\bcosip\b|\bcip\b", re.IGNORECASE), ItemKind.PUBLIC_LIGHTING),
    # Flag surcharges are part of what the consumption costs (CEMIG folds them into its energy price).
    (re.compile(r"\bconsumo\b|\benergia\b|\bbandeira\b", re.IGNORECASE), ItemKind.ENERGY),
)
_CONSUMPTION_RE = re.compile(r"\bconsumo\b", re.IGNORECASE)


def item_kind(description: str) -> ItemKind:
    return next((kind for pattern, kind in _KINDS if pattern.search(description)), ItemKind.OTHER)


def _item_rows(text: str) -> list[tuple[str, str, str, str]]:
    """The item rows at the top of each page (pages joined by form feeds, as PdfText.text joins them)."""
    rows = []
    for page in text.split("\f"):
        lined = "\n" + page
        end = _ITEMS_END_RE.search(lined)
        if end is not None:
            rows.extend(_ITEM_RE.findall(lined[: end.start() + 1]))  # "\n" + page[: its start in page]
    return rows


def parse_items(text: str) -> tuple[LineItem, ...]:
    items = []
    for description, quantity, price, amount in _item_rows(text):
        description = fold_spaces(description)
        unit = _UNIT_RE.search(description) if quantity else None
        items.append(
            LineItem(
                description=description,
                amount=parse_decimal(amount),
                unit=None if unit is None else ("kWh" if unit.group(1).lower() == "kwh" else "kVArh"),
                quantity=parse_decimal(quantity) if quantity else None,
                unit_price=parse_decimal(price) if price else None,
                kind=item_kind(description),
            )
        )
    return tuple(items)


def first_component_kwh(items: Iterable[LineItem], kind: ItemKind) -> Decimal | None:
    """The kWh of one kind, counted once although TUSD and TE bill the same energy twice."""
    chosen = [
        (item.description, item.quantity)
        for item in items
        if item.kind is kind and item.unit == "kWh" and item.quantity is not None
    ]
    if not chosen:
        return None
    first = chosen[0][0]
    return sum((abs(quantity) for description, quantity in chosen if description == first), Decimal(0))


def consumption_kwh(items: Iterable[LineItem]) -> Decimal | None:
    return first_component_kwh((item for item in items if _CONSUMPTION_RE.search(item.description)), ItemKind.ENERGY)


def parse_taxes(text: str) -> tuple[Tax, ...]:
    """ICMS, PIS and COFINS as base, rate and amount; an ICMS base reduced to nothing is left blank."""
    match = _TAXES_RE.search("\n" + text)
    if match is None:
        return ()
    values: list[Decimal | None] = [parse_decimal(value) for value in match.group(1).split()]
    if len(values) == 8:
        values.insert(0, None)
    if len(values) != 9:
        return ()
    return tuple(
        Tax(name, values[3 * index], values[3 * index + 1], values[3 * index + 2])
        for index, name in enumerate(("ICMS", "PIS", "COFINS"))
    )


def parse_meter_readings(text: str) -> tuple[MeterReading, ...]:
    return tuple(
        MeterReading(
            meter=meter,
            quantity=function,
            previous=parse_decimal(previous),
            current=parse_decimal(current),
            constant=parse_decimal(constant),
            consumption=parse_decimal(consumption),
        )
        for meter, function, _, previous, _, current, _, constant, consumption in _READING_RE.findall("\n" + text)
    )


def first_reading_dates(text: str) -> tuple[str, str, int] | None:
    """Previous and current reading dates and the days between them, from the first meter row."""
    match = _READING_RE.search("\n" + text)
    if match is None:
        return None
    return match.group(3), match.group(5), int(match.group(7))


def parse_history(text: str) -> tuple[ConsumptionRecord, ...]:
    """ "ABR 22 1462" rows under "HISTÓRICO DO CONSUMO", newest first."""
    lined = "\n" + text
    header = _HISTORY_HEADER_RE.search(lined)
    if header is None:
        return ()
    records: list[ConsumptionRecord] = []
    for line in lined[header.end() :].splitlines()[1:]:
        match = _HISTORY_RE.match(line.strip())
        if match is None:
            if records:
                break
            continue
        month, year, kwh = match.groups()
        records.append(ConsumptionRecord(parse_reference_month(f"{month}/{year}"), parse_decimal(kwh)))
    return tuple(records)
