"""An extraction stand-in for the pool that says which process reads the bill, then takes its time.

Module level, so the pool's processes can import it. The bill names a file (``pidfile``) where the pid
goes; a test SIGKILLs that process in the middle of the read.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from faturas.services.extract_document import Extraction
from tests.ingest_support import FAKE_MARKER, fake_extract


def read_slowly_telling_pid(pdf: bytes, password: str | None, max_pages: int) -> Extraction:
    fields = json.loads(pdf.split(FAKE_MARKER, 1)[1])
    Path(fields["pidfile"]).write_text(str(os.getpid()))
    time.sleep(1.5)
    return fake_extract(pdf, password, max_pages)
