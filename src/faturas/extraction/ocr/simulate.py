"""Scans made from text PDFs, to measure OCR on bills whose true values are known (tests, benchmark)."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageChops, ImageFilter

from faturas.extraction.ocr.render import render_pages

#: Noise sigma (grey levels) of the "noisy" variant: a cheap office scanner.
NOISY_SIGMA = 24.0


def simulate_scan(pdf: bytes, dpi: int, rotation: float = 0.0, noise: float = 0.0, seed: int = 0) -> bytes:
    """An image-only PDF of every page of ``pdf``, scanned at ``dpi``, tilted and noisy if asked."""
    images = render_pages(pdf, range(_page_count(pdf)), dpi, max_pixels=10**9)
    pages = [_degrade(image, rotation, noise, random.Random(seed + number)) for number, image in enumerate(images)]
    output = io.BytesIO()
    pages[0].save(output, "PDF", resolution=float(dpi), save_all=True, append_images=pages[1:])
    return output.getvalue()


def _degrade(image: Image.Image, rotation: float, noise: float, rng: random.Random) -> Image.Image:
    if rotation:
        image = image.rotate(rotation, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    if noise:
        image = image.filter(ImageFilter.GaussianBlur(0.6))
        grain = Image.effect_noise(image.size, noise)
        # effect_noise centres its values on 128: shift them so they add to the page without brightening it.
        image = ImageChops.add(image, grain, scale=1.0, offset=-128 + rng.randint(-4, 4))
    return image


def _page_count(pdf: bytes) -> int:
    from faturas.extraction.pdf_text import count_pages

    return count_pages(pdf)
