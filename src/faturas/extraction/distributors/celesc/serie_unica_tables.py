"""The column-wise tables of the 2023 CELESC bill: PDFium prints each column as a run of lines."""

from __future__ import annotations

import re
from decimal import Decimal

from faturas.domain.invoice import ConsumptionRecord, LineItem, Tax
from faturas.errors import FieldsMissing
from faturas.extraction.distributors.celesc.common import item_kind
from faturas.extraction.numbers import NUMBER, fold_spaces, parse_decimal, parse_reference_month
from faturas.extraction.text_search import line_start

_NUMBER_LINE_RE = re.compile(rf"^(?:R\$\s*)?({NUMBER})\s*%?$")
_ITEMS_RE = re.compile(line_start("Dados do Faturamento") + r"\b.*?$(.*?)^Composi", re.MULTILINE | re.DOTALL)
_SUBTOTAL_HEADER_RE = re.compile(r"^Subtotal \(R\$\)$", re.IGNORECASE)
_SECTION_HEADER_RE = re.compile(r"^Lan[çc]amentos e Servi[çc]os$", re.IGNORECASE)
_TAXES_RE = re.compile(
    line_start("TRIBUTOS BASE DE C") + r".LCULO\b.*?$(.*?)^RESERVADO AO FISCO", re.MULTILINE | re.DOTALL
)
_TAX_NAME_RE = re.compile(r"^(ICMS|PIS(?:/PASEP)?|COFINS)$")
_HISTORY_RE = re.compile(line_start("HIST") + r".RICO DE CONSUMO DE ENERGIA EL.TRICA - kWh[ \t]*$", re.MULTILINE)
_MONTH_RE = re.compile(r"^[^\W\d_]{3}/\d{4}$")

TEMPLATE = "celesc.serie_unica"


def _lines(block: str) -> list[str]:
    return [line.strip() for line in block.splitlines() if line.strip()]


def _number(line: str) -> Decimal | None:
    match = _NUMBER_LINE_RE.match(line)
    return parse_decimal(match.group(1)) if match else None


def parse_items(text: str) -> tuple[LineItem, ...]:
    """Descriptions, then quantities and tariffs (energy lines only), then amounts, then subtotals.

    The energy lines come first and are the only ones with a quantity and a tariff, so once the
    descriptions (N) and the subtotal headers (M) are counted, the T numbers that follow hold
    K = (T - N - M) / 2 quantities and as many tariffs.
    """
    match = _ITEMS_RE.search(text)
    if match is None:
        raise FieldsMissing(["items"], TEMPLATE)
    lines = _lines(match.group(1))
    subtotals = sum(1 for line in lines if _SUBTOTAL_HEADER_RE.match(line))
    rows = [line for line in lines if not (_SUBTOTAL_HEADER_RE.match(line) or _SECTION_HEADER_RE.match(line))]
    descriptions = []
    while rows and _number(rows[0]) is None:
        descriptions.append(fold_spaces(rows.pop(0)))
    numbers = [_number(line) for line in rows]
    values = [value for value in numbers if value is not None]
    metered, remainder = divmod(len(values) - len(descriptions) - subtotals, 2)
    if None in numbers or remainder or not 0 <= metered <= len(descriptions):
        raise FieldsMissing(["items"], TEMPLATE)
    quantities, tariffs = values[:metered], values[metered : 2 * metered]
    amounts = values[2 * metered : 2 * metered + len(descriptions)]
    items = []
    for index, (description, amount) in enumerate(zip(descriptions, amounts, strict=True)):
        has_quantity = index < metered
        items.append(
            LineItem(
                description=description,
                amount=amount,
                unit="kWh" if has_quantity else None,
                quantity=quantities[index] if has_quantity else None,
                unit_price=tariffs[index] if has_quantity else None,
                kind=item_kind(description),
            )
        )
    return tuple(items)


def parse_taxes(text: str) -> tuple[Tax, ...]:
    """Names, then bases, rates and amounts, one run of lines each (the "R$" lines are labels)."""
    match = _TAXES_RE.search(text)
    if match is None:
        return ()
    lines = [line for line in _lines(match.group(1)) if line != "R$"]
    names = [line for line in lines if _TAX_NAME_RE.match(line)]
    values = [_number(line) for line in lines if not _TAX_NAME_RE.match(line)]
    count = len(names)
    if count == 0 or len(values) != 3 * count:
        return ()
    return tuple(
        Tax(name, values[index], values[count + index], values[2 * count + index]) for index, name in enumerate(names)
    )


def parse_history(text: str) -> tuple[ConsumptionRecord, ...]:
    """The consumption history: month and kWh on alternate lines (the GTP history is not consumption)."""
    match = _HISTORY_RE.search(text)
    if match is None:
        return ()
    lines = _lines(text[match.end() :])
    records = []
    for month, kwh in zip(lines[::2], lines[1::2], strict=False):
        value = _number(kwh)
        if not _MONTH_RE.match(month) or value is None:
            break
        records.append(ConsumptionRecord(parse_reference_month(month), value))
    return tuple(records)
