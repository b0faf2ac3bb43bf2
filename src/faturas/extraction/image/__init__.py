"""Bills that arrive as images (JPG, PNG, WebP): prepared with Pillow, read by OCR, judged strictly."""

from faturas.extraction.image.formats import ImageFormat, detect_image_format
from faturas.extraction.image.read import read_image

__all__ = ["ImageFormat", "detect_image_format", "read_image"]
