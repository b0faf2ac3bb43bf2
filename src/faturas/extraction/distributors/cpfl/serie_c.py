"""CPFL's "Nota Fiscal / Conta de Energia Elétrica … Série C" (São Paulo concessions).

PDFium prints the identity boxes away from their labels: the PN, the installation and the holder
follow the holder's CPF/CNPJ near the end of the text, in that order.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from faturas.domain.invoice import ConsumptionRecord, Invoice, ItemKind, LineItem, ReadingDates
from faturas.domain.reference_month import ReferenceMonth
from faturas.extraction.common_fields import barcode_from_payment_line, find_payment_line
from faturas.extraction.distributors.cpfl.serie_c_tables import (
    Readings,
    first_component_kwh,
    parse_history,
    parse_items,
    parse_readings,
    parse_tariff_flags,
    parse_taxes,
)
from faturas.extraction.numbers import NUMBER, fold_spaces, parse_date, parse_decimal, parse_reference_month
from faturas.extraction.pdf_text import PdfText
from faturas.extraction.text_search import find, find_decimal, line_start, require

TEMPLATE = "cpfl.serie_c"
DISTRIBUTOR_NAME = "CPFL"

_DATE = r"(\d{2}/\d{2}/\d{4})"
_NOTA_FISCAL_RE = re.compile(line_start("N") + r". (\d+) S.rie (\w+)[ \t]*$", re.MULTILINE)
#: "INSTALAÇÃO DEZ/2023 20/01/2024 402,34": month, due date and amount beside the installation label.
_HEADLINE_RE = re.compile(
    line_start("INSTALA") + rf"..O[ \t]+([A-Z]{{3}}/\d{{4}})[ \t]+{_DATE}[ \t]+({NUMBER})[ \t]*$", re.MULTILINE
)
_SLIP_TOTAL_RE = re.compile(line_start("Total a Pagar ") + rf"\(R\$\)[ \t]*\n[ \t]*({NUMBER})[ \t]*$", re.MULTILINE)
_SLIP_DUE_RE = re.compile(line_start("Data de Vencimento") + rf"[ \t]*\n[ \t]*{_DATE}[ \t]*$", re.MULTILINE)
#: "CPF: …", the PN, the installation, the PN again (from the header row), then the holder.
_IDENTITY_RE = re.compile(
    r"^(?:CPF|CNPJ):[ \t]*[\d./-]+[ \t]*\n(\d+)[ \t]*\n(\d+)[ \t]*\n(?:\1[ \t]*\n)?[ \t]*(\S[^\n]*?)[ \t]*$",
    re.MULTILINE,
)
_ISSUE_RE = re.compile(line_start("Data de Emiss") + rf".o:[ \t]*{_DATE}", re.MULTILINE)
_NEXT_READING_RE = re.compile(line_start("Leitura Pr") + rf".ximo M.s:[ \t]*{_DATE}", re.MULTILINE)
#: "Conta Contrato N° …", the automatic debit code (when enrolled), the meter, the month, the meter again.
_CONTRACT_BLOCK_RE = re.compile(
    r"^Conta Contrato N.[ \t]*\d+[ \t]*\n(?:(\d+)[ \t]*\n)?(\d+)[ \t]*\n([A-Z]{3}/\d{2})[ \t]*\n\2[ \t]*$",
    re.MULTILINE,
)
#: "CLASSIFICAÇÃO: Convencional B1 Residencial - Monofásico 127 V": modality, subgroup, class, supply.
_CLASSIFICATION_RE = re.compile(
    r"^CLASSIFICA..O:[ \t]*(\S+)[ \t]+[AB]\d\w*[ \t]+(.+?)[ \t]+-[ \t]+(Monof.sico|Bif.sico|Trif.sico)\b",
    re.MULTILINE | re.IGNORECASE,
)
_SUPPLY_TYPES = {"MONO": "Monofásico", "BIF": "Bifásico", "TRIF": "Trifásico"}
_GD_BALANCE_RE = re.compile(line_start("Saldo em Energia da Instala") + rf"..o:[^\d\n]*({NUMBER}) kWh", re.MULTILINE)


class SerieCLayout:
    name = TEMPLATE

    def matches(self, document: PdfText) -> bool:
        text = document.text
        return _NOTA_FISCAL_RE.search(text) is not None and "Total Consolidado" in text

    def extract(self, document: PdfText) -> Invoice:
        text = document.text
        headline = _HEADLINE_RE.search(text)
        identity = _IDENTITY_RE.search(text)
        contract = _CONTRACT_BLOCK_RE.search(text)
        fields = require(
            TEMPLATE,
            client_number=identity.group(1) if identity else None,
            installation_number=identity.group(2) if identity else None,
            reference_month=headline.group(1) if headline else (contract.group(3) if contract else None),
            due_date=headline.group(2) if headline else find(_SLIP_DUE_RE, text),
            total_amount=headline.group(3) if headline else find(_SLIP_TOTAL_RE, text),
        )
        month = parse_reference_month(fields["reference_month"])
        table = parse_items(text)
        items = table.items
        nota_fiscal = _NOTA_FISCAL_RE.search(text)
        classification = _CLASSIFICATION_RE.search(text)
        history = parse_history(text)
        readings = parse_readings(text, contract.group(2) if contract else None)
        payment_line = find_payment_line(text)
        return Invoice(
            distributor=DISTRIBUTOR_NAME,
            layout=TEMPLATE,
            installation_number=fields["installation_number"],
            client_number=fields["client_number"],
            reference_month=month,
            due_date=parse_date(fields["due_date"]),
            total_amount=parse_decimal(fields["total_amount"]),
            items=items,
            energy_kwh=first_component_kwh(items, ItemKind.ENERGY),
            compensated_kwh=first_component_kwh(items, ItemKind.COMPENSATED),
            public_lighting_amount=_public_lighting_amount(items),
            holder_name=fold_spaces(identity.group(3)) if identity else None,
            nota_fiscal_number=nota_fiscal.group(1) if nota_fiscal else None,
            nota_fiscal_series=nota_fiscal.group(2) if nota_fiscal else None,
            issue_date=_date(_ISSUE_RE, text),
            payment_line=payment_line,
            barcode=barcode_from_payment_line(payment_line) if payment_line else None,
            automatic_debit_code=contract.group(1) if contract else None,
            customer_class=fold_spaces(classification.group(2)) if classification else None,
            tariff_modality=classification.group(1) if classification else None,
            supply_type=_supply_type(classification.group(3)) if classification else None,
            reading_dates=_reading_dates(text, readings, history, month),
            meter_readings=readings.meters if readings else (),
            gd_balance_kwh=find_decimal(_GD_BALANCE_RE, text),
            tariff_flags=parse_tariff_flags(text, month),
            taxes=parse_taxes(text, table.icms_rates),
            consumption_history=history,
        )


def _date(pattern: re.Pattern[str], text: str) -> date | None:
    printed = find(pattern, text)
    return parse_date(printed) if printed else None


def _reading_dates(
    text: str, readings: Readings | None, history: tuple[ConsumptionRecord, ...], month: ReferenceMonth
) -> ReadingDates | None:
    following = _date(_NEXT_READING_RE, text)
    if readings is None and following is None:
        return None
    days = next((record.days for record in history if record.month == month), None)
    return ReadingDates(
        previous=readings.previous if readings else None,
        current=readings.current if readings else None,
        days=days,
        next=following,
    )


def _supply_type(printed: str) -> str | None:
    key = printed.upper()
    return next((name for prefix, name in _SUPPLY_TYPES.items() if key.startswith(prefix)), None)


def _public_lighting_amount(items: tuple[LineItem, ...]) -> Decimal | None:
    amounts = [item.amount for item in items if item.kind is ItemKind.PUBLIC_LIGHTING]
    return sum(amounts, Decimal(0)) if amounts else None


LAYOUT = SerieCLayout()
