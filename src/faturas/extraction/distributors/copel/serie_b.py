"""COPEL's 2022 bill: "NOTA FISCAL/CONTA DE ENERGIA ELÉTRICA Nº … - SÉRIE B".

Most labels of its header are drawn as graphics, so the text layer holds only their values; the
payment stub at the foot prints the unit, month, due date and amount with labels and is read first.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from faturas.domain.invoice import Invoice, ItemKind, LineItem
from faturas.extraction.common_fields import barcode_from_payment_line, find_payment_line
from faturas.extraction.distributors.copel.serie_b_details import (
    parse_history,
    parse_meter_readings,
    parse_reading_dates,
    parse_tariff_flags,
    parse_taxes,
)
from faturas.extraction.distributors.copel.serie_b_items import (
    TEMPLATE,
    consumption_kwh,
    first_component_kwh,
    parse_items,
)
from faturas.extraction.distributors.copel.serie_b_ocr import parse_items_ocr
from faturas.extraction.numbers import (
    NUMBER,
    digits_only,
    fold_spaces,
    parse_date,
    parse_decimal,
    parse_reference_month,
)
from faturas.extraction.pdf_text import PdfText
from faturas.extraction.text_search import find, find_decimal, line_start, require

DISTRIBUTOR_NAME = "COPEL"

_DATE = r"(\d{2}/\d{2}/\d{4})"
_NOTA_FISCAL_RE = re.compile(r"NOTA FISCAL/CONTA DE ENERGIA EL.TRICA N. ([\d.]+) - S.RIE (\w+)", re.IGNORECASE)
#: The "Segunda Via" watermark lands between other lines of the text layer.
_WATERMARK_RE = re.compile(r"^[ \t]*Segunda Via[ \t]*\n", re.MULTILINE | re.IGNORECASE)
_STUB_INSTALLATION_RE = re.compile(line_start("Unidade Consumidora") + r"[ \t]*\n(\d+)[ \t]*$", re.MULTILINE)
_STUB_MONTH_RE = re.compile(line_start("M") + r".s[ \t]*\n(\d{2}/\d{4})[ \t]*$", re.MULTILINE)
_STUB_DUE_RE = re.compile(line_start("Vencimento") + rf"[ \t]*\n{_DATE}[ \t]*$", re.MULTILINE)
_STUB_TOTAL_RE = re.compile(line_start("Valor a Pagar") + rf"[ \t]*\n({NUMBER})[ \t]*$", re.MULTILINE)
#: The header rows under their graphic labels: "Janeiro/2024 55667788", "10/02/2024 R$ 1.223,00".
_HEADER_MONTH_RE = re.compile(r"^([^\W\d_]+/\d{4})[ \t]+(\d+)[ \t]*$", re.MULTILINE)
_HEADER_DUE_RE = re.compile(rf"^{_DATE}[ \t]+R\$[ \t]*({NUMBER})[ \t]*$", re.MULTILINE)
#: OCR reads the stub's labels side by side, each pair's values on the row below.
_OCR_STUB_UNIT_RE = re.compile(r"^Unidade Consumidora[ \t]+M.s\b[^\n]*\n[ \t]*(\d+)[ \t]+(\d{2}/\d{4})(?!\S)", re.M)
_OCR_STUB_DUE_RE = re.compile(rf"^Vencimento[ \t]+Valor a Pagar\b[^\n]*\n[ \t]*{_DATE}[ \t]+({NUMBER})(?!\S)", re.M)
_NOTA_TOTAL_RE = re.compile(line_start("Valor Total da Nota Fiscal") + rf"[ \t]*\n({NUMBER})[ \t]*$", re.MULTILINE)
_ISSUE_RE = re.compile(line_start("Emitida em") + rf" {_DATE}", re.MULTILINE)
#: The holder opens the page, above the address and the CPF/CNPJ.
_HOLDER_RE = re.compile(r"\A[ \t]*(\S[^\n]*?)[ \t]*\n(?:[^\n]*\n){1,4}?(?:CPF|CNPJ):? \d")
#: "Residencial/Residencial Urbano" above "MD 0099887766 - BIFASICO": class/subclass, then meter and supply.
_CLASS_METER_RE = re.compile(
    r"^([^\n/]+?)/([^\n]+?)[ \t]*\n(?:MD[ \t]*)?(\S+)[ \t]+-[ \t]+(MONOF.SICO|BIF.SICO|TRIF.SICO)[ \t]*$",
    re.MULTILINE | re.IGNORECASE,
)
_SUPPLY_TYPES = {"MONO": "Monofásico", "BIF": "Bifásico", "TRIF": "Trifásico"}
_GD_BALANCE_RE = re.compile(rf"Saldo Acumulado no \(\w+\)\D*?({NUMBER})")


class SerieBLayout:
    name = TEMPLATE

    def matches(self, document: PdfText) -> bool:
        return _NOTA_FISCAL_RE.search(document.text) is not None

    def extract(self, document: PdfText) -> Invoice:
        text = _WATERMARK_RE.sub("", document.text)
        if document.from_ocr:
            fields = require(
                TEMPLATE,
                installation_number=find(_OCR_STUB_UNIT_RE, text, 1),
                reference_month=find(_OCR_STUB_UNIT_RE, text, 2),
                due_date=find(_OCR_STUB_DUE_RE, text, 1),
                total_amount=find(_OCR_STUB_DUE_RE, text, 2),
            )
        else:
            fields = require(
                TEMPLATE,
                installation_number=find(_STUB_INSTALLATION_RE, text) or find(_HEADER_MONTH_RE, text, 2),
                reference_month=find(_STUB_MONTH_RE, text) or find(_HEADER_MONTH_RE, text, 1),
                due_date=find(_STUB_DUE_RE, text) or find(_HEADER_DUE_RE, text, 1),
                total_amount=find(_STUB_TOTAL_RE, text) or find(_HEADER_DUE_RE, text, 2) or find(_NOTA_TOTAL_RE, text),
            )
        month = parse_reference_month(fields["reference_month"])
        table = parse_items_ocr(text) if document.from_ocr else parse_items(text)
        items = table.items
        nota_fiscal = _NOTA_FISCAL_RE.search(text)
        issued = _issue_date(text)
        class_meter = _CLASS_METER_RE.search(text)
        payment_line = find_payment_line(text)
        return Invoice(
            distributor=DISTRIBUTOR_NAME,
            layout=TEMPLATE,
            installation_number=fields["installation_number"],
            client_number=None,
            reference_month=month,
            due_date=parse_date(fields["due_date"]),
            total_amount=parse_decimal(fields["total_amount"]),
            items=items,
            energy_kwh=consumption_kwh(items),
            scee_kwh=first_component_kwh(items, ItemKind.SCEE),
            compensated_kwh=first_component_kwh(items, ItemKind.COMPENSATED),
            public_lighting_amount=_public_lighting_amount(items),
            holder_name=_holder(text),
            nota_fiscal_number=digits_only(nota_fiscal.group(1)) if nota_fiscal else None,
            nota_fiscal_series=nota_fiscal.group(2) if nota_fiscal else None,
            issue_date=issued,
            payment_line=payment_line,
            barcode=barcode_from_payment_line(payment_line) if payment_line else None,
            customer_class=fold_spaces(class_meter.group(1)) if class_meter else None,
            subclass=fold_spaces(class_meter.group(2)) if class_meter else None,
            supply_type=_supply_type(class_meter.group(4)) if class_meter else None,
            reading_dates=parse_reading_dates(text),
            meter_readings=parse_meter_readings(text, class_meter.group(3) if class_meter else None),
            gd_balance_kwh=find_decimal(_GD_BALANCE_RE, text),
            tariff_flags=parse_tariff_flags(text, month),
            taxes=parse_taxes(text, table.icms, issued),
            consumption_history=parse_history(text),
        )


def _issue_date(text: str) -> date | None:
    printed = find(_ISSUE_RE, text)
    return parse_date(printed) if printed else None


def _holder(text: str) -> str | None:
    holder = find(_HOLDER_RE, text)
    return fold_spaces(holder) if holder else None


def _supply_type(printed: str) -> str | None:
    key = printed.upper()
    return next((name for prefix, name in _SUPPLY_TYPES.items() if key.startswith(prefix)), None)


def _public_lighting_amount(items: tuple[LineItem, ...]) -> Decimal | None:
    amounts = [item.amount for item in items if item.kind is ItemKind.PUBLIC_LIGHTING]
    return sum(amounts, Decimal(0)) if amounts else None


LAYOUT = SerieBLayout()
