"""COELBA's collective bill (CONTA COLETIVA): a summary page with the total, then one invoice per page."""

from __future__ import annotations

import re

from faturas.domain.invoice import Invoice
from faturas.extraction.common_fields import barcode_from_payment_line, find_payment_line
from faturas.extraction.distributors.coelba.invoice_ocr import SUMMARY_MONTH_OCR_RE, label_value_ocr
from faturas.extraction.distributors.coelba.invoice_page import (
    DISTRIBUTOR_NAME,
    group_invoice_pages,
    label_value,
    read_invoice,
)
from faturas.extraction.distributors.detection import lower
from faturas.extraction.numbers import parse_date, parse_decimal, parse_reference_month
from faturas.extraction.pdf_text import PdfText
from faturas.extraction.text_search import find, require

TEMPLATE = "coelba.collective"

_SUMMARY_RE = re.compile(r"DOCUMENTO PARA PAGAMENTO DA CONTA COLETIVA", re.IGNORECASE)
#: What a page _SUMMARY_RE finds in holds once lower-cased (letters whose only case-insensitive matches
#: are their capitals): a substring test keeps the case-insensitive scan, several times slower, off the
#: other pages. Every COELBA bill is checked, page by page.
_SUMMARY_LITERAL = "pagamento da conta colet"
#: "QTDE. DE CONTAS GRUPO A  QTDE. DE CONTAS GRUPO B  MÊS/ANO" over " 0 8 04/22".
_MONTH_RE = re.compile(r"M.S/ANO[ \t]*\n[^\n]*?(\d{2}/\d{2}(?:\d{2})?)[ \t]*$", re.MULTILINE)


def is_collective(document: PdfText) -> bool:
    return any(_is_summary(page) for page in document.pages)


def _is_summary(page: str) -> bool:
    return _SUMMARY_LITERAL in lower(page) and _SUMMARY_RE.search(page) is not None


class CollectiveLayout:
    name = TEMPLATE

    def matches(self, document: PdfText) -> bool:
        return is_collective(document)

    def extract(self, document: PdfText) -> Invoice:
        summary = "\n".join(page for page in document.pages if _is_summary(page))
        ocr = document.from_ocr
        value = label_value_ocr if ocr else label_value
        fields = require(
            TEMPLATE,
            collective_account=find(r"CONTA CONTRATO\s*\nCOLETIVA\s*\n\s*(\d+)", summary),
            reference_month=find(_MONTH_RE, summary) or (find(SUMMARY_MONTH_OCR_RE, summary) if ocr else None),
            due_date=value("DATA DE VENCIMENTO", summary),
            total_amount=value(r"TOTAL A PAGAR \(R\$\)", summary),
        )
        pages = group_invoice_pages(document.pages, ocr)
        subs = tuple(read_invoice(text, ocr) for _, text in pages)
        clients = {sub.client_number for sub in subs}
        payment_line = find_payment_line(summary)
        issued = label_value(r"DATA DA EMISS.O DA NOTA FISCAL", summary)
        return Invoice(
            distributor=DISTRIBUTOR_NAME,
            layout=TEMPLATE,
            installation_number=None,
            # The summary names no client; its invoices all belong to one.
            client_number=clients.pop() if len(clients) == 1 else None,
            reference_month=parse_reference_month(fields["reference_month"]),
            due_date=parse_date(fields["due_date"]),
            total_amount=parse_decimal(fields["total_amount"]),
            holder_name=label_value("DADOS DO CLIENTE", summary),
            issue_date=parse_date(issued) if issued else None,
            payment_line=payment_line,
            barcode=barcode_from_payment_line(payment_line) if payment_line else None,
            collective_account=fields["collective_account"],
            sub_invoices=subs,
        )


LAYOUT = CollectiveLayout()
