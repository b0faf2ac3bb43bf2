"""The items band of a tilted photo is cut from a copy of the page straightened like the cleaned one."""

from __future__ import annotations

from PIL import Image, ImageDraw

from faturas.extraction.image.zoom import items_band
from faturas.extraction.ocr.engine import Word
from faturas.extraction.ocr.render import clean, estimate_skew, flatten, straighten


def _tilted_page() -> Image.Image:
    page = Image.new("L", (900, 1200), 255)
    draw = ImageDraw.Draw(page)
    for row in range(60, 1140, 40):
        draw.rectangle((60, row, 840, row + 12), fill=20)
    return page.rotate(2.0, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)


def test_the_uncleaned_copy_straightened_by_the_cleaned_pages_angle_keeps_the_cleaned_pages_pixels() -> None:
    page = _tilted_page()
    flat = flatten(page)
    angle = estimate_skew(flat)
    assert abs(angle) > 1  # the page was tilted: cleaning turns it
    cleaned, uncleaned = straighten(flat, angle), straighten(page, angle)
    assert cleaned.size == uncleaned.size == clean(page).size


def test_a_header_whose_small_capitals_lost_their_spaces_still_opens_the_band() -> None:
    header = Word("ITENSDAFATURA", 90.0, 10, 400, 120, 10, (1, 1, 1))
    assert items_band([header], 2000) is not None
    assert items_band([Word("ITENSX", 90.0, 10, 400, 60, 10, (1, 1, 1))], 2000) is None
