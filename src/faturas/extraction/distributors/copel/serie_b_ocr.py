"""The item table of COPEL's "SÉRIE B" bill as OCR reads it: one row per line, not one column at a time.

OCR rebuilds rows across the page, so the consumption history printed to the left of the table
opens some rows ("07/2021 100 12/08/2021 79,88 ENERGIA CONS B … 93,22 0,00 0,00%"): it is cut off
before the row is read. A row is a description, then optionally the unit, the kWh and the six-decimal
tariff, the amount, and the ICMS base and rate on taxed rows.
"""

from __future__ import annotations

import re

from faturas.domain.invoice import ItemKind, LineItem
from faturas.errors import FieldsMissing
from faturas.extraction.distributors.copel.serie_b_items import (
    TEMPLATE,
    IcmsColumns,
    ItemsTable,
    is_metered,
    item_kind,
)
from faturas.extraction.numbers import fold_spaces, parse_decimal

_MONEY = r"-?\d{1,3}(?:\.\d{3})*,\d{2}-?"
_TABLE_RE = re.compile(
    r"Descri..o[ \t]+Un\.[ \t]+Consumo\b.*?$(.*?)^(?:Tarifas\b|Base de C.lculo do ICMS)", re.MULTILINE | re.DOTALL
)
#: A history row ("07/2021 100 12/08/2021 79,88"), the payment date missing on unpaid months.
_HISTORY_RE = re.compile(rf"^\d{{2}}/\d{{4}}[ \t]+\d+(?:[ \t]+\d{{2}}/\d{{2}}/\d{{4}})?[ \t]+{_MONEY}(?:[ \t]+|$)")
_ROW_RE = re.compile(
    rf"^(?P<description>[A-Z][A-Z0-9 ./-]*?[A-Z0-9])"
    r"(?:[ \t]+(?P<unit>kWh|kVArh))?(?:[ \t]+(?P<quantity>\d{1,3}(?:\.\d{3})*|\d+))?(?:[ \t]+(?P<tariff>\d+,\d{6}))?"
    rf"[ \t]+(?P<amount>{_MONEY})(?:[ \t]+(?P<base>{_MONEY})[ \t]+(?P<rate>\d{{1,2}},\d{{2}})%)?[ \t]*$"
)


def parse_items_ocr(text: str) -> ItemsTable:
    table = _TABLE_RE.search(text)
    if table is None:
        raise FieldsMissing(["items"], TEMPLATE)
    items: list[LineItem] = []
    icms: list[IcmsColumns] = []
    for line in table.group(1).splitlines():
        row = _ROW_RE.match(_HISTORY_RE.sub("", line.strip()))
        if row is None:
            continue
        description = fold_spaces(row["description"])
        quantity = parse_decimal(row["quantity"]) if row["quantity"] else None
        tariff = parse_decimal(row["tariff"]) if row["tariff"] else None
        # Only metered rows and compensation rows (kWh without a tariff) print a quantity.
        if quantity is not None and tariff is None and item_kind(description) is not ItemKind.COMPENSATED:
            description, quantity = f"{description} {row['quantity']}", None
        metered = quantity is not None or is_metered(description)
        items.append(
            LineItem(description, parse_decimal(row["amount"]), "kWh" if metered else None, quantity, tariff,
                     item_kind(description))
        )  # fmt: skip
        if row["base"] and row["rate"]:
            icms.append(IcmsColumns(parse_decimal(row["base"]), parse_decimal(row["rate"])))
    if not items:
        raise FieldsMissing(["items"], TEMPLATE)
    return ItemsTable(tuple(items), tuple(icms))
