"""A worker process that claims jobs and never finishes them: the test kills it with SIGKILL mid-job.

Run as ``python -m tests.integration.hanging_worker DATABASE_URL DATA_DIR``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from faturas.config import Settings
from faturas.services.context import build_context
from faturas.services.extract_document import Extraction
from faturas.worker.runtime import start_embedded_runtime


def hang(pdf: bytes, password: str | None, max_pages: int) -> Extraction:
    time.sleep(3600)
    raise AssertionError("killed long before this")


def main() -> None:
    database_url, data_dir = sys.argv[1], Path(sys.argv[2])
    settings = Settings(data_dir=data_dir, database_url=database_url, job_lease_seconds=1, poll_interval_seconds=0.05)
    start_embedded_runtime(build_context(settings), 1, hang)
    time.sleep(3600)


if __name__ == "__main__":
    main()
