"""Page images for OCR: pypdfium2 renders them, Pillow cleans them (contrast, noise, skew)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence

import pypdfium2 as pdfium
from PIL import Image, ImageChops, ImageFilter, ImageOps

#: PDF user space is 1/72 inch.
POINTS_PER_INCH = 72

#: Skew is searched in this range (degrees); a photo tilted more than this is not a usable scan.
MAX_SKEW_DEGREES = 5.0

#: Below this the rotation's resampling blur costs more accuracy than the skew does.
MIN_SKEW_DEGREES = 0.15

#: The paper colour is taken over a window of BACKGROUND_WINDOW pixels of a copy reduced this many
#: times: 20 pixels at 300 dpi, wider than any character stroke.
BACKGROUND_REDUCTION = 4
BACKGROUND_WINDOW = 5

#: Width of the thumbnail the skew is measured on: enough rows to see text lines, cheap to rotate.
SKEW_PROBE_WIDTH = 900

#: A dark run at least this fraction of the page width is a box border or a table rule, not a
#: stroke: across, longer than a word's underline of bars ("ELÉTRICA" tops touch); down, taller than
#: the largest digits (22 pt) yet shorter than a two-line box's side.
RULE_ACROSS = 1 / 10
RULE_DOWN = 1 / 20


def render_pages(
    pdf: bytes, indexes: Sequence[int], dpi: int, max_pixels: int, password: str | None = None
) -> Iterator[Image.Image]:
    """Grayscale images of the given pages, at ``dpi`` unless that would exceed ``max_pixels``."""
    document = pdfium.PdfDocument(pdf, password=password)
    try:
        for index in indexes:
            page = document[index]
            try:
                width, height = page.get_size()
                scale = dpi / POINTS_PER_INCH
                pixels = width * height * scale * scale
                if pixels > max_pixels:
                    scale *= math.sqrt(max_pixels / pixels)
                bitmap = page.render(scale=scale, grayscale=True, fill_color=(255, 255, 255, 255))
                image: Image.Image = bitmap.to_pil().convert("L")
            finally:
                page.close()
            yield image
    finally:
        document.close()


def clean(image: Image.Image) -> Image.Image:
    """Flatten shaded boxes to white, stretch contrast, drop speckle noise and straighten the page."""
    image = flatten(image)
    return straighten(image, estimate_skew(image))


def flatten(image: Image.Image) -> Image.Image:
    """Shaded boxes flattened to white, contrast stretched, speckle noise dropped: ``clean`` unrotated."""
    image = ImageOps.autocontrast(image.convert("L"), cutoff=1)
    image = image.filter(ImageFilter.MedianFilter(3))
    return ImageOps.autocontrast(_flatten_background(image), cutoff=0.5)


def straighten(image: Image.Image, angle: float) -> Image.Image:
    """The image rotated by ``angle`` (from ``estimate_skew``), unless the skew is too small to matter."""
    if abs(angle) < MIN_SKEW_DEGREES:
        return image
    return image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)


def _flatten_background(image: Image.Image) -> Image.Image:
    """Keep only how much darker each pixel is than the paper around it.

    Bills print labels and numbers on grey boxes; Tesseract's global threshold then loses either the
    box's text or the thin text elsewhere. A local maximum, wider than any stroke, is the paper.
    """
    # Measured on a quarter-size copy: a full-size max filter costs seconds per page.
    small = image.reduce(BACKGROUND_REDUCTION).filter(ImageFilter.MaxFilter(BACKGROUND_WINDOW))
    paper = small.filter(ImageFilter.BoxBlur(BACKGROUND_WINDOW)).resize(image.size, Image.Resampling.BILINEAR)
    return ImageOps.invert(ImageChops.subtract(paper, image))


def estimate_skew(image: Image.Image) -> float:
    """The rotation (degrees, counter-clockwise) that makes text lines horizontal.

    Text lines give the row profile of a straight page sharp peaks; the angle whose rotation
    maximises the profile's contrast is the skew. Coarse search, then a fine one around the best.
    """
    probe = image.copy()
    probe.thumbnail((SKEW_PROBE_WIDTH, SKEW_PROBE_WIDTH * 2))
    probe = ImageOps.invert(probe)
    best = _best_angle(probe, [step / 2 for step in range(-int(MAX_SKEW_DEGREES * 2), int(MAX_SKEW_DEGREES * 2) + 1)])
    return _best_angle(probe, [best + step / 20 for step in range(-10, 11)])


def _best_angle(probe: Image.Image, angles: Sequence[float]) -> float:
    return max(angles, key=lambda angle: (_profile_sharpness(probe, angle), -abs(angle)))


def _profile_sharpness(probe: Image.Image, angle: float) -> float:
    rotated = probe.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=0)
    rows = rotated.resize((1, rotated.height), Image.Resampling.BOX).tobytes()
    return float(sum((int(b) - int(a)) ** 2 for a, b in itertools.pairwise(rows)))


def remove_rules(image: Image.Image) -> Image.Image:
    """Erase box borders and table rules, keeping the text inside the boxes.

    Tesseract takes a box's border for part of the characters it touches, or the whole box for a
    picture: a boxed "Nº DO CLIENTE 7009..." comes back as noise or not at all. A pixel is part of a
    rule when the dark run through it, across or down, is longer than any character stroke.
    """
    ink = ImageOps.invert(image).point([255 if value > 100 else 0 for value in range(256)])
    solid = [255 if value > 240 else 0 for value in range(256)]
    grown = [255 if value > 0 else 0 for value in range(256)]
    # The blur's mean is near full only inside a long run; blurring the mark again reaches its ends.
    reach = max(4, round(image.width * RULE_ACROSS / 2))
    across = ink.filter(ImageFilter.BoxBlur((reach, 0))).point(solid)
    across = across.filter(ImageFilter.BoxBlur((reach, 2))).point(grown)
    reach = max(4, round(image.width * RULE_DOWN / 2))
    down = ink.filter(ImageFilter.BoxBlur((0, reach))).point(solid)
    down = down.filter(ImageFilter.BoxBlur((2, reach))).point(grown)
    paper = Image.new("L", image.size, 255)
    return Image.composite(paper, image, ImageChops.lighter(across, down))
