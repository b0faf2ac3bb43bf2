"""Finding the bill in the picture: phone overlays and the table under a photographed page are cut away.

Screenshots carry a status bar, a URL bar and a navigation bar (dark or coloured bands at the top and
bottom edges); photos show the table or fabric around the paper. Both are darker than the paper, so on
a small copy the page spans from the first to the last column that is mostly bright, and within those
columns from the first to the last row with some paper in it. Anything the cut is unsure of stays in:
a margin of background costs Tesseract little, a lost line of the bill costs a field.
"""

from __future__ import annotations

from PIL import Image

#: The copy the page is searched on; enough rows to resolve a status bar.
PROBE_SIZE = 600

#: A column belongs to the page when at least this share of its pixels is paper-bright; a row (within
#: the page's columns) when at least ROW_SHARE is: a dark title band on the page still has its white
#: letters, a status bar or a table top has next to none.
COLUMN_SHARE = 0.3
ROW_SHARE = 0.2

#: The cut is kept only when the page it finds is at least this share of the image's side.
MIN_PAGE_SHARE = 0.2

#: Margin left around the page found, as a share of the probe side (covers blur and tilt).
MARGIN_SHARE = 0.015


def crop_to_page(image: Image.Image) -> Image.Image:
    """The image cut to the bright page in it (columns first, then rows), or unchanged when unclear."""
    probe = image.copy()
    probe.thumbnail((PROBE_SIZE, PROBE_SIZE))
    mask = probe.point(lambda level: 255 if level >= _paper_threshold(probe) else 0)
    columns = _span(mask, COLUMN_SHARE, across=False)
    if columns is None:
        return image
    left, right = columns
    rows = _span(mask.crop((left, 0, right, probe.height)), ROW_SHARE, across=True)
    if rows is None:
        return image
    top, bottom = rows
    scale_x, scale_y = image.width / probe.width, image.height / probe.height
    margin_x, margin_y = round(MARGIN_SHARE * probe.width), round(MARGIN_SHARE * probe.height)
    box = (
        max(0, round((left - margin_x) * scale_x)),
        max(0, round((top - margin_y) * scale_y)),
        min(image.width, round((right + margin_x) * scale_x)),
        min(image.height, round((bottom + margin_y) * scale_y)),
    )
    if box == (0, 0, image.width, image.height):
        return image
    return image.crop(box)


def _paper_threshold(probe: Image.Image) -> int:
    """Some way below the paper's level (the 90th percentile of the image)."""
    histogram = probe.histogram()
    total = sum(histogram)
    seen, paper = 0, 255
    for level, count in enumerate(histogram):
        seen += count
        if seen >= 0.9 * total:
            paper = level
            break
    return max(96, paper - 40)


def _span(mask: Image.Image, share: float, across: bool) -> tuple[int, int] | None:
    """From the first to the last row (``across``) or column bright enough to be the page's."""
    size = (1, mask.height) if across else (mask.width, 1)
    profile = mask.resize(size, Image.Resampling.BOX).tobytes()
    bright = [index for index, level in enumerate(profile) if level >= share * 255]
    if not bright or bright[-1] + 1 - bright[0] < MIN_PAGE_SHARE * len(profile):
        return None
    return bright[0], bright[-1] + 1
