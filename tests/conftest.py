from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client import values

from faturas.errors import OcrUnavailable
from faturas.extraction.ocr import check_available

REPO_ROOT = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    return Path(os.environ.get("FATURAS_SHARED_DIR", REPO_ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    corpus = shared_dir() / "corpus"
    if not corpus.is_dir():
        pytest.skip(f"real-bill corpus not found at {corpus} (set FATURAS_SHARED_DIR)")
    return corpus


@pytest.fixture(scope="session")
def tesseract() -> None:
    """Skip (outside CI) or fail (in CI, which installs it) when Tesseract and its Portuguese model are missing."""
    try:
        check_available("por")
    except OcrUnavailable as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must install tesseract-ocr and tesseract-ocr-por: {error.message}")
        pytest.skip(f"Tesseract is not installed here ({error.message}); .ci/run installs it")


@pytest.fixture(autouse=True)
def _metrics_stay_in_this_process() -> Iterator[None]:
    """Tests that run `faturas serve` or `worker` in-process switch prometheus_client to a metrics
    directory for the whole process; later tests count in memory again."""
    variable = "PROMETHEUS_MULTIPROC_DIR"
    saved_directory, saved_value_class = os.environ.get(variable), values.ValueClass
    yield
    if saved_directory is None:
        os.environ.pop(variable, None)
    else:
        os.environ[variable] = saved_directory
    values.ValueClass = saved_value_class
