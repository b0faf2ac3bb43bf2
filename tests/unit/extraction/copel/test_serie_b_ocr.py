"""COPEL's item table as OCR reads it: rows across the page, the history beside them cut off."""

from __future__ import annotations

from decimal import Decimal

import pytest

from faturas.domain.invoice import ItemKind
from faturas.errors import FieldsMissing
from faturas.extraction.distributors.copel.serie_b_ocr import parse_items_ocr

TABLE = "\n".join(
    [
        "Mês kWh Dt.Pgto Valor\tNOTA FISCAL/CONTA DE ENERGIA ELÉTRICA Nº 100.200.300 - SÉRIE B",
        "10/2024 150 17/11/2024 90,01\tProduto Valor Valor Base Aliq",
        "Descrição\tUn.\tConsumo\tUnitário\tTotal\tCálc\tICMS",
        "09/2024 120\t17/10/2024 80,50",
        "ENERGIA ELETRICA CONSUMO\tkWh\t200\t0,500000\t100,00\t100,00\t18,00%",
        "08/2024 100 12/09/2024 70,00\tENERGIA CONS B AMARELA\tkWh\t3,10\t0,00\t0,00%",
        "COMP CONS MICRO/MINI GERACAO\tkWh\t120\t-60,00",
        "AJUSTE CONSU ANTERIOR 001/002\t12,34",
        "Tarifas",
        "ENERGIA ELET CONSUMO 0,500000",
    ]
)


def test_rows_are_read_whole_with_the_history_beside_them_cut_off() -> None:
    table = parse_items_ocr(TABLE)
    rows = [(item.description, item.unit, item.quantity, item.unit_price, item.amount) for item in table.items]
    assert rows == [
        ("ENERGIA ELETRICA CONSUMO", "kWh", Decimal(200), Decimal("0.500000"), Decimal("100.00")),
        ("ENERGIA CONS B AMARELA", "kWh", None, None, Decimal("3.10")),
        ("COMP CONS MICRO/MINI GERACAO", "kWh", Decimal(120), None, Decimal("-60.00")),
        ("AJUSTE CONSU ANTERIOR 001/002", None, None, None, Decimal("12.34")),
    ]
    assert table.items[2].kind is ItemKind.COMPENSATED
    assert [(icms.base, icms.rate) for icms in table.icms] == [
        (Decimal("100.00"), Decimal("18.00")),
        (Decimal("0.00"), Decimal("0.00")),
    ]


def test_a_table_ocr_did_not_find_is_a_missing_field() -> None:
    with pytest.raises(FieldsMissing):
        parse_items_ocr("NOTA FISCAL\nTarifas\n")
