"""CEMIG's DANF3E page (2023 on), also in its Jan/Feb 2023 "NOTA FISCAL Nº … - SÉRIE U" transition form."""

from __future__ import annotations

import re
from decimal import Decimal

from faturas.domain.invoice import Invoice, LineItem, ValidationWarning
from faturas.extraction.common_fields import find_access_key
from faturas.extraction.distributors.cemig import common, details
from faturas.extraction.distributors.cemig.common import DATE, DISTRIBUTOR_NAME, N
from faturas.extraction.numbers import fold_spaces, parse_date, parse_decimal, parse_reference_month
from faturas.extraction.pdf_text import PdfText
from faturas.extraction.text_search import find, require

TEMPLATE = "cemig.danf3e"

#: Matched over "\n" + text, as details' rows are: a match starts where the multi-line "^" one did,
#: and ends one character later.
_ITEMS_HEADER_RE = re.compile(r"\nItens da Fatura\b.*\n(?:[ \t]*ICMS[ \t]+ICMS[ \t]*\n)?")
_TOTAL_RE = re.compile(rf"\n[ \t]*TOTAL[ \t]+({N})\b")
#: Energy rows: description, unit, quantity, unit price, amount, then optional tax columns.
_ENERGY_ROW_RE = re.compile(rf"^(.+?)[ \t]+(kWh|kVArh)[ \t]+({N})[ \t]+({N})[ \t]+({N})(?:[ \t]+{N})*[ \t]*$")
#: Other rows: a description, then the amount, possibly followed by the tax columns and the tariff.
_OTHER_ROW_RE = re.compile(rf"^(.+?)((?:[ \t]+{N})+)[ \t]*$")
_TARIFF_RE = re.compile(r"-?\d+,\d{6,}")
#: Amount, PIS/COFINS, ICMS base, ICMS rate, ICMS.
_TAXED_COLUMNS = 5
_NOTA_FISCAL_RE = re.compile(r"NOTA FISCAL N. ?(\d+) - S.RIE (\S+)")
_ISSUE_RE = re.compile(rf"Data de emiss.o: ({DATE})")
#: A quantity is computed from tariff and amount only when a kWh more or less would miss by a cent or more.
_MIN_TARIFF = Decimal("0.02")
_CENT = Decimal("0.01")


class Danf3eLayout:
    name = TEMPLATE

    def matches(self, document: PdfText) -> bool:
        lined = "\n" + document.text
        return _ITEMS_HEADER_RE.search(lined) is not None and _TOTAL_RE.search(lined) is not None

    def extract(self, document: PdfText) -> Invoice:
        text = document.text
        lined = "\n" + text
        client, installation = common.client_and_installation(document)
        headline = common.find_headline(document)
        fields = require(
            TEMPLATE,
            client_number=client,
            installation_number=installation,
            reference_month=headline.group(1) if headline else None,
            due_date=headline.group(2) if headline else None,
            total_amount=find(_TOTAL_RE, lined),
        )
        items, computed = _parse_rows(text, document.from_ocr)
        figures = common.kwh_figures(items)
        nota_fiscal = _NOTA_FISCAL_RE.search(text)
        issue = find(_ISSUE_RE, text)
        issue_date = parse_date(issue) if issue else None
        due_date = parse_date(fields["due_date"])
        rows = details.CLASS_ROWS_RE.search(lined)
        classification = details.classification(rows["first"], rows["second"]) if rows else None
        payment_line, barcode = common.payment_fields(text)
        near = issue_date or due_date
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
            nota_fiscal_number=nota_fiscal.group(1) if nota_fiscal else None,
            nota_fiscal_series=nota_fiscal.group(2) if nota_fiscal else None,
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
            warnings=_computed_warning(computed),
        )


def _computed_warning(descriptions: tuple[str, ...]) -> tuple[ValidationWarning, ...]:
    if not descriptions:
        return ()
    message = "Quantidade não lida pelo OCR, calculada pela tarifa e pelo valor em: " + "; ".join(descriptions) + "."
    return (ValidationWarning("ocr_quantity_computed", message, ("items",)),)


def parse_items(text: str) -> tuple[LineItem, ...]:
    """Every row between the table header and TOTAL: lines after TOTAL ("Bandeira … Já Incluído") are not items."""
    return _parse_rows(text, ocr=False)[0]


def _parse_rows(text: str, ocr: bool) -> tuple[tuple[LineItem, ...], tuple[str, ...]]:
    """The items, and (OCR only) the descriptions of those whose quantity was computed, not read."""
    lined = "\n" + text
    header = _ITEMS_HEADER_RE.search(lined)
    if header is None:
        return (), ()
    start = header.end() - 1  # in ``text``
    total = _TOTAL_RE.search(lined, start)  # at a "\n" at ``start`` or later: a line of ``text`` from ``start`` on
    block = text[start : total.start() if total else len(text)]
    items, computed = [], []
    for line in block.split("\n"):
        row = line.strip()
        if energy := _ENERGY_ROW_RE.match(row):
            description, unit, quantity, price, amount = energy.groups()
            if ocr and _TARIFF_RE.fullmatch(quantity) and not _TARIFF_RE.fullmatch(price):
                # OCR lost a one-digit quantity ("kWh\t0,74906000\t-5,24\t0,74906000"): tariff and amount
                # shifted left. The quantity is the whole number of kWh that the tariff prices at the amount.
                quantity, price, amount = whole_quantity(quantity, price), quantity, price
                computed.append(fold_spaces(description))
            items.append(common.make_item(description, amount, unit, quantity, price))
        elif other := _OTHER_ROW_RE.match(row):
            items.append(_other_item(other.group(1), other.group(2).split()))
    return tuple(items), tuple(computed)


def whole_quantity(tariff: str, amount: str) -> str | None:
    """The one whole kWh count that ``tariff`` prices at ``amount`` to the cent, or None."""
    price, value = parse_decimal(tariff), abs(parse_decimal(amount))
    if price < _MIN_TARIFF:
        return None
    count = (value / price).to_integral_value()
    if count <= 0 or abs(count * price - value) > _CENT / 2:
        return None
    return str(count)


def _other_item(description: str, numbers: list[str]) -> LineItem:
    """Split the trailing numbers: those a fee's name ends in ("Lei 10438"), then the amount and its columns."""
    columns = numbers[:-1] if len(numbers) > 1 and _TARIFF_RE.fullmatch(numbers[-1]) else numbers
    # With tax columns the amount is the fifth number from the end; otherwise it is the last.
    position = len(columns) - _TAXED_COLUMNS if len(columns) >= _TAXED_COLUMNS else len(columns) - 1
    name = " ".join([description, *numbers[:position]])
    return common.make_item(name, numbers[position])


LAYOUT = Danf3eLayout()
