"""COELBA's collective bill as OCR reads it: boxes one label and value at a time, the items after their heading."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from faturas.errors import FieldsMissing
from faturas.extraction.distributors.coelba import collective
from faturas.extraction.distributors.coelba.invoice_ocr import parse_items_ocr
from faturas.extraction.pdf_text import PdfText

COLUMNS = [
    "DESCRIÇÃO DA NOTA FISCAL",
    "QUANTIDADE",
    "PREÇO(R$)",
    "VALOR(AS)",
    "Consumo Ativo(kWh)-TUSD",
    "Consumo Ativo(kWh)-TE",
    "Acréscimo Bandeira AMARELA",
    "200,0000000",
    # The comma lost: restored only because 200 × 0,25000000 gives the row's 50,00.
    "2000000000",
    "0,40000000",
    "0,25000000",
    "80,00",
    "50,00",
    "10,00",
    "Tarifas Aplicadas",
]
ROWS = [
    "DESCRIÇÃO DA NOTA FISCAL",
    "QUANTIDADE\tPREÇO(R$)\tVALOR(R$)",
    "Consumo Ativo(kWh)-TUSD\t200,0000000\t0,40000000\t80,00",
    "Consumo Reativo Excedente(kVArh)\t0,0000000\t0,25000000\t0,00",
    "Acréscimo Bandeira AMARELA\t10,00",
    "Tarifas Aplicadas",
]


def _rows(text: list[str]) -> list[tuple[str, Decimal | None, Decimal | None, Decimal]]:
    items = parse_items_ocr("\n".join(text))
    return [(item.description, item.quantity, item.unit_price, item.amount) for item in items]


def test_a_table_read_column_by_column_is_put_back_by_the_shape_of_its_numbers() -> None:
    assert _rows(COLUMNS) == [
        ("Consumo Ativo(kWh)-TUSD", Decimal(200), Decimal("0.4"), Decimal(80)),
        ("Consumo Ativo(kWh)-TE", Decimal(200), Decimal("0.25"), Decimal(50)),
        ("Acréscimo Bandeira AMARELA", None, None, Decimal(10)),
    ]


def test_a_table_read_row_by_row_keeps_the_unit_as_coelba_prints_it() -> None:
    assert _rows(ROWS)[1][0] == "Consumo Reativo Excedente(kVARh)"
    assert _rows(ROWS)[2] == ("Acréscimo Bandeira AMARELA", None, None, Decimal(10))


def test_a_quantity_whose_lost_comma_the_arithmetic_does_not_confirm_is_refused() -> None:
    columns = [line.replace("50,00", "51,00") for line in COLUMNS]
    with pytest.raises(FieldsMissing):
        parse_items_ocr("\n".join(columns))


def test_columns_that_do_not_add_up_to_the_rows_are_refused() -> None:
    with pytest.raises(FieldsMissing):
        parse_items_ocr("\n".join([line for line in COLUMNS if line != "10,00"]))


SUMMARY = [
    "DOCUMENTO PARA PAGAMENTO DA CONTA COLETIVA",
    "[DATA DE VENCIMENTO",
    "23/05/2024",
    "TOTAL A PAGAR (R$)",
    "140,00",
    "CONTA CONTRATO",
    "COLETIVA",
    "6500000001",
    "MÉÊS/ANO",
    "CENTRO",
    "0",
    "1",
    "04/24",
]
PAGE = [
    "NOTA FISCAL",
    "FATURA",
    "CONTA DE ENERGIA ELÉTRICA",
    "DATA DE VENCIMENTO",
    "23/05/2024",
    "TOTAL A PAGAR (R$)",
    "140,00",
    "Nº DO CLIENTE",
    "1000000001",
    "Nº DA INSTALAÇÃO",
    "1234567",
    *COLUMNS,
    "MÊS/ANO",
    "04/2024",
]


def test_the_collective_bill_is_read_from_ocr_boxes() -> None:
    document = PdfText(("\n".join(SUMMARY), "\n".join(PAGE)), from_ocr=True)
    invoice = collective.LAYOUT.extract(document)
    assert (invoice.collective_account, invoice.total_amount) == ("6500000001", Decimal("140.00"))
    assert (invoice.reference_month.year, invoice.reference_month.month) == (2024, 4)
    assert invoice.due_date == date(2024, 5, 23)
    [sub] = invoice.sub_invoices
    assert (sub.installation_number, sub.client_number, len(sub.items)) == ("1234567", "1000000001", 3)


def test_the_ocr_shapes_are_not_read_on_a_text_layer() -> None:
    document = PdfText(("\n".join(SUMMARY), "\n".join(PAGE)), from_ocr=False)
    with pytest.raises(FieldsMissing):
        collective.LAYOUT.extract(document)
