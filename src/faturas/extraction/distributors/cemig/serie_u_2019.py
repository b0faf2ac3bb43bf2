"""CEMIG's 2019 "NOTA FISCAL - CONTA DE ENERGIA ELÉTRICA - SÉRIE U": labels and values printed apart."""

from __future__ import annotations

import re

from faturas.domain.invoice import Invoice, ReadingDates
from faturas.extraction.distributors.cemig import common, details
from faturas.extraction.distributors.cemig.common import DATE, DAY_MONTH, DISTRIBUTOR_NAME
from faturas.extraction.distributors.cemig.second_copy import parse_items
from faturas.extraction.numbers import parse_date, parse_day_month, parse_decimal, parse_reference_month
from faturas.extraction.pdf_text import PdfText
from faturas.extraction.text_search import require

TEMPLATE = "cemig.serie_u_2019"

_TITLE_RE = re.compile(r"NOTA FISCAL - CONTA DE ENERGIA EL.TRICA - S.RIE (\S+)[ \t]+N.[ \t]*(\d+)")
#: The items follow the history and end at the applied tariffs.
_ITEMS_END_RE = re.compile(r"^[ \t]*(?:Tarifas aplicadas|Adicional Bandeiras)", re.MULTILINE | re.IGNORECASE)
#: OCR rows read the table beside the "Informações Gerais" column: a tab parts them (second_copy.py).
_OCR_ITEMS_HEADER_RE = re.compile(r"(?:^|\t)Descri..o[ \t]+Quantidade[ \t]+Pre.o\b[^\n]*$", re.MULTILINE)
_OCR_ITEMS_END_RE = re.compile(r"(?:^|\t)(?:Tarifas aplicadas|Adicional Bandeiras)", re.MULTILINE | re.IGNORECASE)
#: " Residencial Residencial Convencional B1 14/10 13/11 12/12 13/11/2019 Monofásico".
_CLASS_ROW_RE = re.compile(
    rf"^[ \t]*(.+?)[ \t]+({DAY_MONTH})[ \t]+({DAY_MONTH})[ \t]+({DAY_MONTH})[ \t]+({DATE})[ \t]+"
    r"((?:Monof|Bif|Trif)[áa]sico.*?)[ \t]*$",
    re.MULTILINE,
)


class SerieU2019Layout:
    name = TEMPLATE

    def matches(self, document: PdfText) -> bool:
        return _TITLE_RE.search(document.text) is not None

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
            history_end = details.history_end(text)
            items = parse_items(text, history_end, _ITEMS_END_RE) if history_end is not None else ()
        figures = common.kwh_figures(items)
        title = _TITLE_RE.search(text)
        row = _CLASS_ROW_RE.search(text)
        issue_date = parse_date(row.group(5)) if row else None
        classification = details.classification(row.group(1), row.group(6)) if row else None
        payment_line, barcode = common.payment_fields(text)
        return Invoice(
            distributor=DISTRIBUTOR_NAME,
            layout=TEMPLATE,
            installation_number=fields["installation_number"],
            client_number=fields["client_number"],
            reference_month=parse_reference_month(fields["reference_month"]),
            due_date=parse_date(fields["due_date"]),
            total_amount=parse_decimal(fields["total_amount"]),
            items=items,
            energy_kwh=figures.energy,
            scee_kwh=figures.scee,
            compensated_kwh=figures.compensated,
            public_lighting_amount=figures.public_lighting,
            holder_name=common.holder_name(text),
            nota_fiscal_number=title.group(2) if title else None,
            nota_fiscal_series=title.group(1) if title else None,
            issue_date=issue_date,
            payment_line=payment_line,
            barcode=barcode,
            automatic_debit_code=common.automatic_debit_code(text),
            customer_class=classification.customer_class if classification else None,
            subclass=classification.subclass if classification else None,
            tariff_modality=classification.tariff_modality if classification else None,
            supply_type=classification.supply_type if classification else None,
            reading_dates=ReadingDates(
                previous=parse_day_month(row.group(2), issue_date),
                current=parse_day_month(row.group(3), issue_date),
                next=parse_day_month(row.group(4), issue_date),
            )
            if row and issue_date
            else None,
            meter_readings=details.meter_readings(text),
            gd_balance_kwh=details.gd_balance_kwh(text),
            tariff_flags=details.tariff_flags(text),
            taxes=details.taxes(text),
            consumption_history=details.consumption_history(text),
        )


LAYOUT = SerieU2019Layout()
