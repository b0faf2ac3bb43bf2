"""CEMIG fields in the shape OCR gives them: rows across the page, a tab between boxes and columns."""

from __future__ import annotations

import re
from decimal import Decimal

from faturas.extraction.distributors.cemig import common, second_copy
from faturas.extraction.pdf_text import PdfText

HEADER = "\n".join(
    [
        "MARIA EXEMPLO DA SILVA\tNº DO CLIENTE Nº DA INSTALAÇÃO",
        "RUA DAS ACACIAS 100 CS\t7000000001 3000000002\tEmitida em Contingência",
        "CENTRO",
        "30100-000 BELO HORIZONTE, MG\tReferente a Vencimento Valor a pagar (R$)",
        "CPF 000.000.000-00\tMAR/2025 10/04/2025 157,37",
    ]
)

SECOND_COPY_TABLE = "\n".join(
    [
        "Informações Gerais\tValores Faturados",
        "RECIBO DE QUITAÇÃO Nº 01/2025\tDescrição\tQuantidade\tTarifa/Preço (R$)\tValor (R$)",
        "declara quitados os débitos do cliente\tCusto de Disponibilidade\t104,80",
        "(contrato 5000000000), relativos a\tEn comp. kWh ISENTA\t692\t0,76005000\t525,95",
        "energia elétrica a esta unidade\tEnergia injetada kWh HFP\t692\t0,76005000\t-525,95",
        "eventuais débitos posteriormente\tEncargos/Cobranças",
        "apurados diante de possível\tContrib Ilum Publica Municipal\t52,57",
        "irregularidades ou de revisão\tTarifas Aplicadas (sem impostos)",
        "SALDO ATUAL DE GERAÇÃO: 1,00 kWh.\tEnergia Elétrica kWh\t0,76005000",
    ]
)


def test_ocr_rows_give_the_client_box_and_the_headline_beside_the_address() -> None:
    document = PdfText((HEADER,), from_ocr=True)
    assert common.client_and_installation(document) == ("7000000001", "3000000002")
    headline = common.find_headline(document)
    assert headline is not None and headline.groups() == ("MAR/2025", "10/04/2025", "157,37")


def test_a_text_layer_is_never_read_with_the_ocr_patterns() -> None:
    document = PdfText((HEADER,))
    assert common.client_and_installation(document) == (None, None)
    assert common.find_headline(document) is None


def test_second_copy_items_drop_the_column_printed_beside_the_table() -> None:
    items = second_copy.parse_items(
        SECOND_COPY_TABLE,
        re.compile(r"(?:^|\t)Descri..o[ \t]+Quantidade[^\n]*$", re.MULTILINE),
        re.compile(r"(?:^|\t)Tarifas Aplicadas", re.MULTILINE),
        from_ocr=True,
    )
    assert [(item.description, item.quantity, item.amount) for item in items] == [
        ("Custo de Disponibilidade", None, Decimal("104.80")),
        ("En comp. kWh ISENTA", Decimal(692), Decimal("525.95")),
        ("Energia injetada kWh HFP", Decimal(692), Decimal("-525.95")),
        ("Contrib Ilum Publica Municipal", None, Decimal("52.57")),
    ]
    assert second_copy.LAYOUT.matches(PdfText((SECOND_COPY_TABLE,), from_ocr=True))


def test_the_client_labels_may_fall_on_two_ocr_rows() -> None:
    rows = "Protocolo: 1\nNº DA INSTALAÇÃO\t4\nNº DO CLIENTE\t18.09.2024\n7000000001\t3000000002\tEmitida\n"
    assert common.client_and_installation(PdfText((rows,), from_ocr=True)) == ("7000000001", "3000000002")
