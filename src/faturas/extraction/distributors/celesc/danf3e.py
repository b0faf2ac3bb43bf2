"""CELESC's DANF3E (2025 on): coded items "(0D) Consumo TE", each split by ICMS bracket."""

from __future__ import annotations

import re

from faturas.domain.invoice import Invoice, ReadingDates
from faturas.extraction.common_fields import find_access_key
from faturas.extraction.distributors.celesc.common import (
    DISTRIBUTOR_NAME,
    bank_slip_barcode,
    compensated_kwh,
    consumption_kwh,
    public_lighting_amount,
    supply_type,
)
from faturas.extraction.distributors.celesc.danf3e_ocr import (
    CLIENT_RE,
    SLIP_COLUMN_RE,
    SLIP_ROW_RE,
    UNIT_BOX_RE,
    parse_items_ocr,
)
from faturas.extraction.distributors.celesc.danf3e_tables import (
    parse_history,
    parse_items,
    parse_meter_readings,
    parse_tariff_flags,
    parse_taxes,
)
from faturas.extraction.numbers import NUMBER, fold_spaces, parse_date, parse_decimal, parse_reference_month
from faturas.extraction.pdf_text import PdfText
from faturas.extraction.text_search import find, line_start, require

TEMPLATE = "celesc.danf3e"

_DATE = r"(\d{2}/\d{2}/\d{4})"
_NOTA_FISCAL_RE = re.compile(rf"NOTA FISCAL N. (\d+)\s+S.RIE:\s*(\S+)\s+DATA EMISS.O:\s*{_DATE}")
#: "09/2025 10/10/2025 R$ 123,45": reference month, due date and amount in one row.
_HEADLINE_RE = re.compile(rf"^(\d{{2}}/\d{{4}})[ \t]+{_DATE}[ \t]+R\$[ \t]*(?:{NUMBER})[ \t]*$", re.MULTILINE)
#: The unit number stands alone on the line above "Cliente:"; the bank slip repeats it with leading zeros.
_INSTALLATION_RES = (
    re.compile(r"^(\d+)[ \t]*\nCliente:", re.MULTILINE),
    re.compile(r"^Unidade Consumidora[ \t]*\n0*(\d+)[ \t]*$", re.MULTILINE),
)
_CLIENT_RE = re.compile(line_start("Cliente:") + r"[ \t]*(\d+)", re.MULTILINE)
#: The bank slip's own labels, for a bill whose headline row is missing.
_SLIP_MONTH_RE = re.compile(line_start("Refer") + r".ncia[ \t]*\n(\d{2}/\d{4})[ \t]*$", re.MULTILINE)
_SLIP_DUE_RE = re.compile(line_start("Vencimento") + rf"[ \t]*\n{_DATE}[ \t]*$", re.MULTILINE)
_TOTAL_RE = re.compile(line_start("TOTAL") + rf"\s+({NUMBER})\s*$", re.MULTILINE)
#: "RESIDENCIAL - RESIDENCIAL - B1 Residencial - MONOFÁSICO": class, subclass, subgroup, supply.
_CLASSIFICATION_RE = re.compile(r"^(.+?) - (.+?) - (.+?) - (MONOF.SICO|BIF.SICO|TRIF.SICO)\s*$", re.M | re.I)
#: previous reading, current reading, days, next reading.
_READING_DATES_RE = re.compile(rf"^{_DATE}[ \t]+{_DATE}[ \t]+(\d+)[ \t]+{_DATE}[ \t]*$", re.MULTILINE)
_HOLDER_RE = re.compile(line_start("NOME:") + r"\s*(.+?)\s*\nCPF/CNPJ:", re.MULTILINE | re.DOTALL)
_AUTOMATIC_DEBIT_RE = re.compile(r"D.bito Autom.tico:\s*\n(?:Total a Pagar \(R\$\)\s*\n)?(\d{5,})\s*$", re.M)


class Danf3eLayout:
    name = TEMPLATE

    def matches(self, document: PdfText) -> bool:
        text = document.text
        return _NOTA_FISCAL_RE.search(text) is not None and "Chave de Acesso" in text

    def extract(self, document: PdfText) -> Invoice:
        text = document.text
        headline = _HEADLINE_RE.search(text)
        slip = _ocr_slip(text) if document.from_ocr else None
        installation = next(filter(None, (find(pattern, text) for pattern in _INSTALLATION_RES)), None)
        if installation is None and slip is not None and "installation" in slip.re.groupindex:
            installation = slip["installation"]
        if installation is None and document.from_ocr:
            installation = find(UNIT_BOX_RE, text)
        client = find(_CLIENT_RE, text) or (find(CLIENT_RE, text) if document.from_ocr else None)
        fields = require(
            TEMPLATE,
            installation_number=installation,
            client_number=client,
            reference_month=headline.group(1) if headline else slip["month"] if slip else find(_SLIP_MONTH_RE, text),
            due_date=headline.group(2) if headline else slip["due"] if slip else find(_SLIP_DUE_RE, text),
            total_amount=find(_TOTAL_RE, text) or (slip["total"] if slip else None),
        )
        month = parse_reference_month(fields["reference_month"])
        items = parse_items_ocr(text) if document.from_ocr else parse_items(text)
        nota_fiscal = _NOTA_FISCAL_RE.search(text)
        classification = _CLASSIFICATION_RE.search(text)
        holder = find(_HOLDER_RE, text)
        return Invoice(
            distributor=DISTRIBUTOR_NAME,
            layout=TEMPLATE,
            installation_number=fields["installation_number"],
            client_number=fields["client_number"],
            reference_month=month,
            due_date=parse_date(fields["due_date"]),
            total_amount=parse_decimal(fields["total_amount"]),
            items=items,
            energy_kwh=consumption_kwh(items),
            compensated_kwh=compensated_kwh(items),
            public_lighting_amount=public_lighting_amount(items),
            holder_name=fold_spaces(holder) if holder else None,
            access_key=find_access_key(text),
            nota_fiscal_number=nota_fiscal.group(1) if nota_fiscal else None,
            nota_fiscal_series=nota_fiscal.group(2) if nota_fiscal else None,
            issue_date=parse_date(nota_fiscal.group(3)) if nota_fiscal else None,
            barcode=bank_slip_barcode(text),
            automatic_debit_code=find(_AUTOMATIC_DEBIT_RE, text),
            customer_class=classification.group(1) if classification else None,
            subclass=classification.group(2) if classification else None,
            supply_type=supply_type(classification.group(4)) if classification else None,
            reading_dates=_reading_dates(text),
            meter_readings=parse_meter_readings(text),
            tariff_flags=parse_tariff_flags(text, month),
            taxes=parse_taxes(text),
            consumption_history=parse_history(text),
        )


def _ocr_slip(text: str) -> re.Match[str] | None:
    return SLIP_ROW_RE.search(text) or SLIP_COLUMN_RE.search(text)


def _reading_dates(text: str) -> ReadingDates | None:
    match = _READING_DATES_RE.search(text)
    if match is None:
        return None
    previous, current, days, following = match.groups()
    return ReadingDates(parse_date(previous), parse_date(current), int(days), parse_date(following))


LAYOUT = Danf3eLayout()
