"""Small print read again enlarged: a bill printed small on its page (Energisa's DANF3E and MATRÍCULA
forms fill a third of an A3 page) gives Tesseract characters too small to tell apart.

Digits that touch ("345,67" read "45,67"), full stops lost between groups ("012.345.678") and
abbreviations' dots ("Adic. B. Vermelha") come back when the page is enlarged before it is cleaned:
the median filter and the background flattening then work on strokes wider than their windows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PIL import Image, ImageFilter, ImageOps

from faturas.extraction.ocr.engine import Word

#: Below this median word height (pixels) the page's print is small. At 300 dpi Energisa's forms read
#: 14-15 pixels; CPFL's and CELESC's 17-18, COPEL's and COELBA's 21-23 (their pages are left alone).
SMALL_PRINT_HEIGHT = 16

#: The enlarged page's median word height aims at this, enlarging no more than MAX_ENLARGEMENT times.
TARGET_HEIGHT = 28
MAX_ENLARGEMENT = 2.5

#: Grey level (inverted) above which a pixel is ink when the printed area is cropped, measured on a
#: copy reduced this many times and median-filtered, so that scanner grain is not taken for print.
_INK = 60
_PROBE_REDUCTION = 4

#: Words needed for a median worth trusting: a page with a handful of words is not judged by them.
_MIN_WORDS = 40


def print_height(words: Sequence[Word]) -> float | None:
    """The median height of the page's words with letters or digits, or None with too few of them."""
    heights = sorted(word.height for word in words if any(char.isalnum() for char in word.text))
    if len(heights) < _MIN_WORDS:
        return None
    return float(heights[len(heights) // 2])


def enlarged(image: Image.Image, words: Sequence[Word], max_pixels: int) -> Image.Image | None:
    """The page's printed area enlarged to a readable print size, or None when its print is not small.

    Only the printed area is enlarged (cropped to its ink), so that a small bill on a large page costs
    Tesseract the bill's pixels, not the blank page's; ``max_pixels`` caps the result.
    """
    height = print_height(words)
    if height is None or height >= SMALL_PRINT_HEIGHT:
        return None
    gray = image.convert("L")
    probe = ImageOps.invert(gray.reduce(_PROBE_REDUCTION).filter(ImageFilter.MedianFilter(3)))
    box = probe.point([255 if value > _INK else 0 for value in range(256)]).getbbox()
    if box is None:
        return None
    margin = 2 * _PROBE_REDUCTION
    left, top, right, bottom = (edge * _PROBE_REDUCTION for edge in box)
    printed = gray.crop((max(0, left - margin), max(0, top - margin), right + margin, bottom + margin))
    scale = min(MAX_ENLARGEMENT, TARGET_HEIGHT / max(height, 1.0))
    scale = min(scale, math.sqrt(max_pixels / (printed.width * printed.height)))
    if scale <= 1.2:
        return None
    size = (round(printed.width * scale), round(printed.height * scale))
    return printed.resize(size, Image.Resampling.LANCZOS)
