"""Extraction stand-ins run inside the process pool (module level, so the pool can import them)."""

from __future__ import annotations

import os
import time

from faturas.errors import UnsupportedLayout
from faturas.services.extract_document import Extraction
from tests.ingest_support import fake_extract


def read_or_misbehave(pdf: bytes, password: str | None, max_pages: int) -> Extraction:
    if b"die" in pdf:
        os._exit(1)
    if b"hang" in pdf:
        time.sleep(60)
    if b'"slow": true' in pdf:
        time.sleep(2)
    if b"layout" in pdf:
        raise UnsupportedLayout("CEMIG", ["2019", "danf3e"])
    extraction = fake_extract(pdf, password, max_pages)
    return Extraction(extraction.invoice, os.getpid())
