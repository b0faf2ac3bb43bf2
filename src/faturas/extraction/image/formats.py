"""Which image format a file is, told by its content (magic bytes), never by its name."""

from __future__ import annotations

from enum import StrEnum

from faturas.errors import EmptyFile, NotAPdfNorImage
from faturas.extraction.pdf_text import describe_content, looks_like_pdf


class ImageFormat(StrEnum):
    JPEG = "jpeg"
    PNG = "png"
    WEBP = "webp"

    @property
    def content_type(self) -> str:
        return f"image/{self.value}"

    @property
    def extension(self) -> str:
        return ".jpg" if self is ImageFormat.JPEG else f".{self.value}"


#: File name extensions the CLI collects from folders (content still decides).
IMAGE_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".webp"})


def detect_image_format(data: bytes) -> ImageFormat | None:
    """The format of a bill image, or None when the bytes are not a JPG, PNG or WebP."""
    if data.startswith(b"\xff\xd8\xff"):
        return ImageFormat.JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return ImageFormat.PNG
    if len(data) >= 12 and data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return ImageFormat.WEBP
    return None


def check_is_bill_file(data: bytes) -> None:
    """Refuse what is neither a PDF nor a JPG, PNG or WebP image, saying what it looks like."""
    if not data:
        raise EmptyFile()
    if not looks_like_pdf(data) and detect_image_format(data) is None:
        raise NotAPdfNorImage(describe_content(data))
