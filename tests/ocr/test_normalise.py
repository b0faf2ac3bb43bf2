from __future__ import annotations

import pytest

from faturas.extraction.ocr.normalise import normalise_ocr_text


@pytest.mark.parametrize(
    ("ocr", "expected"),
    [
        ("Consumo kwh 1O7 0,8O000000 85,6O", "Consumo kWh 107 0,80000000 85,60"),
        ("TOTAL 1.O91,38", "TOTAL 1.091,38"),
        ("Energia Elétrica kwn 50", "Energia Elétrica kWh 50"),
        ("Energia KWH 1 .007 0, 61569129 652 ,55", "Energia kWh 1.007 0,61569129 652,55"),
        ("Energia compensada GD | kWh 12 —9,80", "Energia compensada GD I kWh 12 -9,80"),
        ("Energia compensada GD || kWh 12 -9,80", "Energia compensada GD II kWh 12 -9,80"),
        ("N° DA INSTALAÇÃO Nºde dias", "Nº DA INSTALAÇÃO Nº de dias"),
        ("Valor (RS) RS 12,34", "Valor (R$) R$ 12,34"),
        ("Itens | Valor", "Itens Valor"),
        ("JUN/23 1.057 34.09 31 R$125.26", "JUN/23 1.057 34,09 31 R$125,26"),
        ("Consumo 0.40689500 1.234.56 2000.000 474.09-", "Consumo 0,40689500 1.234,56 2000,000 474,09-"),
        ("Benefício 57.,36- 3,.50 1.,234", "Benefício 57,36- 3,50 1.,234"),
    ],
)
def test_ocr_confusions_are_undone(ocr: str, expected: str) -> None:
    assert normalise_ocr_text(ocr) == expected


@pytest.mark.parametrize(
    "text",
    [
        "DO CLIENTE",  # letters that look like digits, in words
        "JUN/23 1.057 34,09 31",  # month codes keep their letters
        "IO 10",  # a token with more look-alikes than digits
        "Energia Elétrica kWh 50 0,86613683 43,28",  # a clean row is left alone
        "Leitura 81.347 82.404 em 28.06.2023",  # thousands and dotted dates stay
        "D1234567890 Q1234567",  # installation codes that open with a letter
    ],
)
def test_words_and_clean_rows_are_left_alone(text: str) -> None:
    assert normalise_ocr_text(text) == text


def test_blank_lines_are_dropped_and_spaces_folded() -> None:
    assert normalise_ocr_text("A   B\n\n  \nC") == "A B\nC"
