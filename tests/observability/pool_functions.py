"""Run inside the extraction pool's processes (module level, so the pool can import them)."""

from __future__ import annotations

import logging

from faturas.services.extract_document import Extraction
from tests.ingest_support import fake_extract


def extract_and_log(pdf: bytes, password: str | None, max_pages: int) -> Extraction:
    logging.getLogger("faturas.tests.pool").warning("reading in a pool process")
    return fake_extract(pdf, password, max_pages)
