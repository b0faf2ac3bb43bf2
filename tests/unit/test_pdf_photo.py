"""wrapped_image(): the photo a one-page PDF only wraps, and nothing else."""

from __future__ import annotations

import io

from fpdf import FPDF
from PIL import Image

from faturas.extraction.image.pdf_photo import wrapped_image

PIXELS = 10**8


def _photo(size: tuple[int, int] = (600, 800)) -> Image.Image:
    image = Image.new("RGB", size, "white")
    image.paste((30, 30, 30), (50, 50, 550, 120))  # something on it, so it is not a blank page
    return image


def _image_pdf(*pages: Image.Image) -> bytes:
    output = io.BytesIO()
    pages[0].save(output, "PDF", resolution=100, save_all=True, append_images=list(pages[1:]))
    return output.getvalue()


def test_the_image_of_a_one_page_image_pdf_comes_out_whole() -> None:
    found = wrapped_image(_image_pdf(_photo()), None, PIXELS)
    assert found is not None
    assert Image.open(io.BytesIO(found)).size == (600, 800)


def test_a_pdf_of_several_pages_is_not_one_photo() -> None:
    assert wrapped_image(_image_pdf(_photo(), _photo()), None, PIXELS) is None


def test_an_image_covering_a_small_part_of_the_page_is_not_the_page() -> None:
    pdf = FPDF()
    pdf.add_page()
    output = io.BytesIO()
    _photo().save(output, "PNG")
    pdf.image(output, x=10, y=10, w=60)
    assert wrapped_image(bytes(pdf.output()), None, PIXELS) is None


def test_a_text_page_has_no_photo() -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.text(10, 20, "Fatura de energia")
    assert wrapped_image(bytes(pdf.output()), None, PIXELS) is None


def test_an_image_over_the_pixel_limit_is_left_to_the_pages_ocr() -> None:
    assert wrapped_image(_image_pdf(_photo()), None, 600 * 800 - 1) is None
