"""The items table read again, enlarged: where the band is, and how its words replace the page read's."""

from __future__ import annotations

from PIL import Image

from faturas.extraction.image.zoom import BAND_SHARE, PRICE_LEAD, ZOOM, band_image, items_band, merge_band
from faturas.extraction.ocr.engine import Word


def _word(text: str, top: int, left: int = 10, height: int = 10, line: tuple[int, int, int] = (1, 1, 1)) -> Word:
    return Word(text, 90.0, left, top, 8 * len(text), height, line)


def test_the_band_opens_at_the_capitalised_table_header_not_at_the_word_in_prose() -> None:
    words = [_word("demais", 100), _word("itens", 100, 70), _word("Itens", 400), _word("de", 400, 70)]
    assert items_band(words, 2000) == (390, 400 + round(BAND_SHARE * 2000))
    assert items_band([_word("demais", 100), _word("itens", 100, 70)], 2000) is None


def test_the_enlarged_words_replace_the_page_reads_in_the_band_only() -> None:
    page = [_word("above", 100), _word("garbled", 420), _word("below", 900)]
    # The enlarged read of a cut starting at row 380: its coordinates are ZOOM times the page's.
    enlarged = [_word("Consumo", round((420 - 380) * ZOOM), height=round(10 * ZOOM), line=(2, 1, 1))]
    merged = merge_band(page, enlarged, (400, 800), 380)
    assert sorted(word.text for word in merged) == ["Consumo", "above", "below"]
    consumo = next(word for word in merged if word.text == "Consumo")
    assert (consumo.top, consumo.height) == (420, 10)
    assert consumo.line[0] != 1  # its own lines, never joined to the page read's


def test_an_empty_enlarged_read_keeps_the_page_read() -> None:
    page = [_word("kept", 420)]
    assert merge_band(page, [], (400, 800), 380) == page


def test_the_cut_keeps_a_margin_around_the_band_and_is_enlarged() -> None:
    image, top = band_image(Image.new("L", (100, 1000), 255), (400, 600), 10)
    assert top == 380
    assert image.size == (round(100 * ZOOM), round(240 * ZOOM))


def test_without_a_header_or_a_first_row_word_the_band_opens_above_the_first_unit_price() -> None:
    # A photo's header and "TUSD - Consumo" garbled; the price column read "0,71234567]".
    words = [
        _word("0000012345", 200, height=10),  # a code: no decimals
        _word("12,34", 300, height=10),  # an amount: two decimals
        _word("garbled", 600, height=12),
        _word("0,71234567]", 600, 500, height=12),
        _word("0,00000000", 640, 500, height=12),
    ]
    assert items_band(words, 2000) == (600 - PRICE_LEAD * 12, 600 + round(BAND_SHARE * 2000))
    assert items_band(words[:3], 2000) is None


def test_a_lone_figure_with_many_decimals_opens_no_band() -> None:
    words = [_word("0,12345678", 300, height=12), _word("garbled", 600), _word("0,71234567", 1500, height=12)]
    assert items_band(words, 2000) is None
