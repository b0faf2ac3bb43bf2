"""The 2023 CELESC bill as OCR reads it: rows across the measurement box and the billing table."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from faturas.errors import FieldsMissing
from faturas.extraction.distributors.celesc.serie_unica import LAYOUT
from faturas.extraction.distributors.celesc.serie_unica_ocr import parse_items_ocr
from faturas.extraction.pdf_text import PdfText

HEADER = [
    "EMISSÃO: 18/04/2024 NOTA FISCAL/CONTA DE ENERGIA ELÉTFIICA - SÉRIE ÚNICA:\t000.111.222.333\tREF.: 04/2024",
    "Nº DA UNIDADE\tVENCIMENTO",
    "FULANO DE TAL",
    "CONSUMIDORA\t02/05/2024",
    "99887766\tCONSUMO TOTAL FATURADO",
    "ATENDIMENTO AO CLIENTE\t300 kWh",
]
TABLE = [
    "Dados do Faturamento\tFaturado Tarifa (R$)\tValor (R$)",
    "Equipamento:\tRG 1234567\tConsumo Tusd\t300\t0,400000\t120,00",
    "Data da leitura anterior:\t19/03/2024\tEnergia Injetada Tusd\t100",
    "0,300000\t-30,00",
    # The minus sign lost, the tariff printed high onto a line of its own.
    "Data da leitura atual:\t16/04/2024\tEnergia Injetada Te\t100\t20,00",
    "0,200000",
    "Subtotal (R$)\t70,00",
    "Leitura anterior:\t16832\tLançamentos e Serviços",
    "Constante de faturamento:\t1,00\tMulta Conta Anterior 03/2024\t10,10",
    "Consumo medido no mês:\t300",
    "Cosip Municipal\t19,90",
    "Consumo faturado no mês\t300\tSubtotal (R$)\t30,00",
    "HISTÓRICO DE CONSUMO DE ENERGIA ELÉTRICA - kWh",
]
SLIP = [
    "CEDENTE\tSACADO\tETAPA/LIVRO\tVENCIMENTO",
    "CELESC AD CEN\tFULANO DE TAL\t09/000337\t02/05/2024",
    "18/04/2024\tFAT-01-2024000000-95\t18/04/2024\t99887766\t04/2024\t100,00",
]


def _bill(*sections: list[str], from_ocr: bool = True) -> PdfText:
    return PdfText(("\n".join(line for section in sections for line in section),), from_ocr=from_ocr)


def test_items_are_the_last_described_cell_of_each_row_with_numbers_told_apart_by_shape() -> None:
    items = parse_items_ocr("\n".join(TABLE))
    assert [(item.description, item.unit, item.quantity, item.unit_price, item.amount) for item in items] == [
        ("Consumo Tusd", "kWh", Decimal(300), Decimal("0.400000"), Decimal("120.00")),
        ("Energia Injetada Tusd", "kWh", Decimal(-100), Decimal("0.300000"), Decimal("-30.00")),
        ("Energia Injetada Te", "kWh", Decimal(-100), Decimal("0.200000"), Decimal("-20.00")),
        ("Multa Conta Anterior 03/2024", None, None, None, Decimal("10.10")),
        ("Cosip Municipal", None, None, None, Decimal("19.90")),
    ]


def test_a_row_whose_amount_lost_its_comma_is_not_an_item() -> None:
    rows = [*TABLE[:8], "Leitura atual GTP:\t10785\tJuros Conta Anterior 03/2024\t111", TABLE[-1]]
    items = parse_items_ocr("\n".join(rows))
    assert "Juros Conta Anterior 03/2024" not in [item.description for item in items]


def test_the_header_and_slip_rows_give_the_unit_due_date_and_total() -> None:
    invoice = LAYOUT.extract(_bill(HEADER, TABLE, SLIP))
    assert invoice.installation_number == "99887766"
    assert invoice.due_date == date(2024, 5, 2)
    assert invoice.total_amount == Decimal("100.00")
    assert invoice.energy_kwh == Decimal(300)
    assert invoice.compensated_kwh == Decimal(100)  # TUSD and TE bill the same injected energy


def test_a_text_layer_is_not_read_with_the_ocr_tolerances() -> None:
    assert not LAYOUT.matches(_bill(HEADER, from_ocr=False))
    with pytest.raises(FieldsMissing):
        parse_items_ocr("Dados do Faturamento\nnothing here\nComposição")
