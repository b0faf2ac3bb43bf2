from __future__ import annotations

import pytest
from PIL import Image, ImageDraw

from faturas.extraction.ocr.render import clean, estimate_skew


def _page_of_lines() -> Image.Image:
    page = Image.new("L", (1200, 1600), 255)
    draw = ImageDraw.Draw(page)
    for row in range(30):
        top = 100 + row * 45
        draw.rectangle((100, top, 1100 - (row % 5) * 60, top + 18), fill=0)
    return page


@pytest.mark.parametrize("tilt", [-2.5, -1.0, 0.0, 1.5, 3.0])
def test_the_skew_of_a_tilted_page_is_found(tilt: float) -> None:
    tilted = _page_of_lines().rotate(tilt, expand=True, fillcolor=255)
    assert estimate_skew(tilted) == pytest.approx(-tilt, abs=0.2)


def test_cleaning_turns_a_grey_box_white_and_keeps_the_ink() -> None:
    page = Image.new("L", (600, 400), 255)
    draw = ImageDraw.Draw(page)
    draw.rectangle((50, 50, 550, 350), fill=190)  # a shaded box
    draw.rectangle((100, 150, 500, 170), fill=20)  # text on it
    cleaned = clean(page)
    assert cleaned.getpixel((300, 100)) > 230  # type: ignore[operator]
    assert cleaned.getpixel((300, 160)) < 60  # type: ignore[operator]
