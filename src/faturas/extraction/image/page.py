"""Finding the bill in the picture: phone overlays and the table under a photographed page are cut away.

Screenshots carry a status bar, a URL bar and a navigation bar (dark or coloured bands at the top and
bottom edges); photos show the table or fabric around the paper. Both are darker than the paper, so
dark rows (and then columns) are trimmed from the edges of a small copy. Anything the cut is
unsure of stays in: a margin of background costs Tesseract little, a lost line of the bill costs a field.
"""

from __future__ import annotations

from PIL import Image

#: The copy the page is searched on; enough rows to resolve a status bar.
PROBE_SIZE = 600

#: A row (column) belongs to the page when at least this share of its pixels is paper-bright.
BRIGHT_SHARE = 0.6

#: The cut is kept only when the page it finds is at least this share of the image's side.
MIN_PAGE_SHARE = 0.35

#: No more than this share of a side is trimmed from each edge.
MAX_TRIM_SHARE = 0.3

#: Margin left around the page found, as a share of the probe side (covers blur and tilt).
MARGIN_SHARE = 0.015


def crop_to_page(image: Image.Image) -> Image.Image:
    """The image cut to the bright page in it (rows first, then columns), or unchanged when unclear."""
    probe = image.copy()
    probe.thumbnail((PROBE_SIZE, PROBE_SIZE))
    threshold = _paper_threshold(probe)
    rows = _bright_run(probe, threshold, across=True)
    if rows is None:
        return image
    top, bottom = rows
    band = probe.crop((0, top, probe.width, bottom))
    columns = _bright_run(band, threshold, across=False) or (0, probe.width)
    left, right = columns
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
    """Half way between the ink-and-background level and the paper's (the 90th percentile)."""
    histogram = probe.histogram()
    total = sum(histogram)
    seen, paper = 0, 255
    for level, count in enumerate(histogram):
        seen += count
        if seen >= 0.9 * total:
            paper = level
            break
    return max(96, paper - 40)


def _bright_run(probe: Image.Image, threshold: int, across: bool) -> tuple[int, int] | None:
    """The span left after trimming dark rows (``across``) or columns from both edges.

    Only the edges are trimmed: a dark band inside the page (a shaded header, a table title) must
    never split it. None when nothing is trimmed or what is left is too small to be the page.
    """
    mask = probe.point(lambda level: 255 if level >= threshold else 0)
    size = (1, probe.height) if across else (probe.width, 1)
    profile = mask.resize(size, Image.Resampling.BOX).tobytes()
    side = len(profile)
    limit = round(MAX_TRIM_SHARE * side)
    bright = [share >= BRIGHT_SHARE * 255 for share in profile]
    start = next((index for index in range(limit) if bright[index]), limit)
    stop = side - next((index for index in range(limit) if bright[side - 1 - index]), limit)
    if (start, stop) == (0, side) or stop - start < MIN_PAGE_SHARE * side:
        return None
    return start, stop
