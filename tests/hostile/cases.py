"""Hostile and broken inputs, each generated here (nothing downloaded, nothing read from shared/).

Every case says what extract_invoice must raise (its error code) and how the API must answer: refused
at the door (status and code) or accepted as a job that ends ``failed`` with a code.
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from fpdf import FPDF
from PIL import Image
from pypdf import PdfReader, PdfWriter

from faturas.synthetic import SyntheticBill, random_bill, render_cemig_danf3e
from tests.hostile import raw_pdf

#: The password of the encrypted bill (a CPF-like number, as distributors use).
BILL_PASSWORD = "12345678909"


@cache
def synthetic_bill() -> SyntheticBill:
    return random_bill(random.Random(2026))


@cache
def bill_pdf() -> bytes:
    """A readable bill: the reference the broken variants are made from."""
    return render_cemig_danf3e(synthetic_bill())


def png_image() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 200), "white").save(out, format="PNG")
    return out.getvalue()


def zip_archive() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("conta.pdf", bill_pdf())
    return out.getvalue()


def html_page() -> bytes:
    return b"<!DOCTYPE html>\n<html><head><title>Fatura</title></head><body><p>Sua conta de energia</p></body></html>"


def plain_text() -> bytes:
    return "Conta de energia de março: R$ 123,45. Vencimento 10/04/2024.\n".encode()


def truncated_pdf() -> bytes:
    """The first half of a bill: the end of the file, its xref and most objects are gone."""
    data = bill_pdf()
    return data[: len(data) // 2]


def broken_xref_pdf() -> bytes:
    """A bill whose cross-reference table sends every object to the same wrong offset."""
    data = bill_pdf()
    start = data.rindex(b"\nxref")
    return data[:start] + re.sub(rb"\d{10} (\d{5}) n", rb"0000000999 \1 n", data[start:])


def encrypted_pdf(password: str = BILL_PASSWORD, pdf: bytes | None = None) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf or bill_pdf())))
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def thousands_of_pages_pdf() -> bytes:
    return raw_pdf.many_pages_pdf(5000)


def decompression_bomb_pdf() -> bytes:
    """About 8 KB that inflate to 4 GiB of content stream."""
    return raw_pdf.deflate_bomb_pdf(4 * 1024 * 1024 * 1024)


def deeply_nested_pdf() -> bytes:
    return raw_pdf.nested_arrays_pdf(100_000)


def deep_page_tree_pdf() -> bytes:
    return raw_pdf.deep_page_tree_pdf(5_000)


def _document(lines: list[str]) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    for line in lines:
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def not_a_bill_pdf() -> bytes:
    """A real, readable PDF with a text layer: a meeting note, not an electricity bill."""
    return _document(
        [
            "Ata da reunião de condomínio",
            "Pauta: pintura da fachada e troca do portão da garagem.",
            "Aprovado por unanimidade o orçamento apresentado pelo síndico.",
            "Próxima reunião na primeira segunda-feira do mês.",
        ]
    )


def unknown_layout_pdf() -> bytes:
    """A CEMIG electricity bill in a form no template knows: detected, then refused by layout."""
    return _document(
        [
            "CEMIG DISTRIBUIÇÃO S.A. CNPJ 06.981.180/0001-16",
            "Conta de energia elétrica - modelo experimental 2031",
            "Consumo do período: 250 kWh",
            "Vencimento: 10/04/2031   Valor a pagar: R$ 210,55",
        ]
    )


def pdf_header_then_garbage() -> bytes:
    return b"%PDF-1.7\n" + random.Random(7).randbytes(4096)


@dataclass(frozen=True)
class HostileCase:
    name: str
    filename: str
    make: Callable[[], bytes]
    #: What extract_invoice raises (its error code).
    code: str
    #: The API refuses it at the door with this status (and ``code``); None: its job fails with ``code``.
    refused_with: int | None = None


CASES = (
    HostileCase("empty file", "vazio.pdf", lambda: b"", "empty_file", 400),
    # Images are bills too (read by OCR), told by their content: a blank one is read and found no bill.
    HostileCase("PNG named .pdf", "foto.pdf", png_image, "not_a_bill"),
    HostileCase("ZIP named .pdf", "contas.pdf", zip_archive, "not_a_pdf", 415),
    HostileCase("HTML named .pdf", "pagina.pdf", html_page, "not_a_pdf", 415),
    HostileCase("text named .pdf", "nota.pdf", plain_text, "not_a_pdf", 415),
    HostileCase("garbage after a PDF header", "lixo.pdf", pdf_header_then_garbage, "damaged_pdf"),
    HostileCase("truncated PDF", "cortado.pdf", truncated_pdf, "damaged_pdf"),
    HostileCase("encrypted PDF without password", "protegido.pdf", encrypted_pdf, "encrypted_pdf"),
    HostileCase("thousands of pages", "5000-paginas.pdf", thousands_of_pages_pdf, "too_many_pages"),
    HostileCase("decompression bomb", "bomba.pdf", decompression_bomb_pdf, "too_large"),
    HostileCase("deeply nested arrays", "aninhado.pdf", deeply_nested_pdf, "not_a_bill"),
    HostileCase("page tree 5,000 levels deep", "arvore.pdf", deep_page_tree_pdf, "damaged_pdf"),
    HostileCase("valid PDF that is not a bill", "ata.pdf", not_a_bill_pdf, "not_a_bill"),
    HostileCase("bill in an unknown layout", "cemig-2031.pdf", unknown_layout_pdf, "unsupported_layout"),
)
