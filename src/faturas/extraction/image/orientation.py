"""Which way up the page is: 0, 90, 180 or 270 degrees.

EXIF orientation is applied when the image is opened; this is for pages that are upside down or
sideways in their pixels (a scan stored rotated, a screenshot of a rotated viewer). Tesseract's
orientation detection (OSD) answers at once when its data is installed and it is sure; otherwise
each candidate orientation of a small copy is read and the one with the most confident words wins.
"""

from __future__ import annotations

from functools import cache

import pytesseract
from PIL import Image

from faturas.extraction.ocr.engine import read_words

#: OSD's own confidence above which its answer is taken without probing.
OSD_CONFIDENT = 2.0

#: Width of the copy each orientation is probed on: enough for Tesseract to read body text.
PROBE_WIDTH = 1100

#: Height of the probed band, as a share of the probe's width.
PROBE_BAND = 0.8

#: A word counts towards an orientation when Tesseract is this sure of it and it has letters or digits.
PROBE_WORD_CONFIDENCE = 75.0


def upright(image: Image.Image, language: str, timeout_seconds: float) -> tuple[Image.Image, int]:
    """The image turned upright, and the clockwise rotation that was applied (degrees)."""
    rotation = _osd_rotation(image, timeout_seconds)
    # OSD is trusted alone for upside-down pages only: for sideways ones the probes settle the direction.
    if rotation is not None and rotation[1] >= OSD_CONFIDENT and rotation[0] in (0, 180):
        turn = rotation[0]
    else:
        candidates = [0, 180] if rotation is None or rotation[0] in (0, 180) else [0, 90, 180, 270]
        turn = max(candidates, key=lambda angle: (_probe_score(image, angle, language, timeout_seconds), -angle))
    return (_turn(image, turn) if turn else image), turn


def _turn(image: Image.Image, clockwise: int) -> Image.Image:
    # Pillow rotates counter-clockwise.
    return image.rotate(-clockwise, expand=True, fillcolor=255)


@cache
def _osd_installed() -> bool:
    try:
        return "osd" in pytesseract.get_languages()
    except (pytesseract.TesseractNotFoundError, pytesseract.TesseractError, OSError):
        return False


def _osd_rotation(image: Image.Image, timeout_seconds: float) -> tuple[int, float] | None:
    """OSD's (clockwise rotation that makes the page upright, confidence), or None without an answer."""
    if not _osd_installed():
        return None
    probe = _probe(image)
    try:
        result = pytesseract.image_to_osd(
            probe, config="--psm 0", timeout=timeout_seconds, output_type=pytesseract.Output.DICT
        )
    except (pytesseract.TesseractError, RuntimeError):
        # Too few characters for OSD, or a timeout: the probes decide.
        return None
    return int(result["rotate"]) % 360, float(result["orientation_conf"])


def _probe(image: Image.Image) -> Image.Image:
    if image.width > PROBE_WIDTH:
        height = round(image.height * PROBE_WIDTH / image.width)
        image = image.resize((PROBE_WIDTH, height), Image.Resampling.LANCZOS)
    return image


def _band(image: Image.Image) -> Image.Image:
    """The middle of the page, as wide as the probe: enough text to tell up from down, a third of the cost."""
    probe = _probe(image)
    height = min(probe.height, round(PROBE_WIDTH * PROBE_BAND))
    top = (probe.height - height) // 2
    return probe.crop((0, top, probe.width, top + height))


def _probe_score(image: Image.Image, angle: int, language: str, timeout_seconds: float) -> int:
    probe = _band(_turn(image, angle) if angle else image)
    words = read_words(probe, language, 6, timeout_seconds)
    return sum(
        1
        for word in words
        if word.confidence >= PROBE_WORD_CONFIDENCE and sum(char.isalnum() for char in word.text) >= 3
    )
