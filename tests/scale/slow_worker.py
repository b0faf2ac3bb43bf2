"""A BullMQ worker like ``faturas worker`` whose extraction sleeps first, so a test can kill it mid-job.

Run as ``python slow_worker.py SECONDS`` with the FATURAS_* environment of the stack under test.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Sequence

from faturas.config import get_settings
from faturas.services.context import build_context
from faturas.services.extract_document import Extraction, extract_document
from faturas.services.process_job import process_job
from faturas.worker.bullmq_worker import WorkerDuties, serve_until_signalled, unqueued_job_ids


def main() -> None:
    delay = float(sys.argv[1])
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    settings = get_settings()
    context = build_context(settings, migrate=False)

    def slow_extract(pdf: bytes, password: str | None, max_pages: int) -> Extraction:
        print("extracting", flush=True)
        time.sleep(delay)
        return extract_document(pdf, password, max_pages)

    def process(job_ids: Sequence[str]) -> dict[str, BaseException | None]:
        for job_id in job_ids:
            print(job_id, process_job(context, job_id, slow_extract), flush=True)
        return dict.fromkeys(job_ids)

    duties = WorkerDuties(
        process=process,
        unqueued=lambda: unqueued_job_ids(context.uow_factory),
        close=context.close,
    )
    serve_until_signalled(settings, 1, duties)


if __name__ == "__main__":
    main()
