"""The DANF3E's items table, whose text layer prints it column by column.

PDFium reads the descriptions first, then each column of values as a block of lines (ICMS base,
amounts, ICMS, tariff …), then the kWh quantities at the end of the page. The amounts column is
the block of as many values as there are items that adds up to the total.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from faturas.domain.invoice import LineItem
from faturas.extraction.distributors.energisa.common import SECTION_HEADER, item_kind, swapped_first_rows
from faturas.extraction.numbers import NUMBER, fold_spaces, parse_decimal

_AMOUNT_RE = re.compile(r"^-?\d{1,3}(?:\.\d{3})*,\d{2}-?$")
_NUMBER_LINE_RE = re.compile(rf"^(?:{NUMBER})$")
_UNIT_PRICE_RE = re.compile(r"^\d+,\d{5,}$")
_QUANTITY_RE = re.compile(r"^\d{1,3}(?:\.\d{3})+$|^\d+$")
_ACCESS_KEY_LINE_RE = re.compile(r"^\d{4}(?: \d{4}){10}$")
#: The lengths of a line _ACCESS_KEY_LINE_RE matches ("$" also before a closing newline): a length test
#: skips the pattern on the page's other lines.
_ACCESS_KEY_LINE_LENGTHS = (54, 55)
#: Lines PDFium reads between the access key and the first description.
_BOILERPLATE_RE = re.compile(
    r"^(?:EMITIDO EM CONTING|Pendente de Autoriza|Protocolo de Autoriza|[\d\s:/.-]+$)", re.IGNORECASE
)
_END_OF_DESCRIPTIONS_RE = re.compile(rf"^(?:{NUMBER}|PIS/)$")
#: The energy rows, which carry a unit, a quantity and a unit price.
_ENERGY_NAME_RE = re.compile(r"kWh|Consumo|Energia|Injetada|Ajuste", re.IGNORECASE)
#: The company line that follows the quantities at the end of the page.
_COMPANY_RE = re.compile(r"^ENERGISA .*S\.A\.$")
_SERIES_RE = re.compile(r"^- S.RIE ?:")
_ZERO = Decimal(0)


def parse_items(lines: Sequence[str], total: Decimal) -> tuple[LineItem, ...]:
    descriptions, after = _descriptions(lines)
    prices = _leading(lines[after:], _UNIT_PRICE_RE)
    amounts = _amounts(lines, len(descriptions), total)
    if amounts is None:
        return ()
    quantities = _quantities(lines, len(prices))
    energy_rows = [index for index, text in enumerate(descriptions) if _ENERGY_NAME_RE.search(text)]
    priced = dict(zip(energy_rows, zip(quantities, prices, strict=False), strict=False))
    items = []
    for index, (description, amount) in enumerate(zip(descriptions, amounts, strict=True)):
        quantity, price = priced.get(index, (None, None))
        items.append(
            LineItem(
                description=description,
                amount=amount,
                unit="kWh" if quantity is not None else None,
                quantity=parse_decimal(quantity) if quantity is not None else None,
                unit_price=parse_decimal(price) if price is not None else None,
                kind=item_kind(description),
            )
        )
    return tuple(items)


def _descriptions(lines: Sequence[str]) -> tuple[list[str], int]:
    """The item descriptions in print order, and the index of the line after them."""
    start = next(
        (
            index + 1
            for index, line in enumerate(lines)
            if len(line) in _ACCESS_KEY_LINE_LENGTHS and _ACCESS_KEY_LINE_RE.match(line)
        ),
        len(lines),
    )
    while start < len(lines) and _BOILERPLATE_RE.match(lines[start]):
        start += 1
    end = start
    while end < len(lines) and not _END_OF_DESCRIPTIONS_RE.match(lines[end]):
        end += 1
    rows = swapped_first_rows([fold_spaces(line) for line in lines[start:end]])
    return [row for row in rows if row != SECTION_HEADER], end


def _leading(lines: Sequence[str], pattern: re.Pattern[str]) -> list[str]:
    taken = []
    for line in lines:
        if not pattern.match(line):
            break
        taken.append(line)
    return taken


def _amounts(lines: Sequence[str], count: int, total: Decimal) -> list[Decimal] | None:
    """The last run of ``count`` values adding up to the total in the column blocks.

    The ICMS-base column comes first and can add up to the total too; a run of zeros (the ICMS
    column of an untaxed bill) is taken only when nothing else adds up.
    """
    start = next((index + 1 for index, line in enumerate(lines) if line[:3] == "- S" and _SERIES_RE.match(line)), None)
    if start is None or count == 0:
        return None
    values = _leading(lines[start:], _NUMBER_LINE_RE)
    # Each value read once, not once per window it falls in (a value that is no amount is never summed).
    is_amount = [_AMOUNT_RE.match(value) is not None for value in values]
    parsed = [parse_decimal(value) if amount else _ZERO for value, amount in zip(values, is_amount, strict=True)]
    found: list[Decimal] | None = None
    for first in range(len(values) - count + 1):
        if not all(is_amount[first : first + count]):
            continue
        amounts = parsed[first : first + count]
        if sum(amounts, Decimal(0)) != total:
            continue
        if found is None or any(amounts):
            found = amounts
    return found


def _quantities(lines: Sequence[str], count: int) -> list[str]:
    """The last ``count`` quantity lines before the company line that closes the values."""
    if count == 0:
        return []
    end = next(
        (index for index, line in enumerate(lines) if line.startswith("ENERGISA ") and _COMPANY_RE.match(line)), None
    )
    if end is None:
        return []
    start = end
    while start > 0 and _QUANTITY_RE.match(lines[start - 1]):
        start -= 1
    return list(lines[max(start, end - count) : end])
