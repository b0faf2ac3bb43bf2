"""CELESC's DANF3E as OCR reads it: rows across the page, the bank slip row, the unit box beside the CPF."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from faturas.errors import FieldsMissing
from faturas.extraction.distributors.celesc.danf3e import LAYOUT
from faturas.extraction.distributors.celesc.danf3e_ocr import parse_items_ocr
from faturas.extraction.pdf_text import PdfText

HEADER = [
    "NOME: FULANO DE TAL",
    "CPF/CNPJ: ***.111.222-**\t[\t77665544\tj",
    "ENDERECO: RUA DAS FLORES 10 Cliente: 11223344\tNOTA FISCAL Nº 000111222 SERIE:001 DATA EMISSAO: 02/05/2024",
    "Consulte Chave de Acesso em:\tChave de Acesso:",
    "[REFERÊNCIA\tVENCIMENTO\tTOTAL A",
    "04/2024",
    "10/05/2024\tR$ 296,00",
]
ITEMS = [
    "(OD) Consumo TE\tkWh 150,000 0,400000\t60,00\t1,90\t60,00\t12,00\t7,20 0,330000",
    "JAN/24\t201\t33",
    # The PIS column lost, the history glued to the row after a stray mark, the unit misread.
    "(0E) Consumo TUSD\tKWwH 400,000 0,500000\t200,00\t200,00\t17,00\t34,00 0,400000\tz OUT/23\t259\t32",
    "SUBTOTAL\t260,00\t2]",
    "(CO) COSIP Municipal\t0,000\t0,000000\t36,00\t0,00\t0,00\t0,00\t0,00 0,000000\t[2]",
    "TOTAL\t296,00",
]
SLIP = [
    "Data\tNúmero Referência Unidade Consumidora\tNosso Número\tReferência Vencimento Total a Pagar (R$)",
    "02/05/2024\t202404-000111222\t0077665544\t12345678901\t04/2024\t10/05/2024\t296,00",
]


def _bill(*sections: list[str], from_ocr: bool = True) -> PdfText:
    return PdfText(("\n".join(line for section in sections for line in section),), from_ocr=from_ocr)


def test_items_are_read_from_ocr_rows_with_code_zeros_restored_and_marks_cut_off() -> None:
    items = parse_items_ocr("\n".join(ITEMS))
    assert [(item.description, item.unit, item.quantity, item.unit_price, item.amount) for item in items] == [
        ("(0D) Consumo TE", "kWh", Decimal("150.000"), Decimal("0.400000"), Decimal("60.00")),
        ("(0E) Consumo TUSD", "kWh", Decimal("400.000"), Decimal("0.500000"), Decimal("200.00")),
        ("(C0) COSIP Municipal", None, Decimal("0.000"), Decimal("0.000000"), Decimal("36.00")),
    ]


def test_the_slip_row_gives_the_unit_month_and_due_date_when_the_headline_is_split() -> None:
    invoice = LAYOUT.extract(_bill(HEADER, ITEMS, SLIP))
    assert (invoice.installation_number, invoice.client_number) == ("77665544", "11223344")
    assert (invoice.reference_month.year, invoice.reference_month.month) == (2024, 4)
    assert invoice.due_date == date(2024, 5, 10)
    assert invoice.total_amount == Decimal("296.00")
    assert invoice.energy_kwh == Decimal(150)


def test_a_paid_bill_with_a_blank_slip_takes_the_unit_from_the_box_beside_the_cpf() -> None:
    slip_column = ["Referência Vencimento", "Total a Pagar (R$)", "04/2024", "10/05/2024", "296,00"]
    invoice = LAYOUT.extract(_bill(HEADER[:-2], ITEMS, slip_column))
    assert invoice.installation_number == "77665544"
    assert invoice.due_date == date(2024, 5, 10)


def test_the_ocr_shapes_are_not_read_on_a_text_layer() -> None:
    with pytest.raises(FieldsMissing):
        LAYOUT.extract(_bill(HEADER[:-2], ITEMS, SLIP, from_ocr=False))
