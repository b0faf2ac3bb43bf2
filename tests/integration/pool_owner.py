"""A worker stand-in that starts an extraction pool, has it read one bill, prints the pids of its
processes and waits: a test SIGKILLs it (``python -m tests.integration.pool_owner``)."""

from __future__ import annotations

import time

import psutil

from faturas.worker.pool import ExtractionPool
from tests.ingest_support import fake_extract, fake_pdf

if __name__ == "__main__":
    pool = ExtractionPool(2, 30, fake_extract)
    pool.extract(fake_pdf(client="1", installation="2", month="2024-03"), None, 50)
    print(" ".join(str(child.pid) for child in psutil.Process().children(recursive=True)), flush=True)
    time.sleep(600)
