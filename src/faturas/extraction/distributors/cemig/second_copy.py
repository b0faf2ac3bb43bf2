"""CEMIG's 2021–22 "2ª VIA - CONTA DE ENERGIA ELÉTRICA": no TOTAL row, the unit inside the description."""

from __future__ import annotations

import re

from faturas.domain.invoice import Invoice, LineItem
from faturas.extraction.common_fields import find_access_key
from faturas.extraction.distributors.cemig import common, details
from faturas.extraction.distributors.cemig.common import DISTRIBUTOR_NAME, N
from faturas.extraction.numbers import parse_date, parse_decimal, parse_reference_month
from faturas.extraction.pdf_text import PdfText
from faturas.extraction.text_search import require

TEMPLATE = "cemig.segunda_via"

_ITEMS_HEADER_RE = re.compile(r"^Descri..o[ \t]+Quantidade[ \t]+Tarifa/Pre.o.*$", re.MULTILINE)
#: The items end where the applied tariffs (not billed lines) begin.
_ITEMS_END_RE = re.compile(r"^[ \t]*(?:Tarifas Aplicadas|Adicional Bandeiras|Hist.rico de Consumo)", re.M | re.I)
#: OCR rows run across the page: the left column's text, then a tab, then the table's cells.
_OCR_ITEMS_HEADER_RE = re.compile(r"(?:^|\t)Descri..o[ \t]+Quantidade[ \t]+Tarifa/Pre.o[^\n]*$", re.MULTILINE)
_OCR_ITEMS_END_RE = re.compile(r"(?:^|\t)(?:Tarifas Aplicadas|Adicional Bandeiras|Hist.rico de Consumo)", re.M | re.I)
_NUMBER_CELL_RE = re.compile(rf"{N}")
_SECTION_RE = re.compile(r"^Encargos ?/ ?Cobran.as$", re.IGNORECASE)
ROW_WITH_QUANTITY_RE = re.compile(rf"^(.+?)[ \t]+({N})[ \t]+({N})[ \t]+({N})[ \t]*$")
ROW_RE = re.compile(rf"^(.+)[ \t]+({N})[ \t]*$")
_TARIFF_RE = re.compile(r"-?\d+,\d{6,}")


class SecondCopyLayout:
    name = TEMPLATE

    def matches(self, document: PdfText) -> bool:
        text = document.text
        # The items header is this form's own; the "2ª VIA" title is missing on a first copy.
        header = _OCR_ITEMS_HEADER_RE if document.from_ocr else _ITEMS_HEADER_RE
        return header.search(text) is not None

    def extract(self, document: PdfText) -> Invoice:
        text = document.text
        client, installation = common.client_and_installation(document)
        headline = common.find_headline(document)
        fields = require(
            TEMPLATE,
            client_number=client,
            installation_number=installation,
            reference_month=headline.group(1) if headline else None,
            due_date=headline.group(2) if headline else None,
            total_amount=headline.group(3) if headline else None,
        )
        if document.from_ocr:
            items = parse_items(text, _OCR_ITEMS_HEADER_RE, _OCR_ITEMS_END_RE, from_ocr=True)
        else:
            items = parse_items(text, _ITEMS_HEADER_RE, _ITEMS_END_RE)
        figures = common.kwh_figures(items)
        due_date = parse_date(fields["due_date"])
        rows = details.CLASS_ROWS_RE.search("\n" + text)
        issue_date = parse_date(rows["issue"]) if rows and rows["issue"] else None
        classification = details.classification(rows["first"], rows["second"]) if rows else None
        near = issue_date or due_date
        payment_line, barcode = common.payment_fields(text)
        return Invoice(
            distributor=DISTRIBUTOR_NAME,
            layout=TEMPLATE,
            installation_number=fields["installation_number"],
            client_number=fields["client_number"],
            reference_month=parse_reference_month(fields["reference_month"]),
            due_date=due_date,
            total_amount=parse_decimal(fields["total_amount"]),
            items=items,
            energy_kwh=figures.energy,
            scee_kwh=figures.scee,
            compensated_kwh=figures.compensated,
            public_lighting_amount=figures.public_lighting,
            holder_name=common.holder_name(text),
            access_key=find_access_key(text),
            issue_date=issue_date,
            payment_line=payment_line,
            barcode=barcode,
            automatic_debit_code=common.automatic_debit_code(text),
            customer_class=classification.customer_class if classification else None,
            subclass=classification.subclass if classification else None,
            tariff_modality=classification.tariff_modality if classification else None,
            supply_type=classification.supply_type if classification else None,
            reading_dates=details.reading_dates(rows, near),
            meter_readings=details.meter_readings(text),
            gd_balance_kwh=details.gd_balance_kwh(text),
            tariff_flags=details.tariff_flags(text),
            taxes=details.taxes(text),
            consumption_history=details.consumption_history(text),
        )


def parse_items(
    text: str, start: re.Pattern[str] | int, end: re.Pattern[str], from_ocr: bool = False
) -> tuple[LineItem, ...]:
    """Rows "description [quantity price] amount" from ``start`` (a header or an offset) to ``end``."""
    if isinstance(start, int):
        begin = start
    else:
        header = start.search(text)
        if header is None:
            return ()
        begin = header.end()
    stop = end.search(text, begin)
    block = text[begin : stop.start() if stop else len(text)]
    items = []
    for line in block.split("\n"):
        row = _table_cells(line) if from_ocr else line.strip()
        if not row or _SECTION_RE.match(row):
            continue
        measured = ROW_WITH_QUANTITY_RE.match(row)
        # A measured row prints its unit in the description or an eight-decimal tariff; a fee whose name
        # ends in numbers ("Bônus Itaipu art 21 Lei 10438") has neither.
        if measured and (common.unit_in(measured.group(1)) or _TARIFF_RE.fullmatch(measured.group(3))):
            description, quantity, price, amount = measured.groups()
            items.append(common.make_item(description, amount, common.unit_in(description), quantity, price))
        elif other := ROW_RE.match(row):
            items.append(common.make_item(other.group(1), other.group(2)))
    return tuple(items)


def _table_cells(line: str) -> str:
    """An OCR row without the cells of the column beside the table: from the description, the cell
    before the first number, on. A row with no number is kept whole (a section title)."""
    cells = [cell.strip() for cell in line.split("\t")]
    first_number = next((index for index, cell in enumerate(cells) if _NUMBER_CELL_RE.fullmatch(cell)), None)
    if first_number is None:
        return cells[-1]
    return " ".join(cells[max(0, first_number - 1) :])


LAYOUT = SecondCopyLayout()
