"""The items table's figures read cell by cell (image/cells.py), on an invented ruled table."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PIL import Image, ImageDraw, ImageFont

from faturas.extraction.image.cells import (
    INK_GREYS,
    Cell,
    _choose,
    _Reading,
    _value,
    read_table,
    table_cells,
    vertical_rules,
)
from faturas.extraction.image.zoom import items_band
from faturas.extraction.ocr.engine import Word

#: Invented rows: description, unit, quantity, price with taxes, amount (100 × 1,23456 = 123,46).
ROWS = (
    ("Consumo Ativo", "kWh", "100", "1,23456", "123,46"),
    ("Taxa Municipal", "", "", "", "8,20"),
)
#: The rules' x positions: description | unit | quantity | price | amount |
RULES = (20, 300, 380, 480, 640, 780)
ROW_TOPS = (80, 120)


def _table() -> Image.Image:
    """A ruled table in light grey rules, figures right-aligned against them, like the screenshots."""
    page = Image.new("L", (900, 220), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=22)
    for x in RULES:
        draw.line((x, 20, x, 200), fill=190, width=2)
    draw.text((30, 35), "Itens de fatura", fill=0, font=font)
    for top, row in zip(ROW_TOPS, ROWS, strict=True):
        draw.text((30, top), row[0], fill=0, font=font)
        draw.text((310, top), row[1], fill=0, font=font)
        for text, right in zip(row[2:], RULES[3:], strict=True):
            if text:
                width = draw.textlength(text, font=font)
                draw.text((right - 6 - width, top), text, fill=0, font=font)
    return page


def _word(text: str, left: int, top: int, width: int = 60) -> Word:
    return Word(text, 80.0, left, top, width, 18, (1, 1, top))


def test_the_rules_are_found_and_cells_lie_between_them() -> None:
    page = _table()
    rules = vertical_rules(page.crop((0, 20, 900, 200)))
    assert len(rules) == len(RULES)
    assert all(left <= x <= right + 1 for (left, right), x in zip(rules, RULES, strict=True))
    cells = table_cells(page, (20, 200), 20, INK_GREYS[0])
    quantity = [cell for cell in cells if RULES[2] < cell.left and cell.right < RULES[3]]
    assert len(quantity) == 1 and abs(quantity[0].top - ROW_TOPS[0]) < 10
    amounts = [cell for cell in cells if RULES[4] < cell.left and cell.right < RULES[5]]
    assert len(amounts) == 2  # one per row: rows are told apart


def test_the_figures_are_read_again_in_place_of_the_page_reads_garbled_ones() -> None:
    page = _table()
    # The page read: descriptions fine, figures garbled ("12346" lost its comma, "820" too).
    words = [
        _word("Consumo", 30, 80),
        _word("Ativo", 130, 80),
        _word("kWh", 310, 80, 40),
        _word("100", 440, 82, 34),
        _word("1.23456]", 556, 82, 76),
        _word("12346", 710, 82, 62),
        _word("Taxa", 30, 120),
        _word("Municipal", 100, 120),
        _word("820", 733, 122, 40),
    ]
    merged = read_table(page, (20, 200), 20, words, "por", 60).words
    texts = {word.text for word in merged}
    assert {"123,46", "8,20"} <= texts
    assert "12346" not in texts and "820" not in texts
    row = next(word for word in merged if word.text == "123,46")
    consumo = next(word for word in merged if word.text == "Consumo")
    assert row.line == consumo.line  # the description joins its figures' row


def _cell(left: int) -> Cell:
    return Cell(left, 100, left + 50, 110)


def test_the_row_arithmetic_chooses_among_the_readings() -> None:
    quantity, price, amount = _cell(100), _cell(200), _cell(300)
    row = [
        (quantity, [_Reading("100", 196.0)]),
        (price, [_Reading("1,23456", 190.0)]),
        # Most variants read a 3 as an 8; the product of the row proves the other reading.
        (amount, [_Reading("128,46", 290.0), _Reading("123,46", 180.0)]),
    ]
    chosen, settled = _choose(row)
    assert chosen[amount].text == "123,46"
    assert settled == {quantity, price, amount}


def test_without_arithmetic_the_most_often_read_is_kept() -> None:
    fee = _cell(300)
    chosen, settled = _choose([(fee, [_Reading("7,54", 290.0), _Reading("7,34", 180.0)])])
    assert chosen[fee].text == "7,54" and not settled


@pytest.mark.parametrize(
    ("text", "value"),
    [("3.185,42", "3185.42"), ("1.27403", "1.27403"), ("2.731", "2731"), ("17,43-", "17.43"), ("12 3", None)],
)
def test_a_cells_figure(text: str, value: str | None) -> None:
    assert _value(text) == (Decimal(value) if value else None)


def test_without_a_header_the_band_opens_above_the_first_billed_line() -> None:
    words = [
        Word("ENERGIA", 90.0, 300, 100, 80, 10, (1, 1, 1)),  # a title: no figures beside it
        Word("FISCAL", 90.0, 200, 100, 80, 10, (1, 1, 1)),
        Word("Consumo", 90.0, 20, 500, 80, 10, (2, 1, 1)),
        Word("TE", 90.0, 110, 500, 20, 10, (2, 1, 1)),
        Word("372,0000", 90.0, 400, 501, 80, 10, (2, 1, 1)),
        Word("far", 90.0, 900, 500, 20, 10, (3, 1, 1)),
    ]
    band = items_band(words, 2000)
    assert band is not None and band[0] == 500 - 4 * 10
    assert items_band(words[:2], 2000) is None
