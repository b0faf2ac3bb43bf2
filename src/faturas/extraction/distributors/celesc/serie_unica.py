"""CELESC's 2023 bill before NF3e: "NOTA FISCAL/CONTA DE ENERGIA ELÉTRICA - SÉRIE ÚNICA"."""

from __future__ import annotations

import re
from datetime import date

from faturas.domain.invoice import Invoice, MeterReading, ReadingDates
from faturas.extraction.distributors.celesc.common import (
    DISTRIBUTOR_NAME,
    bank_slip_barcode,
    compensated_kwh,
    consumption_kwh,
    public_lighting_amount,
    supply_type,
)
from faturas.extraction.distributors.celesc.serie_unica_ocr import (
    DUE_RE,
    HEADING_RE,
    PRINTED_KWH_RE,
    SLIP_ROW_RE,
    parse_items_ocr,
)
from faturas.extraction.distributors.celesc.serie_unica_tables import (
    TEMPLATE,
    parse_history,
    parse_items,
    parse_taxes,
)
from faturas.extraction.numbers import NUMBER, digits_only, parse_date, parse_decimal, parse_reference_month
from faturas.extraction.pdf_text import PdfText
from faturas.extraction.text_search import find, find_decimal, line_start, require

_DATE = r"(\d{2}/\d{2}/\d{4})"
_LAYOUT_RE = re.compile(r"NOTA FISCAL/CONTA DE ENERGIA EL.TRICA - S.RIE", re.IGNORECASE)
_NOTA_FISCAL_RE = re.compile(r"S.RIE (\S+?): ([\d.]+)")
_CLASSIFICATION_RE = re.compile(
    line_start("Classifica") + r"..o: ([^/\n]+?)\s*/\s*([^/\n]+?)\s*/\s*([^/\n]+?)\s*$", re.MULTILINE
)
_HOLDER_RE = re.compile(r"^\.{20,}[ \t]*\n(.+)\n(?:CPF|CNPJ)\b", re.MULTILINE)
_PRINTED_KWH_RE = re.compile(rf"CONSUMO TOTAL FATURADO\s*\n({NUMBER}) kWh")
_HOLDER_PAGE2_RE = re.compile(r"^(.+)\nENDERE.O DE ENTREGA[ \t]*$", re.MULTILINE)


def _date(pattern: str, text: str) -> date | None:
    value = find(pattern, text, flags=re.MULTILINE)
    return None if value is None else parse_date(value)


class SerieUnicaLayout:
    name = TEMPLATE

    def matches(self, document: PdfText) -> bool:
        heading = HEADING_RE if document.from_ocr else _LAYOUT_RE
        return heading.search(document.text) is not None

    def extract(self, document: PdfText) -> Invoice:
        text = document.text
        slip = SLIP_ROW_RE.search(text) if document.from_ocr else None
        fields = require(
            TEMPLATE,
            installation_number=find(r"N. DA UNIDADE\s*\nCONSUMIDORA\s*\n(\d+)", text)
            or (slip["installation"] if slip else None),
            reference_month=find(r"\bREF\.?: (\d{2}/\d{4})", text) or (slip["month"] if slip else None),
            due_date=find(rf"^VENCIMENTO:?\s*{_DATE}", text, flags=re.MULTILINE)
            or (find(DUE_RE, text) if document.from_ocr else None),
            total_amount=find(rf"VALOR AT. O VENCIMENTO\s*\n\s*R\$\s*({NUMBER})", text)
            or (slip["total"] if slip else None),
        )
        items = parse_items_ocr(text) if document.from_ocr else parse_items(text)
        nota_fiscal = _NOTA_FISCAL_RE.search(text)
        classification = _CLASSIFICATION_RE.search(text)
        printed_kwh = find_decimal(PRINTED_KWH_RE if document.from_ocr else _PRINTED_KWH_RE, text)
        return Invoice(
            distributor=DISTRIBUTOR_NAME,
            layout=TEMPLATE,
            installation_number=fields["installation_number"],
            client_number=None,
            reference_month=parse_reference_month(fields["reference_month"]),
            due_date=parse_date(fields["due_date"]),
            total_amount=parse_decimal(fields["total_amount"]),
            items=items,
            energy_kwh=printed_kwh if printed_kwh is not None else consumption_kwh(items),
            compensated_kwh=compensated_kwh(items),
            public_lighting_amount=public_lighting_amount(items),
            holder_name=_holder(text),
            nota_fiscal_number=digits_only(nota_fiscal.group(2)) if nota_fiscal else None,
            nota_fiscal_series=nota_fiscal.group(1) if nota_fiscal else None,
            issue_date=_date(rf"EMISS.O: {_DATE}", text),
            barcode=bank_slip_barcode(text),
            customer_class=classification.group(1) if classification else None,
            tariff_modality=find(r"Tipo de Tarifa: (.+)$", text, flags=re.MULTILINE),
            supply_type=supply_type(classification.group(3)) if classification else None,
            reading_dates=ReadingDates(
                previous=_date(rf"Data da leitura anterior: {_DATE}", text),
                current=_date(rf"Data da leitura atual: {_DATE}", text),
                days=_days(text),
                next=_date(rf"Data da pr.xima leitura: {_DATE}", text),
            ),
            meter_readings=_meter_readings(text),
            gd_balance_kwh=find_decimal(rf"Saldo Acumulado no \(\w+\)\D*?({NUMBER})", text),
            taxes=parse_taxes(text),
            consumption_history=parse_history(text),
        )


def _holder(text: str) -> str | None:
    return find(_HOLDER_RE, text) or find(_HOLDER_PAGE2_RE, text)


def _days(text: str) -> int | None:
    days = find(r"N.mero de dias faturados: (\d+)", text)
    return None if days is None else int(days)


def _meter_readings(text: str) -> tuple[MeterReading, ...]:
    """The consumption register, and the GTP register (injected energy) when the meter has one."""
    meter = find(r"^Equipamento: (.+)$", text, flags=re.MULTILINE)
    constant = find_decimal(rf"Constante de faturamento: ({NUMBER})", text)
    readings = []
    for suffix, quantity, consumption in (
        ("", "Energia kWh", find_decimal(rf"Consumo medido no m.s: ({NUMBER})", text)),
        (" GTP", "Energia Injetada kWh (GTP)", None),
    ):
        previous = find_decimal(rf"Leitura anterior{suffix}: ({NUMBER})[ \t]*$", text, flags=re.MULTILINE)
        current = find_decimal(rf"Leitura atual{suffix}: ({NUMBER})[ \t]*$", text, flags=re.MULTILINE)
        if previous is not None or current is not None:
            readings.append(MeterReading(meter, quantity, previous, current, constant, consumption))
    return tuple(readings)


LAYOUT = SerieUnicaLayout()
