"""An uploaded image made ready for OCR: upright, cropped to the page, grayscale, sized, cleaned, straight."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from faturas.extraction.image.load import load_image
from faturas.extraction.image.orientation import upright
from faturas.extraction.image.page import crop_to_page
from faturas.extraction.ocr.render import estimate_skew, flatten, straighten

#: The page is resized to about this width: bill print is then as tall as on a 250 dpi scan, which is
#: where Tesseract reads 6 pt table figures best without spending seconds on needless pixels.
TARGET_WIDTH = 2200

#: Never enlarge more than this (a tiny thumbnail gains nothing) nor shrink below half.
MAX_UPSCALE = 2.5
MIN_SCALE = 0.5

#: Below this page width (after cropping) the print is too small to trust any read.
MIN_READABLE_WIDTH = 500


@dataclass(frozen=True)
class PreparedImage:
    image: Image.Image
    #: Clockwise rotation applied to make the page upright (beyond EXIF), in degrees.
    rotation: int
    #: Width of the page in the original pixels, before resizing: how much detail there was to read.
    source_width: int
    #: The same page before cleaning (no median filter, no flattening), straightened alike (so its
    #: pixels are the cleaned page's): small print enlarged from it keeps thin strokes the filters merge.
    uncleaned: Image.Image | None = None


def prepare_image(data: bytes, language: str, timeout_seconds: float, max_pixels: int) -> PreparedImage:
    image = load_image(data)
    image, rotation = upright(image, language, timeout_seconds)
    page = crop_to_page(image)
    scale = min(MAX_UPSCALE, max(MIN_SCALE, TARGET_WIDTH / page.width))
    if page.width * page.height * scale * scale > max_pixels:
        scale = (max_pixels / (page.width * page.height)) ** 0.5
    if abs(scale - 1) > 0.05:
        size = (round(page.width * scale), round(page.height * scale))
        page = page.resize(size, Image.Resampling.LANCZOS)
    flat = flatten(page)
    # One angle for both copies: a photographed page's tilt is measured on the cleaned one.
    angle = estimate_skew(flat)
    cleaned, uncleaned = straighten(flat, angle), straighten(page.convert("L"), angle)
    return PreparedImage(cleaned, rotation, round(page.width / scale), uncleaned)
