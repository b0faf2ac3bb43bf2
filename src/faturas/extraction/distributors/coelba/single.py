"""A COELBA (Neoenergia) bill for one installation: the invoice page layout on its own."""

from __future__ import annotations

import dataclasses

from faturas.domain.invoice import Invoice
from faturas.extraction.distributors.coelba.collective import is_collective
from faturas.extraction.distributors.coelba.invoice_page import INVOICE_HEADING_RE, read_invoice
from faturas.extraction.pdf_text import PdfText

TEMPLATE = "coelba.invoice"


class SingleInvoiceLayout:
    name = TEMPLATE

    def matches(self, document: PdfText) -> bool:
        return INVOICE_HEADING_RE.search(document.text) is not None and not is_collective(document)

    def extract(self, document: PdfText) -> Invoice:
        # The whole text: a payment stub or a continuation page may stand on a page of its own.
        return dataclasses.replace(read_invoice(document.text), layout=TEMPLATE)


LAYOUT = SingleInvoiceLayout()
