"""CELESC's DANF3E as OCR reads it: rows across the page, the header boxes split apart.

The text layer prints the headline ("02/2026 10/03/2026 R$ 123,45") on one line and the unit number
above "Cliente:"; OCR rows put the client beside the address and the headline's values under their
labels. The bank slip's own row ("04/02/2026 202602-012345678 0012345678 12345678901 02/2026
10/03/2026 123,45") prints the unit, month, due date and total together, so that row is read instead.
"""

from __future__ import annotations

import re

from faturas.domain.invoice import LineItem
from faturas.extraction.distributors.celesc.danf3e_tables import item_from_row
from faturas.extraction.numbers import NUMBER, fold_spaces

_DATE = r"(\d{2}/\d{2}/\d{4})"
_S = r"[ \t]+"

#: The slip row: issue date, "reference-nota fiscal", unit (zero-padded), our number, month, due date, total.
SLIP_ROW_RE = re.compile(
    rf"^{_DATE}{_S}\d{{6}}-\d+{_S}0*(?P<installation>\d+){_S}\d+{_S}(?P<month>\d{{2}}/\d{{4}}){_S}"
    rf"(?P<due>\d{{2}}/\d{{2}}/\d{{4}}){_S}(?P<total>{NUMBER})[ \t]*$",
    re.MULTILINE,
)
#: The same slip read box by box: its labels, then the month, due date and total one per line.
SLIP_COLUMN_RE = re.compile(
    rf"^Refer.ncia Vencimento[ \t]*\nTotal a Pagar \(R\$\)[ \t]*\n(?P<month>\d{{2}}/\d{{4}})[ \t]*\n"
    rf"(?P<due>\d{{2}}/\d{{2}}/\d{{4}})[ \t]*\n(?P<total>{NUMBER})[ \t]*$",
    re.MULTILINE,
)
#: The highlighted unit box stands at the end of the holder's CPF/CNPJ row, between stray marks
#: OCR takes its border for ("CPF/CNPJ: ***.123.456-**\t[\t12345678\tj"): the slip row, which a
#: paid bill leaves blank, is preferred when printed.
UNIT_BOX_RE = re.compile(r"^CPF/CNPJ:[^\t\n]*(?:\t[^\t\n\w]?\w?)*?\t(\d{6,12})(?:\t[^\t\n\d]{0,2})*$", re.MULTILINE)
#: OCR puts the client box on the address's row.
CLIENT_RE = re.compile(r"\bCliente:[ \t]*(\d+)\b")

#: description, unit, quantity, tariff with taxes, amount, then the tax columns, of which OCR may
#: lose one (a faint "2,77"): three to five are accepted, the amount is checked by the sums.
_ITEM_RE = re.compile(
    rf"^(?P<description>\(\w{{2}}\)[^\t]*?){_S}(?:(?P<unit>[kK][wW]{{1,2}}[hH]|[kK][vV][aA][rR][hH]){_S})?"
    rf"(?P<quantity>\d{{1,3}}(?:\.\d{{3}})*,\d{{3}}){_S}(?P<price>\d+,\d{{6}}){_S}(?P<amount>{NUMBER})(?:{_S}(?:{NUMBER})){{3,5}}$"
)
#: The consumption history printed to the right of the items, glued to their rows by OCR, with a
#: stray mark or two before it ("… 0,351200\tz OUT/25\t214\t32").
_HISTORY_TAIL_RE = re.compile(r"\t(?:\S{1,2} )?[A-Za-z]{3}/\d{2}\b.*$")
#: A box's border read as a short mark after the last column ("… 0,081234\t[2]"); every column
#: of the table prints a decimal comma, so a short cell without one is not a column.
_TRAILING_MARK_RE = re.compile(r"\t[^\t,]{1,3}$")
#: The item codes are hexadecimal ("0D", "0E", "C0"): an O there is a zero.
_CODE_RE = re.compile(r"^\((\w{2})\)")


def parse_items_ocr(text: str) -> tuple[LineItem, ...]:
    items = []
    for line in text.splitlines():
        match = _ITEM_RE.match(_TRAILING_MARK_RE.sub("", _HISTORY_TAIL_RE.sub("", line.strip())))
        if match is None:
            continue
        description = _CODE_RE.sub(_zero_code, fold_spaces(match["description"]))
        items.append(item_from_row(description, match))
    return tuple(items)


def _zero_code(code: re.Match[str]) -> str:
    return f"({code.group(1).replace('O', '0')})"
