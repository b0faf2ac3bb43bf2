"""Tesseract through pytesseract: one process per page, so a stuck page can be killed on time."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache

import pytesseract
from PIL import Image

from faturas.errors import OcrTimeout, OcrUnavailable


@dataclass(frozen=True)
class Word:
    text: str
    confidence: float  # 0-100, as Tesseract reports it
    left: int
    top: int
    width: int
    height: int
    line: tuple[int, int, int]  # Tesseract's (block, paragraph, line)

    @property
    def bottom(self) -> int:
        return self.top + self.height


@cache
def _installed_languages() -> frozenset[str]:
    try:
        pytesseract.get_tesseract_version()
        return frozenset(pytesseract.get_languages())
    except (pytesseract.TesseractNotFoundError, pytesseract.TesseractError, OSError) as exc:
        raise OcrUnavailable(f"Tesseract não está instalado ({exc})") from exc


def check_available(language: str) -> None:
    """Raise OcrUnavailable unless Tesseract and its ``language`` model are installed."""
    languages = _installed_languages()
    missing = [name for name in language.split("+") if name not in languages]
    if missing:
        raise OcrUnavailable(f"falta o idioma {', '.join(missing)} do Tesseract (pacote tesseract-ocr-{missing[0]})")


def read_words(
    image: Image.Image, language: str, page_segmentation: int, timeout_seconds: float, config: str = ""
) -> list[Word]:
    """Every word Tesseract recognises on the image, with its box and confidence (``config``: more
    Tesseract options, such as a character whitelist)."""
    check_available(language)
    # Tesseract's OpenMP threads fight each other (and the other workers) on small machines: on two
    # cores a page takes six times longer with them. Each worker process reads one page at a time.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        data = pytesseract.image_to_data(
            image,
            lang=language,
            config=f"--psm {page_segmentation} -c preserve_interword_spaces=0 {config}".strip(),
            timeout=timeout_seconds,
            output_type=pytesseract.Output.DICT,
        )
    except RuntimeError as exc:
        if "timeout" in str(exc).lower():
            raise OcrTimeout(timeout_seconds) from exc
        raise
    words = []
    for index, text in enumerate(data["text"]):
        confidence = float(data["conf"][index])
        if confidence < 0 or not str(text).strip():
            continue
        words.append(
            Word(
                text=str(text).strip(),
                confidence=confidence,
                left=int(data["left"][index]),
                top=int(data["top"][index]),
                width=int(data["width"][index]),
                height=int(data["height"][index]),
                line=(int(data["block_num"][index]), int(data["par_num"][index]), int(data["line_num"][index])),
            )
        )
    return words
