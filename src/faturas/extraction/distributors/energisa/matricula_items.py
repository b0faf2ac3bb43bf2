"""The MATRÍCULA form's items table.

PDFium reads the descriptions as one block, then one line of values per item in the same order
("1,000000 1.340,00 0,800000": unit price, amount, tariff; "25,00": an amount alone), and the kWh
quantities elsewhere on the page: the first row's after the consultation URL, the others' after
"chave de acesso:". The block order is not the print order; matricula_print_order restores it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from faturas.domain.invoice import LineItem
from faturas.extraction.distributors.energisa.common import SECTION_HEADER, item_kind, matricula_print_order
from faturas.extraction.numbers import NUMBER, fold_spaces, parse_decimal

_NUMBER_ROW_RE = re.compile(rf"^(?:{NUMBER})(?: (?:{NUMBER}))*$")
_UNIT_PRICE_RE = re.compile(r"^\d+,\d{5,}$")
#: "95,00 1,50": the ICMS base and PIS/COFINS totals row that closes the table's header.
_TABLE_START_RE = re.compile(rf"^ICMS \(R\$\)\s*\n(?:{NUMBER}) (?:{NUMBER})\s*$", re.MULTILINE)
_QUANTITY_RE = re.compile(rf"^(?:KWH )?((?:{NUMBER}))$")
_FIRST_QUANTITY_AFTER_RE = re.compile(r"/nf3e/consulta", re.IGNORECASE)
_OTHER_QUANTITIES_AFTER_RE = re.compile(r"^chave de acesso:$", re.IGNORECASE)
#: What a line the anchor matches holds once lower-cased (letters without other case-insensitive matches
#: than their capitals): a substring test skips the pattern on the page's other lines.
_FIRST_QUANTITY_LITERAL = "/nf3e/con"
_OTHER_QUANTITIES_LITERAL = "chave de ac"


@dataclass(frozen=True)
class _Row:
    description: str
    values: tuple[str, ...] = ()


def parse_items(text: str) -> tuple[LineItem, ...]:
    start = _TABLE_START_RE.search(text)
    if start is None:
        return ()
    lines = [line.strip() for line in text[start.end() :].splitlines() if line.strip()]
    count = next((index for index, line in enumerate(lines) if _NUMBER_ROW_RE.match(line)), len(lines))
    descriptions = [fold_spaces(line) for line in lines[:count]]
    value_lines = iter(lines[count:])
    rows = [
        _Row(description) if description == SECTION_HEADER else _Row(description, tuple(next(value_lines, "").split()))
        for description in descriptions
    ]
    printed = [row for row in matricula_print_order(rows) if row.description != SECTION_HEADER]
    all_lines = [line.strip() for line in text.splitlines()]
    quantities = _quantities(all_lines, sum(1 for row in printed if _unit_price(row) is not None))
    items = []
    for row in printed:
        price = _unit_price(row)
        quantity = quantities.pop(0) if price is not None and quantities else None
        items.append(
            LineItem(
                description=row.description,
                amount=parse_decimal(row.values[1] if price is not None else row.values[0]),
                unit="kWh" if price is not None else None,
                quantity=quantity,
                unit_price=parse_decimal(price) if price is not None else None,
                kind=item_kind(row.description),
            )
        )
    return tuple(items)


def _unit_price(row: _Row) -> str | None:
    if len(row.values) >= 2 and _UNIT_PRICE_RE.match(row.values[0]):
        return row.values[0]
    return None


def _quantities(lines: Sequence[str], count: int) -> list[Decimal]:
    """The priced rows' quantities in print order: the first row's, then the others'."""
    if count == 0:
        return []
    first = _numbers_after(lines, _FIRST_QUANTITY_AFTER_RE, _FIRST_QUANTITY_LITERAL)[:1]
    others = _numbers_after(lines, _OTHER_QUANTITIES_AFTER_RE, _OTHER_QUANTITIES_LITERAL)
    return [parse_decimal(value) for value in (first + others)[:count]]


def _numbers_after(lines: Sequence[str], anchor_re: re.Pattern[str], literal: str) -> list[str]:
    """The quantity lines after the anchor line, past the bare unit labels PDFium reads between."""
    anchor = next(
        (index for index, line in enumerate(lines) if literal in line.lower() and anchor_re.search(line)), None
    )
    if anchor is None:
        return []
    found = []
    for line in lines[anchor + 1 :]:
        if line == "KWH":
            continue
        match = _QUANTITY_RE.match(line)
        if match is None:
            break
        found.append(match.group(1))
    return found
