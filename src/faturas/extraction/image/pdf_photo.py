"""The photo or screenshot that a one-page PDF only wraps (a phone's "scan to PDF", an image printed to
PDF): read as the image it is, it gets the image pipeline's preparation (orientation, page crop, deskew)."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

#: The image is the page when it covers at least this share of it.
MIN_PAGE_SHARE = 0.8


def wrapped_image(pdf: bytes, password: str | None, max_pixels: int) -> bytes | None:
    """The one image of a one-page PDF, in its own encoding where PDFium can give it (JPEG), else as PNG.

    None when the PDF has more pages, when its page holds no image or several, when the image covers
    too little of the page, or when it has more than ``max_pixels`` (left to the page's OCR, which scales).
    """
    document = pdfium.PdfDocument(pdf, password=password)
    try:
        if len(document) != 1:
            return None
        page = document[0]
        width, height = page.get_size()
        images = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))
        if len(images) != 1:
            return None
        image = images[0]
        left, bottom, right, top = image.get_bounds()
        if (right - left) * (top - bottom) < MIN_PAGE_SHARE * width * height:
            return None
        pixels_wide, pixels_high = image.get_px_size()
        if pixels_wide * pixels_high > max_pixels:
            return None
        output = io.BytesIO()
        image.extract(output, fb_format="png")
        return output.getvalue()
    finally:
        document.close()
