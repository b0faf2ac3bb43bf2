from __future__ import annotations

from faturas.extraction.ocr.engine import Word
from faturas.extraction.ocr.lines import blocks_text, columns_text, rows_text


def _word(text: str, left: int, top: int, line: tuple[int, int, int], height: int = 30) -> Word:
    return Word(text, 95.0, left, top, width=20 * len(text), height=height, line=line)


def test_a_table_read_column_by_column_comes_back_as_rows() -> None:
    # Tesseract put the descriptions in one block and the amounts in another.
    words = [
        _word("Consumo", 100, 500, (1, 1, 1)),
        _word("Iluminação", 100, 550, (1, 1, 2)),
        _word("85,60", 900, 502, (2, 1, 1)),
        _word("21,90", 900, 548, (2, 1, 2)),
    ]
    assert blocks_text(words) == "Consumo\nIluminação\n85,60\n21,90"
    assert rows_text(words) == "Consumo 85,60\nIluminação 21,90"
    assert rows_text(words, cells=True) == "Consumo\t85,60\nIluminação\t21,90"


def test_rows_are_read_top_to_bottom_and_left_to_right() -> None:
    words = [
        _word("B", 600, 100, (2, 1, 1)),
        _word("A", 100, 104, (1, 1, 1)),
        _word("C", 100, 300, (3, 1, 1)),
    ]
    assert rows_text(words) == "A B\nC"


def test_a_column_gap_is_a_tab_and_a_word_space_a_space() -> None:
    words = [
        _word("Custo", 100, 500, (1, 1, 1)),
        _word("de", 220, 500, (1, 1, 1)),
        _word("104,80", 900, 500, (2, 1, 1)),
    ]
    assert rows_text(words, cells=True) == "Custo de\t104,80"


def test_a_large_heading_beside_small_lines_does_not_swallow_them() -> None:
    words = [
        _word("TOTAL", 100, 100, (1, 1, 1), height=80),
        _word("linha1", 600, 100, (2, 1, 1), height=25),
        _word("linha2", 600, 150, (2, 1, 2), height=25),
    ]
    assert rows_text(words).splitlines()[-1] == "linha2"


def test_boxes_beside_a_column_are_read_box_by_box() -> None:
    # A header row across the page, then a column of text lines beside a boxed label and its value.
    words = [
        _word("EMISSAO", 100, 100, (1, 1, 1)),
        _word("REF", 1500, 100, (1, 1, 1)),
        _word("NOME", 100, 170, (2, 1, 1)),
        _word("RUA", 100, 210, (2, 1, 2)),
        _word("UNIDADE", 1200, 170, (2, 1, 1)),
        _word("40000009", 1200, 220, (2, 1, 2)),
    ]
    assert columns_text(words) == "EMISSAO\nREF\nNOME\nRUA\nUNIDADE\n40000009"


def _unsure(text: str, left: int, top: int, line: tuple[int, int, int], height: int) -> Word:
    return Word(text, 20.0, left, top, width=20 * len(text), height=height, line=line)


def test_two_rows_of_one_column_joined_only_by_a_charts_strokes_stay_two_rows() -> None:
    # A chart beside the table: its strokes, read into both lines, make their heights overlap.
    words = [
        _word("Parcela", 100, 500, (1, 1, 1), height=20),
        _word("10,00", 900, 500, (1, 1, 1), height=20),
        _unsure("—A", 1200, 490, (1, 1, 1), height=40),
        _unsure("DUDA", 1300, 522, (1, 1, 1), height=20),
        _word("Correção", 100, 531, (1, 1, 2), height=20),
        _word("1,00", 900, 531, (1, 1, 2), height=20),
        _unsure("EO", 1300, 525, (1, 1, 2), height=28),
    ]
    assert rows_text(words) == "Parcela 10,00 —A DUDA\nCorreção 1,00 EO"


def test_a_row_split_in_two_side_by_side_stays_one_row_however_its_sure_words_stand() -> None:
    # A tilted photo: the amount's line sits lower than the description's, beside it, not under it.
    words = [
        _word("Consumo", 100, 500, (1, 1, 1), height=20),
        _unsure("xx", 500, 505, (1, 1, 1), height=30),
        _word("85,60", 900, 521, (2, 1, 1), height=20),
    ]
    assert rows_text(words) == "Consumo xx 85,60"
