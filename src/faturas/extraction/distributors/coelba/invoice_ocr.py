"""A COELBA invoice page as OCR reads it: the item table after its heading, row by row or column by column.

The text layer prints the items first on the page; OCR reads them where they stand, under
"DESCRIÇÃO DA NOTA FISCAL … VALOR(R$)" and above "Tarifas Aplicadas". Read box by box, the table
comes back one column at a time (the descriptions, then the quantities, the prices, the amounts),
so its numbers are told apart by their shape: a quantity prints seven decimals, a price eight, an
amount two. Validation's sums and quantity × price then confirm or flag the read.
"""

from __future__ import annotations

import re
from decimal import Decimal

from faturas.domain.invoice import LineItem
from faturas.errors import FieldsMissing
from faturas.extraction.distributors.coelba.invoice_tables import item_kind
from faturas.extraction.numbers import parse_decimal

TEMPLATE = "coelba.invoice"

#: The heading's bars are dropped by OCR normalisation (they look like table rules).
INVOICE_HEADING_OCR_RE = re.compile(r"NOTA FISCAL\s*\|?\s*FATURA\s*\|?\s*CONTA DE ENERGIA EL.TRICA")
#: "MÊS/ANO" with its accent misread ("MÉÊS/ANO"), the value a few rows below on its own cell.
SUMMARY_MONTH_OCR_RE = re.compile(
    r"M\S{1,2}S/ANO[ \t]*\n(?:[^\n]*\n){0,4}?(?:[^\n]*\t)?(\d{2}/\d{2})[ \t]*$", re.MULTILINE
)

#: From the heading's last column ("VALOR(R$)", its "R$" often misread) to the tariffs box below.
_TABLE_RE = re.compile(
    r"^DESCRI..O DA NOTA FISCAL\b.*?\bVALOR\([^)\n]{1,3}\)[ \t]*$(.*?)^Tarifas Aplicadas", re.M | re.S
)
#: Quantities print seven decimals; a run of digits longer than that is a quantity whose comma OCR lost.
QUANTITY_DECIMALS = 7
_QUANTITY_RE = re.compile(r"-?\d{1,3}(?:\.\d{3})*,\d{7}")
_COMMA_LOST_RE = re.compile(r"\d{8,11}")
_PRICE_RE = re.compile(r"-?\d+,\d{8}")
_AMOUNT_RE = re.compile(r"-?\d{1,3}(?:\.\d{3})*,\d{2}")
#: COELBA prints the reactive unit in capitals, "(kVARh)"; OCR normalisation folds every spelling to "kVArh".
_REACTIVE_UNIT_RE = re.compile(r"\(kVArh\)")
_UNIT_RE = re.compile(r"\((kWh|kVARh|kVArh)\)", re.IGNORECASE)


def label_value_ocr(label: str, text: str) -> str | None:
    """The value below a label whose box corner OCR read as a bracket ("[DATA DE VENCIMENTO")."""
    match = re.search(rf"^[\[|]?{label}[ \t]*\n[ \t]*(\S.*?)[ \t]*$", text, re.MULTILINE)
    return match.group(1) if match else None


def parse_items_ocr(text: str) -> tuple[LineItem, ...]:
    rows: list[tuple[str, list[str]]] = []
    loose: list[str] = []
    for page in text.split("\f"):
        table = _TABLE_RE.search(page)
        if table is None:
            continue
        for line in table.group(1).splitlines():
            tokens = line.split()
            # The description is what comes before the run of numbers that ends the line.
            start = len(tokens)
            while start > 0 and _shape(tokens[start - 1]):
                start -= 1
            if start:
                description = _REACTIVE_UNIT_RE.sub("(kVARh)", " ".join(tokens[:start]))
                rows.append((description, tokens[start:]))
            else:
                loose.extend(tokens)
    if not rows:
        raise FieldsMissing(["items"], TEMPLATE)
    if all(numbers for _, numbers in rows):
        if loose:
            raise FieldsMissing(["items"], TEMPLATE)
        items = [_item(description, numbers) for description, numbers in rows]
    else:
        items = _from_columns([description for description, _ in rows], [n for _, row in rows for n in row] + loose)
    if any(item is None for item in items):
        raise FieldsMissing(["items"], TEMPLATE)
    return tuple(item for item in items if item is not None)


def _shape(cell: str) -> str | None:
    for name, pattern in (("quantity", _QUANTITY_RE), ("price", _PRICE_RE), ("amount", _AMOUNT_RE)):
        if pattern.fullmatch(cell):
            return name
    if _COMMA_LOST_RE.fullmatch(cell):
        return "quantity"
    return None


def _quantity(printed: str, price: str, amount: str) -> Decimal | None:
    """The quantity; one whose comma OCR lost ("7370000000") only when quantity × price gives the amount."""
    if not _COMMA_LOST_RE.fullmatch(printed):
        return parse_decimal(printed)
    quantity = parse_decimal(f"{printed[:-QUANTITY_DECIMALS]},{printed[-QUANTITY_DECIMALS:]}")
    if abs(quantity * parse_decimal(price) - parse_decimal(amount)) > Decimal("0.01"):
        return None
    return quantity


def _item(description: str, numbers: list[str]) -> LineItem | None:
    shapes = [_shape(number) for number in numbers]
    if shapes == ["amount"]:
        return _line(description, None, None, numbers[0])
    if shapes == ["quantity", "price", "amount"]:
        return _line(description, *numbers)
    return None


def _from_columns(descriptions: list[str], numbers: list[str]) -> list[LineItem | None]:
    """Columns read one after another: the metered rows (with quantity and price) are printed first."""
    by_shape: dict[str | None, list[str]] = {"quantity": [], "price": [], "amount": []}
    for number in numbers:
        by_shape[_shape(number)].append(number)
    quantities, prices, amounts = by_shape["quantity"], by_shape["price"], by_shape["amount"]
    if len(quantities) != len(prices) or len(amounts) != len(descriptions) or len(quantities) > len(descriptions):
        return [None]
    metered = len(quantities)
    return [
        _line(
            description,
            quantities[index] if index < metered else None,
            prices[index] if index < metered else None,
            amounts[index],
        )
        for index, description in enumerate(descriptions)
    ]


def _line(description: str, quantity: str | None, price: str | None, amount: str) -> LineItem | None:
    unit = _UNIT_RE.search(description) if quantity else None
    value = _quantity(quantity, price, amount) if quantity and price else None
    if quantity and value is None:
        return None
    return LineItem(
        description=description,
        amount=parse_decimal(amount),
        unit=None if unit is None else ("kWh" if unit.group(1).lower() == "kwh" else "kVArh"),
        quantity=value,
        unit_price=parse_decimal(price) if price else None,
        kind=item_kind(description),
    )
