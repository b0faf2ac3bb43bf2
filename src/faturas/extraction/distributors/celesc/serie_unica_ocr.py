"""CELESC's 2023 "SÉRIE ÚNICA" bill as OCR reads it: rows across the page instead of column runs.

OCR rows run from the measurement box on the left ("Data da leitura atual:\t16/08/2023") into the
billing table on its right ("Energia Injetada Tusd\t-250\t0,310000\t-77,50"), and a tariff printed
a little high or low lands on a line of its own. So each row's item is its last cell starting with
a letter, and its numbers are told apart by their shape, not their order: a whole quantity, a
six-decimal tariff, a two-decimal amount. Validation's sums then confirm or flag the result.
"""

from __future__ import annotations

import re

from faturas.domain.invoice import LineItem
from faturas.errors import FieldsMissing
from faturas.extraction.distributors.celesc.common import item_kind
from faturas.extraction.numbers import NUMBER, parse_decimal

TEMPLATE = "celesc.serie_unica"

_DATE = r"(\d{2}/\d{2}/\d{4})"
_S = r"[ \t]+"

#: The layout heading, its "ELÉTRICA" often misread ("ELÉTFIICA").
HEADING_RE = re.compile(r"NOTA FISCAL/CONTA DE ENERGIA EL\S{3,7} - S.RIE", re.IGNORECASE)
#: The slip row: document date, reference number, processing date, unit, month, amount.
SLIP_ROW_RE = re.compile(
    rf"^{_DATE}{_S}\S+{_S}{_DATE}{_S}(?P<installation>\d+){_S}(?P<month>\d{{2}}/\d{{4}}){_S}(?P<total>{NUMBER})[ \t]*$",
    re.MULTILINE,
)
#: The first row under a "… VENCIMENTO" heading row whose last cell is a date (the slip's due date).
DUE_RE = re.compile(rf"VENCIMENTO[ \t]*\n(?:[^\n]*\t)?{_DATE}[ \t]*$", re.MULTILINE)
PRINTED_KWH_RE = re.compile(rf"CONSUMO TOTAL FATURADO[ \t]*\n(?:[^\n]*\t)?({NUMBER}) kWh", re.IGNORECASE)

_TABLE_RE = re.compile(r"^Dados do Faturamento\b.*?$(.*?)^(?:Composi|HIST.RICO)", re.MULTILINE | re.DOTALL)
_QUANTITY_RE = re.compile(r"-?\d{1,3}(?:\.\d{3})*")
_TARIFF_RE = re.compile(r"-?\d+,\d{6}")
_AMOUNT_RE = re.compile(r"-?\d{1,3}(?:\.\d{3})*,\d{2}")
_NUMBERS_RE = re.compile(r"^[\d.,\s-]+$")
_INJECTED_RE = re.compile(r"\binjetad", re.IGNORECASE)


def parse_items_ocr(text: str) -> tuple[LineItem, ...]:
    table = _TABLE_RE.search(text)
    if table is None:
        raise FieldsMissing(["items"], TEMPLATE)
    lines = [line.strip() for line in table.group(1).splitlines() if line.strip()]
    items = []
    for index, line in enumerate(lines):
        cells = line.split("\t")
        start = next((i for i in range(len(cells) - 1, -1, -1) if cells[i][:1].isalpha()), None)
        if start is None or not _is_description(cells[start]):
            continue
        numbers = " ".join(cells[start + 1 :]).split()
        if numbers and numbers[0] and _QUANTITY_RE.fullmatch(numbers[0]) and len(numbers) < 3:
            following = lines[index + 1] if index + 1 < len(lines) else ""
            if _NUMBERS_RE.match(following):
                numbers += following.split()
        item = _item(cells[start].strip(), numbers)
        if item is not None:
            items.append(item)
    if not items:
        raise FieldsMissing(["items"], TEMPLATE)
    return tuple(items)


def _is_description(cell: str) -> bool:
    # Labels of the measurement box end with a colon; subtotal rows are not items.
    return not cell.rstrip().endswith(":") and not cell.lower().startswith("subtotal")


def _item(description: str, numbers: list[str]) -> LineItem | None:
    """The item when its numbers are one amount, or one quantity, one tariff and one amount."""
    quantities = [n for n in numbers if _QUANTITY_RE.fullmatch(n)]
    tariffs = [n for n in numbers if _TARIFF_RE.fullmatch(n)]
    amounts = [n for n in numbers if _AMOUNT_RE.fullmatch(n)]
    if len(amounts) != 1 or len(quantities) + len(tariffs) + 1 != len(numbers):
        return None
    amount = parse_decimal(amounts[0])
    if not quantities and not tariffs:
        return LineItem(description, amount, None, None, None, item_kind(description))
    if len(quantities) != 1 or len(tariffs) != 1:
        return None
    quantity, tariff = parse_decimal(quantities[0]), parse_decimal(tariffs[0])
    if _INJECTED_RE.search(description):
        # Injected energy is credited: the bill prints it negative, and OCR loses small minus signs.
        quantity, amount = -abs(quantity), -abs(amount)
    return LineItem(description, amount, "kWh", quantity, abs(tariff), item_kind(description))
