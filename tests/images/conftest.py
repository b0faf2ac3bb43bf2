from __future__ import annotations

import os

import pytest

from faturas.errors import OcrUnavailable
from faturas.extraction.ocr import check_available


@pytest.fixture(scope="session")
def tesseract() -> None:
    """Skip (outside CI) or fail (in CI, which installs it) when Tesseract and its Portuguese model are missing."""
    try:
        check_available("por")
    except OcrUnavailable as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must install tesseract-ocr and tesseract-ocr-por: {error.message}")
        pytest.skip(f"Tesseract is not installed here ({error.message}); .ci/run installs it")
