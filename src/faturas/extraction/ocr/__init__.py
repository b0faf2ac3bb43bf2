"""OCR fallback for scanned bills: pages without a text layer are rendered, cleaned and read by Tesseract."""

from faturas.extraction.ocr.engine import check_available
from faturas.extraction.ocr.options import OcrOptions, ProgressCallback
from faturas.extraction.ocr.scanned import read_scanned

__all__ = ["OcrOptions", "ProgressCallback", "check_available", "read_scanned"]
