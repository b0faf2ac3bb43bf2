"""Images as input: told by content, opened safely, turned upright and cut to the page."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw

from faturas.errors import DamagedImage, EmptyFile, ImageTooLarge, NotAPdf
from faturas.extraction.image.formats import ImageFormat, check_is_bill_file, detect_image_format
from faturas.extraction.image.load import load_image
from faturas.extraction.image.page import crop_to_page

EXIF_ORIENTATION = 0x0112


def _encode(image: Image.Image, format_name: str, **options: object) -> bytes:
    output = io.BytesIO()
    image.save(output, format_name, **options)
    return output.getvalue()


@pytest.mark.parametrize(
    ("format_name", "expected"), [("JPEG", ImageFormat.JPEG), ("PNG", ImageFormat.PNG), ("WEBP", ImageFormat.WEBP)]
)
def test_images_are_told_by_their_content(format_name: str, expected: ImageFormat) -> None:
    data = _encode(Image.new("RGB", (8, 8), "white"), format_name)
    assert detect_image_format(data) is expected
    check_is_bill_file(data)  # accepted for upload


def test_uploads_take_pdfs_and_images_and_refuse_the_rest_saying_what_it_is() -> None:
    check_is_bill_file(b"%PDF-1.7\n...")
    assert detect_image_format(b"%PDF-1.7") is None
    with pytest.raises(NotAPdf) as refused:
        check_is_bill_file(b"GIF89a....")
    assert refused.value.code == "not_a_pdf"
    assert "nem uma imagem JPG, PNG ou WebP" in refused.value.message
    assert "GIF" in refused.value.message
    with pytest.raises(EmptyFile):
        check_is_bill_file(b"")


def test_exif_orientation_is_applied_and_the_image_is_grayscale() -> None:
    sideways = Image.new("RGB", (40, 20), "white")
    exif = sideways.getexif()
    exif[EXIF_ORIENTATION] = 6  # the camera was turned: show rotated 90° clockwise
    image = load_image(_encode(sideways, "JPEG", exif=exif.tobytes()))
    assert image.size == (20, 40)
    assert image.mode == "L"


def test_a_decompression_bomb_is_refused_before_it_is_decoded() -> None:
    data = _encode(Image.new("L", (200, 100), 255), "PNG")
    with pytest.raises(ImageTooLarge) as refused:
        load_image(data, max_pixels=10_000)
    assert refused.value.code == "image_too_large"
    assert "megapixels" in refused.value.message


def test_a_damaged_image_is_a_clear_error() -> None:
    data = _encode(Image.new("RGB", (64, 64), "white"), "PNG")
    with pytest.raises(DamagedImage):
        load_image(data[: len(data) // 2])


def test_a_status_bar_and_a_dark_table_around_the_page_are_cut_away() -> None:
    photo = Image.new("L", (600, 1000), 40)  # dark table
    draw = ImageDraw.Draw(photo)
    draw.rectangle((0, 0, 599, 60), fill=10)  # phone status bar
    draw.rectangle((100, 120, 499, 899), fill=235)  # the paper
    draw.rectangle((150, 200, 450, 230), fill=30)  # a dark band inside the page stays
    page = crop_to_page(photo)
    assert 400 <= page.width <= 440
    assert 780 <= page.height <= 820


def test_a_page_that_fills_the_image_is_left_alone() -> None:
    page = Image.new("L", (300, 500), 240)
    ImageDraw.Draw(page).rectangle((40, 100, 260, 130), fill=20)  # a dark title band inside the page
    assert crop_to_page(page) is page


def test_a_narrow_page_on_a_dark_table_keeps_its_top_and_bottom() -> None:
    photo = Image.new("L", (900, 1200), 30)  # a night photo: the bill is a third of the frame's width
    draw = ImageDraw.Draw(photo)
    draw.rectangle((300, 20, 599, 1179), fill=230)
    draw.rectangle((320, 30, 580, 60), fill=40)  # the bill's dark title band, at its very top
    for y in range(36, 56, 6):
        draw.line((330, y, 570, y), fill=250)  # its white letters
    page = crop_to_page(photo)
    assert 300 <= page.width <= 340
    assert page.height >= 1150
