"""An invented one-page bill and a minimal reader for it, to test the OCR pipeline apart from the templates."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pypdfium2 as pdfium
from fpdf import FPDF

from faturas.domain.invoice import Invoice, ItemKind, LineItem
from faturas.domain.reference_month import ReferenceMonth
from faturas.extraction.common_fields import find_payment_line
from faturas.extraction.numbers import parse_date, parse_decimal
from faturas.extraction.pdf_text import PdfText
from faturas.extraction.text_search import find, require
from faturas.extraction.validation import validate

BILL_LINES = (
    "CONTA DE ENERGIA ELÉTRICA - DISTRIBUIDORA DE TESTE",
    "Nº DA INSTALAÇÃO 3012345678",
    "Referente a MAR/2025 Vencimento 10/04/2025",
    "Itens da Fatura",
    "Energia Elétrica kWh 100 0,80000000 80,00",
    "Contrib Ilum Publica Municipal 27,50",
    "TOTAL 107,50",
    "83670000001-8 07500138000-7 00000000001-8 12345678901-5",
    # The payment stub repeats the installation and the due date, as real bills do.
    "3012345678 10/04/2025 R$ 107,50",
)
NOTICE_LINES = ("Informações ao consumidor", "Esta página tem camada de texto e não deve passar por OCR.")

EXPECTED_ITEMS = (
    LineItem("Energia Elétrica", Decimal("80.00"), "kWh", Decimal(100), Decimal("0.80000000"), ItemKind.ENERGY),
    LineItem("Contrib Ilum Publica Municipal", Decimal("27.50"), kind=ItemKind.PUBLIC_LIGHTING),
)


def bill_pdf(*pages: tuple[str, ...]) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_font("Helvetica", size=12)
    for lines in pages:
        pdf.add_page()
        for line in lines:
            pdf.cell(0, 9, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def combine(first: bytes, first_pages: list[int], second: bytes, second_pages: list[int]) -> bytes:
    """A new PDF with the given pages of two documents, in order."""
    combined = pdfium.PdfDocument.new()
    combined.import_pages(pdfium.PdfDocument(first), first_pages)
    combined.import_pages(pdfium.PdfDocument(second), second_pages)
    output = io.BytesIO()
    combined.save(output)
    return output.getvalue()


def read_invented_bill(document: PdfText) -> Invoice:
    text = document.pages[0]
    fields = require(
        "teste.ocr",
        installation=find(r"INSTALAÇÃO\s+(\d+)", text),
        due=find(r"Vencimento\s+(\d{2}/\d{2}/\d{4})", text),
        total=find(r"TOTAL\s+([\d.,]+)", text),
        energy=find(r"Energia Elétrica kWh (\S+) (\S+) (\S+)", text, group=0),
        lighting=find(r"Contrib Ilum Publica Municipal\s+(\S+)", text),
    )
    _, _, _, quantity, price, amount = fields["energy"].split()
    items = (
        LineItem(
            "Energia Elétrica",
            parse_decimal(amount),
            "kWh",
            parse_decimal(quantity),
            parse_decimal(price),
            ItemKind.ENERGY,
        ),
        LineItem("Contrib Ilum Publica Municipal", parse_decimal(fields["lighting"]), kind=ItemKind.PUBLIC_LIGHTING),
    )
    invoice = Invoice(
        distributor="TESTE",
        layout="teste.ocr",
        installation_number=fields["installation"],
        client_number=None,
        reference_month=ReferenceMonth(2025, 3) if "MAR/2025" in text else None,
        due_date=parse_date(fields["due"]),
        total_amount=parse_decimal(fields["total"]),
        items=items,
        payment_line=find_payment_line(text),
    )
    return validate(invoice, document.text, today=date(2025, 6, 1))
