"""Energisa's two-page "MATRÍCULA" form ("Agosto / 2025"), GD II micro-generation lines included."""

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
from faturas.extraction.distributors.energisa.matricula_history import parse_history
from faturas.extraction.distributors.energisa.matricula_items import parse_items
from faturas.extraction.distributors.energisa.ocr_form import read_ocr_form
from faturas.extraction.distributors.energisa.taxes import matricula_taxes
from faturas.extraction.numbers import NUMBER, fold_spaces, parse_date, parse_decimal, parse_reference_month
from faturas.extraction.pdf_text import PdfText
from faturas.extraction.text_search import find, find_decimal, line_start, require

TEMPLATE = "energisa.matricula"

_DATE = r"\d{2}/\d{2}/\d{4}"
#: "Janeiro / 2025 15/01/2025 R$ 1.095,00": reference month, due date and total in one row.
#: Patterns opening with "\n" are matched over "\n" + text: the regex engine skips ahead to a literal,
#: where it tries a multi-line "^" at every position.
_HEADLINE_RE = re.compile(rf"\n([^\W\d_]+ ?/ ?\d{{4}}) ({_DATE}) R\$ ({NUMBER})\s*$", re.MULTILINE)
#: "7/7654321-0 NOTA FISCAL Nº: 001.234.567 - Série: 002", below the installation code.
_CLIENT_RE = re.compile(r"\n(\S+)\s*\n(\d{1,3}/\d+-\d) NOTA FISCAL N.: ?([\d.]+) - S.rie: ?(\w+)", re.MULTILINE)
_ISSUE_DATE_RE = re.compile(rf"DATA DE EMISS.O: ?({_DATE})")
#: The key breaks after its tenth group of four digits.
_ACCESS_KEY_RE = re.compile(r"\n((?:\d{4} ){9}\d{4})\s*\n(\d{4})\s*$", re.MULTILINE)
_READING_DATES_RE = re.compile(rf"^({_DATE}) ({_DATE}) (\d+)(?: ({_DATE}))?\s*$", re.MULTILINE)
#: "Y9876543210 Energia ativa em kWh Ponta 5000 6340 1 1340 <legal text>".
_METER_RE = re.compile(r"\n(\S+) (Energia\D+?) ((?:\d+ ){2,3}\d+)(?=\s|$)", re.MULTILINE)
_MODALITY_RE = re.compile(line_start("Classifica") + r"..o: (.+)$", re.MULTILINE)
_SUPPLY_RE = re.compile(line_start("LIGA") + r"..O: ?(\w+)", re.MULTILINE)
_AUTOMATIC_DEBIT_RE = re.compile(r"^(\d{8,}-\d)\s*\nData de Apresenta", re.MULTILINE)
_GD_BALANCE_RE = re.compile(rf"Saldo Acumulado: ?({NUMBER})")
#: The holder's name is two lines under the customer's "Insc. Est.:" label, below the district.
_HOLDER_RE = re.compile(line_start("Insc") + r"\. Est\.:[^\n]*\n.*\n(.+)$", re.MULTILINE)
#: OCR may lose the label's accent ("MATRICULA:") and reads the table's title in any case.
_OCR_MATRICULA_RE = re.compile(r"MATR.CULA:")
_OCR_ITEMS_RE = re.compile(r"Itens da Fatura", re.IGNORECASE)


class MatriculaLayout:
    name = TEMPLATE

    def matches(self, document: PdfText) -> bool:
        text = document.text
        if document.from_ocr:
            return _OCR_MATRICULA_RE.search(text) is not None and _OCR_ITEMS_RE.search(text) is not None
        return "MATRÍCULA:" in text and "Itens da Fatura" in text

    def extract(self, document: PdfText) -> Invoice:
        if document.from_ocr:
            return read_ocr_form(document, TEMPLATE)
        text = document.text
        lined = "\n" + text
        headline = _HEADLINE_RE.search(lined)
        client = _CLIENT_RE.search(lined)
        fields = require(
            TEMPLATE,
            client_number=client.group(2) if client else None,
            installation_number=client.group(1) if client else None,
            reference_month=headline.group(1) if headline else None,
            due_date=headline.group(2) if headline else None,
            total_amount=headline.group(3) if headline else None,
        )
        items = parse_items(text)
        issue = find(_ISSUE_DATE_RE, text)
        customer_class, subclass = class_and_subclass(text)
        payment_line, barcode = payment_codes(text)
        holder = find(_HOLDER_RE, text)
        return Invoice(
            distributor=DISTRIBUTOR_NAME,
            layout=TEMPLATE,
            installation_number=fields["installation_number"],
            client_number=fields["client_number"],
            reference_month=parse_reference_month(fields["reference_month"]),
            due_date=parse_date(fields["due_date"]),
            total_amount=parse_decimal(fields["total_amount"]),
            items=items,
            energy_kwh=energy_kwh(items),
            compensated_kwh=compensated_kwh(items),
            public_lighting_amount=public_lighting_amount(items),
            holder_name=fold_spaces(holder) if holder else None,
            access_key=_access_key(text),
            nota_fiscal_number=client.group(3) if client else None,
            nota_fiscal_series=client.group(4) if client else None,
            issue_date=parse_date(issue) if issue else None,
            payment_line=payment_line,
            barcode=barcode,
            automatic_debit_code=find(_AUTOMATIC_DEBIT_RE, text),
            customer_class=customer_class,
            subclass=subclass,
            tariff_modality=tariff_modality(find(_MODALITY_RE, text) or ""),
            supply_type=supply_type(find(_SUPPLY_RE, text) or ""),
            reading_dates=_reading_dates(text),
            meter_readings=_meter_readings(text),
            gd_balance_kwh=find_decimal(_GD_BALANCE_RE, text),
            taxes=matricula_taxes(text),
            consumption_history=parse_history(text),
        )


def _access_key(text: str) -> str | None:
    match = _ACCESS_KEY_RE.search("\n" + text)
    return find_access_key(f"{match.group(1)} {match.group(2)}") if match else None


def _reading_dates(text: str) -> ReadingDates | None:
    match = _READING_DATES_RE.search(text)
    if match is None:
        return None
    previous, current, days, following = match.groups()
    return ReadingDates(
        parse_date(previous), parse_date(current), int(days), parse_date(following) if following else None
    )


def _meter_readings(text: str) -> tuple[MeterReading, ...]:
    return tuple(
        meter_reading(match.group(1), fold_spaces(match.group(2)), match.group(3).split())
        for match in _METER_RE.finditer("\n" + text)  # a row ends on a digit, before its "\n"
    )


LAYOUT = MatriculaLayout()
