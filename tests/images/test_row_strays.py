"""Words far taller than their line's (table rules, box edges, watermark letters) do not join rows."""

from __future__ import annotations

from faturas.extraction.image.read import _shapes
from faturas.extraction.ocr.engine import Word


def _word(text: str, left: int, top: int, height: int = 28, line: int = 1) -> Word:
    return Word(text, 90.0, left, top, 12 * len(text), height, (1, 1, line))


def _two_rows(rule_height: int, rule: str = "|") -> list[Word]:
    # A vertical rule read as "|" (or as letters) starts on the first row and reaches into the second.
    first = [_word("Consumo-TUSD", 10, 100), _word(rule, 200, 95, rule_height), _word("85,68", 400, 100)]
    second = [_word("Consumo-TE", 10, 140, line=2), _word("69,50", 400, 140, line=2)]
    return first + second


def test_a_rule_taller_than_its_row_does_not_join_two_billed_lines() -> None:
    rows = _shapes(_two_rows(rule_height=80))[0].splitlines()
    assert rows == ["Consumo-TUSD 85,68", "Consumo-TE 69,50"]


def test_a_rule_read_as_letters_goes_too() -> None:
    rows = _shapes(_two_rows(rule_height=80, rule="Il"))[0].splitlines()
    assert rows == ["Consumo-TUSD 85,68", "Consumo-TE 69,50"]


def test_a_word_as_tall_as_its_row_stays_and_tall_numbers_always_stay() -> None:
    rows = _shapes(_two_rows(rule_height=30, rule="kWh"))[0].splitlines()
    assert rows == ["Consumo-TUSD kWh 85,68", "Consumo-TE 69,50"]
    tall_number = [_word("Total", 10, 100), _word("123,45", 200, 60, 90), _word("a", 400, 100)]
    assert "123,45" in _shapes(tall_number)[0]
