"""Small print is read again enlarged: only the printed area, only when the words are small."""

from __future__ import annotations

from PIL import Image, ImageDraw

from faturas.extraction.ocr.engine import Word
from faturas.extraction.ocr.small_print import MAX_ENLARGEMENT, enlarged, print_height


def _words(height: int, count: int = 60) -> list[Word]:
    return [Word("12,34", 90.0, 10 * index, 100, 40, height, (1, 1, index)) for index in range(count)]


def _small_bill_on_a_large_page() -> Image.Image:
    page = Image.new("L", (3000, 4000), 255)
    draw = ImageDraw.Draw(page)
    for row in range(40):
        draw.rectangle((100, 100 + row * 30, 900, 112 + row * 30), fill=0)
    return page


def test_the_print_height_is_the_median_of_the_words_with_letters_or_digits() -> None:
    words = [*_words(14, 50), Word("|", 90.0, 0, 0, 3, 400, (1, 1, 99))]
    assert print_height(words) == 14
    assert print_height(_words(14, 10)) is None


def test_a_page_of_small_print_is_cropped_to_its_print_and_enlarged() -> None:
    larger = enlarged(_small_bill_on_a_large_page(), _words(14), max_pixels=40_000_000)
    assert larger is not None
    # The print spans about 800 × 1180 pixels: enlarged twice (28 / 14), the blank page left out.
    assert 1600 <= larger.width <= 1700
    assert 2360 <= larger.height <= 2460


def test_enlarging_stops_at_its_limits() -> None:
    page = _small_bill_on_a_large_page()
    tiny = enlarged(page, _words(5), max_pixels=40_000_000)
    assert tiny is not None and tiny.width <= 830 * MAX_ENLARGEMENT
    capped = enlarged(page, _words(10), max_pixels=2_000_000)
    assert capped is not None and capped.width * capped.height <= 2_000_000 * 1.01


def test_a_page_of_ordinary_print_or_with_too_few_words_is_left_alone() -> None:
    page = _small_bill_on_a_large_page()
    assert enlarged(page, _words(18), max_pixels=40_000_000) is None
    assert enlarged(page, _words(14, 10), max_pixels=40_000_000) is None
    assert enlarged(Image.new("L", (500, 500), 255), _words(14), max_pixels=40_000_000) is None
