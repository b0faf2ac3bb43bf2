"""What every CEMIG form prints alike: the identifiers, the addressee, the payment fields and the items."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from faturas.domain.invoice import (
    ItemKind,
    LineItem,
)
from faturas.extraction.common_fields import barcode_from_payment_line, find_payment_line
from faturas.extraction.numbers import (
    NUMBER,
    fold_spaces,
    parse_decimal,
)
from faturas.extraction.pdf_text import PdfText
from faturas.extraction.text_search import find

DISTRIBUTOR_NAME = "CEMIG"

N = rf"(?:{NUMBER})"
DATE = r"\d{2}/\d{2}/\d{4}"
DAY_MONTH = r"\d{2}/\d{2}"

#: Line patterns here open with "\n" and are searched in "\n" + text: a pattern that opens with a
#: multi-line "^" is tried at every position, one that opens with a literal skips ahead to it.
#: "Referente a Vencimento Valor a pagar (R$)" values: " JAN/2024 12/02/2024 123,45".
HEADLINE_RE = re.compile(rf"\n[ \t]*([A-Z]{{3}}/\d{{4}})[ \t]+({DATE})[ \t]+({N})[ \t]*$", re.MULTILINE)
#: OCR rebuilds rows across the page: the address beside the box leads the line ("RUA A 1 JAN/2024 …").
_HEADLINE_OCR_RE = re.compile(rf"(?<!\S)([A-Z]{{3}}/\d{{4}})[ \t]+({DATE})[ \t]+({N})[ \t]*$", re.MULTILINE)
_CLIENT_LABELLED_RE = re.compile(
    r"N. DO CLIENTE[ \t]+N. DA INSTALA..O[ \t]*\n[ \t]*(\d{6,12})[ \t]+(\d{6,12})[ \t]*$", re.M
)
#: OCR rows run across the boxes beside the labels and the numbers ("RUA … 1\t7201234567 3001234567\tEmitida …").
#: The two labels may land on two rows when one box sits a little higher.
_OCR_LABEL = r"N. D[OA] (?:CLIENTE|INSTALA..O)[^\n]*\n"
_CLIENT_OCR_RE = re.compile(
    rf"{_OCR_LABEL}(?:[^\n]*{_OCR_LABEL})?(?:[^\n]*\t)?[ \t]*(\d{{6,12}})[ \t]+(\d{{6,12}})(?![\d,./-])"
)
#: Without labels (2019 form, edited copies): the two numbers alone on a line.
_CLIENT_BARE_RE = re.compile(r"\n[ \t]?(\d{6,12})[ \t]+(\d{6,12})[ \t]*$", re.MULTILINE)
_AUTOMATIC_DEBIT_RE = re.compile(rf"\n[ \t]*(\d{{8,}})[ \t]+\d+[ \t]+{DATE}[ \t]+R\$", re.MULTILINE)
_CITY_LINE_RE = re.compile(r"\n[ \t]*\d{5}-\d{3}[ \t]+\S.*,[ \t]*[A-Z]{2}[ \t]*$", re.MULTILINE)

_SCEE_RE = re.compile(r"^(?:Energia SCEE|En comp\.)", re.IGNORECASE)
_COMPENSATED_RE = re.compile(r"compensada|injetada|\bcomp\.", re.IGNORECASE)
_COMPENSATED_KWH_RE = re.compile(r"compensada|injetada", re.IGNORECASE)
_ENERGY_RE = re.compile(r"^Energia El.trica(?: kWh)?$", re.IGNORECASE)
_LIGHTING_RE = re.compile(r"Ilum", re.IGNORECASE)
_KVARH_RE = re.compile(r"\bkVArh\b", re.IGNORECASE)
_KWH_RE = re.compile(r"\bkWh\b", re.IGNORECASE)
_DIGIT_RE = re.compile(r"\d")
_ROUTING_CODE_RE = re.compile(r"[ \t]+\d+[ \t]*$")
_TWO_LETTERS_RE = re.compile(r"[^\W\d_]{2}")


def item_kind(description: str) -> ItemKind:
    if _SCEE_RE.search(description):
        return ItemKind.SCEE
    if _COMPENSATED_RE.search(description):
        return ItemKind.COMPENSATED
    if _ENERGY_RE.search(description):
        return ItemKind.ENERGY
    if _LIGHTING_RE.search(description):
        return ItemKind.PUBLIC_LIGHTING
    return ItemKind.OTHER


def make_item(
    description: str,
    amount: str,
    unit: str | None = None,
    quantity: str | None = None,
    unit_price: str | None = None,
) -> LineItem:
    text = fold_spaces(description)
    return LineItem(
        description=text,
        amount=parse_decimal(amount),
        unit=unit,
        quantity=parse_decimal(quantity) if quantity is not None else None,
        unit_price=parse_decimal(unit_price) if unit_price is not None else None,
        kind=item_kind(text),
    )


def unit_in(description: str) -> str | None:
    """The unit older forms print inside the description ("Energia Elétrica kWh")."""
    if _KVARH_RE.search(description):
        return "kVArh"
    if _KWH_RE.search(description):
        return "kWh"
    return None


@dataclass(frozen=True)
class KwhFigures:
    energy: Decimal | None
    scee: Decimal | None
    compensated: Decimal | None
    public_lighting: Decimal | None


def kwh_figures(items: Iterable[LineItem]) -> KwhFigures:
    items = tuple(items)

    def total(selected: list[Decimal | None]) -> Decimal | None:
        values = [value for value in selected if value is not None]
        return sum(values, Decimal(0)) if values else None

    return KwhFigures(
        energy=total([item.quantity for item in items if item.kind is ItemKind.ENERGY]),
        scee=total([item.quantity for item in items if item.kind is ItemKind.SCEE]),
        compensated=total(
            [
                abs(item.quantity) if item.quantity is not None else None
                for item in items
                if item.kind is ItemKind.COMPENSATED and _COMPENSATED_KWH_RE.search(item.description)
            ]
        ),
        public_lighting=total([item.amount for item in items if item.kind is ItemKind.PUBLIC_LIGHTING]),
    )


def find_headline(document: PdfText) -> re.Match[str] | None:
    """The reference month, due date and amount under "Referente a  Vencimento  Valor a pagar"."""
    match = HEADLINE_RE.search("\n" + document.text)
    if match is None and document.from_ocr:
        match = _HEADLINE_OCR_RE.search(document.text)
    return match


def client_and_installation(document: PdfText) -> tuple[str | None, str | None]:
    text = document.text
    match = _CLIENT_LABELLED_RE.search(text) or _CLIENT_BARE_RE.search("\n" + text)
    if match is None and document.from_ocr:
        match = _CLIENT_OCR_RE.search(text)
    return (match.group(1), match.group(2)) if match else (None, None)


def holder_name(text: str) -> str | None:
    """The addressee, above the street and the (optional) district over the "CEP CITY, UF" line."""
    match = _CITY_LINE_RE.search("\n" + text)  # its start is the line's start in ``text``
    if match is None:
        return None
    # Only the last three lines above are read: the rest of the bill is not split.
    lines = [line.strip() for line in text[: match.start()].rstrip("\n").rsplit("\n", 3)]
    # The street carries the house number; a district line without digits may sit below it.
    offset = 2 if lines and _DIGIT_RE.search(lines[-1]) else 3
    if len(lines) < offset:
        return None
    # DANF3E bills print a routing code after the name.
    name = fold_spaces(_ROUTING_CODE_RE.sub("", lines[-offset]))
    return name if _TWO_LETTERS_RE.search(name) and not name.endswith(":") else None


def payment_fields(text: str) -> tuple[str | None, str | None]:
    line = find_payment_line(text)
    return line, barcode_from_payment_line(line) if line else None


def automatic_debit_code(text: str) -> str | None:
    return find(_AUTOMATIC_DEBIT_RE, "\n" + text)
