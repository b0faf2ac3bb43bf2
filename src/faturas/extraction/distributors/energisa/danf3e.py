"""Energisa's portrait DANF3E, whose field labels are drawn as graphics.

Only the values are in the text layer, so each field is found by its shape and its neighbours:
the headline row "MAR/2025 22/04/2025 R$ 1.208,40" (month, due date, total), the client code
"3/1234567-8" with the installation code on the next line, the holder's name above the ICMS rates.
"""

from __future__ import annotations

import re

from faturas.domain.invoice import Invoice, MeterReading, ReadingDates
from faturas.extraction.common_fields import find_access_key
from faturas.extraction.distributors.energisa.bank_slip import payment_codes
from faturas.extraction.distributors.energisa.common import (
    DISTRIBUTOR_NAME,
    class_and_subclass,
    compensated_kwh,
    energy_kwh,
    meter_reading,
    public_lighting_amount,
    supply_type,
    tariff_modality,
)
from faturas.extraction.distributors.energisa.danf3e_history import parse_history
from faturas.extraction.distributors.energisa.danf3e_items import parse_items
from faturas.extraction.distributors.energisa.ocr_form import read_ocr_form
from faturas.extraction.distributors.energisa.taxes import danf3e_taxes
from faturas.extraction.numbers import NUMBER, fold_spaces, parse_date, parse_decimal, parse_reference_month
from faturas.extraction.pdf_text import PdfText
from faturas.extraction.text_search import find, line_start, require

TEMPLATE = "energisa.danf3e"

_DATE = r"\d{2}/\d{2}/\d{4}"
_HEADLINE_RE = re.compile(rf"^([A-Z]{{3}}/\d{{4}})\s+({_DATE})\s+R\$\s*({NUMBER})\s*$", re.MULTILINE)
_CLIENT_RE = re.compile(r"^(\d{1,3}/\d+-\d)\s*$")
_INSTALLATION_RE = re.compile(r"^([0-9A-Z]{6,})\s*$")
_NOTA_FISCAL_RE = re.compile(r"NOTA FISCAL N.\s*([\d.]+)")
_SERIES_RE = re.compile(line_start("- S") + r".RIE ?:\s*(\w+)", re.MULTILINE)
_ISSUE_DATE_RE = re.compile(rf"^({_DATE})\s*\n(?:Valor|TOTAL)", re.MULTILINE)
#: "10/02/2025 00:00:00 12/03/2025 00:00:0030 11/04/2025": previous, current, days, next reading.
_READING_DATES_RE = re.compile(rf"^({_DATE}) [\d:]{{8}} ({_DATE}) [\d:]{{8}}(\d+) ({_DATE})\s*$", re.MULTILINE)
_METER_RE = re.compile(rf"^(\S+) (kWh)\s*$(?:.*\n)*?^Total ((?:{NUMBER} ?){{4}})\s*$", re.MULTILINE)
_MODALITY_RE = re.compile(line_start("MTC-") + r".*$", re.MULTILINE)
_AUTOMATIC_DEBIT_RE = re.compile(r"D.BITO AUTOM.TICO UTILIZANDO O C.DIGO:\s*(\d+)")
_HOLDER_RE = re.compile(line_start("PAGADOR:") + r"\s*(.+?)\s+CNPJ/CPF", re.MULTILINE)
_SMALL_NUMBER_RE = re.compile(r"^\d{1,2}$")
#: OCR reads the series in its row ("NOTA FISCAL Nº 012.345.678 - SÉRIE :001") and may lose the accent
#: of the other form's "MATRÍCULA:".
_OCR_SERIES_RE = re.compile(r"NOTA FISCAL N.*- S.RIE ?:")
_OCR_MATRICULA_RE = re.compile(r"MATR.CULA:")


class Danf3eLayout:
    name = TEMPLATE

    def matches(self, document: PdfText) -> bool:
        text = document.text
        if document.from_ocr:
            return (
                "ITENS DA FATURA" in text
                and _OCR_SERIES_RE.search(text) is not None
                and _OCR_MATRICULA_RE.search(text) is None
            )
        return "ITENS DA FATURA" in text and _SERIES_RE.search(text) is not None and "MATRÍCULA:" not in text

    def extract(self, document: PdfText) -> Invoice:
        if document.from_ocr:
            return read_ocr_form(document, TEMPLATE)
        text = document.text
        lines = [line.strip() for line in text.splitlines()]
        headline = _HEADLINE_RE.search(text)
        client_index = next((index for index, line in enumerate(lines) if _CLIENT_RE.match(line)), None)
        installation = None
        if client_index is not None and client_index + 1 < len(lines):
            installation = find(_INSTALLATION_RE, lines[client_index + 1])
        fields = require(
            TEMPLATE,
            client_number=lines[client_index] if client_index is not None else None,
            installation_number=installation,
            reference_month=headline.group(1) if headline else None,
            due_date=headline.group(2) if headline else None,
            total_amount=headline.group(3) if headline else None,
        )
        total = parse_decimal(fields["total_amount"])
        items = parse_items(lines, total)
        issue = find(_ISSUE_DATE_RE, text)
        modality = find(_MODALITY_RE, text, group=0) or ""
        customer_class, subclass = class_and_subclass(text)
        payment_line, barcode = payment_codes(text)
        return Invoice(
            distributor=DISTRIBUTOR_NAME,
            layout=TEMPLATE,
            installation_number=fields["installation_number"],
            client_number=fields["client_number"],
            reference_month=parse_reference_month(fields["reference_month"]),
            due_date=parse_date(fields["due_date"]),
            total_amount=total,
            items=items,
            energy_kwh=energy_kwh(items),
            compensated_kwh=compensated_kwh(items),
            public_lighting_amount=public_lighting_amount(items),
            holder_name=_holder(text, lines, client_index),
            access_key=find_access_key(text),
            nota_fiscal_number=find(_NOTA_FISCAL_RE, text),
            nota_fiscal_series=find(_SERIES_RE, text),
            issue_date=parse_date(issue) if issue else None,
            payment_line=payment_line,
            barcode=barcode,
            automatic_debit_code=find(_AUTOMATIC_DEBIT_RE, text),
            customer_class=customer_class,
            subclass=subclass,
            tariff_modality=tariff_modality(modality),
            supply_type=supply_type(modality),
            reading_dates=_reading_dates(text),
            meter_readings=_meter_readings(text),
            taxes=danf3e_taxes(document.pages[0]),
            consumption_history=parse_history(text),
        )


def _holder(text: str, lines: list[str], client_index: int | None) -> str | None:
    """The payer on the bank slip, or else the name above the ICMS rates that precede the client code."""
    payer = find(_HOLDER_RE, text)
    if payer:
        return fold_spaces(payer)
    if client_index is None:
        return None
    index = client_index - 1
    while index > 0 and _SMALL_NUMBER_RE.match(lines[index]):
        index -= 1
    return lines[index] or None if index < client_index - 1 else None


def _reading_dates(text: str) -> ReadingDates | None:
    match = _READING_DATES_RE.search(text)
    if match is None:
        return None
    previous, current, days, following = match.groups()
    return ReadingDates(parse_date(previous), parse_date(current), int(days), parse_date(following))


def _meter_readings(text: str) -> tuple[MeterReading, ...]:
    match = _METER_RE.search(text)
    if match is None:
        return ()
    return (meter_reading(match.group(1), "Energia kWh", match.group(3).split()),)


LAYOUT = Danf3eLayout()
