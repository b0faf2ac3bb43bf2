"""Memory stays bounded: the hostile set, twice over, through the pool the workers use.

The parent (the worker) must not grow with what it has read: results and errors come back small,
and whatever a bill costs stays in an extraction process, under its memory limit.
"""

from __future__ import annotations

import gc

import psutil

from faturas.errors import BillRejected
from faturas.services.extract_document import extract_document
from faturas.worker.pool import ExtractionPool
from tests.hostile.cases import CASES, bill_pdf, synthetic_bill

ROUNDS = 2
#: Generous: the hostile files themselves are a few MB, and allocators keep some of what they freed.
MAX_GROWTH = 48 * 1024 * 1024


#: The PDF path: an image is read by Tesseract in a process of its own (and takes seconds), so it is left out.
PDF_CASES = [case for case in CASES if case.name != "PNG named .pdf"]


def test_the_worker_does_not_grow_while_reading_the_hostile_set() -> None:
    inputs = [case.make() for case in PDF_CASES]
    pool = ExtractionPool(2, 60, extract_document, memory_limit_mb=1024)
    process = psutil.Process()
    try:
        pool.extract(bill_pdf(), None, 200)  # warm: processes started, modules imported
        gc.collect()
        before = process.memory_info().rss
        codes = []
        for _ in range(ROUNDS):
            for data in inputs:
                try:
                    pool.extract(data, None, 200)
                    codes.append("read")
                except BillRejected as error:
                    codes.append(error.code)
            assert pool.extract(bill_pdf(), None, 200).invoice.total_amount == synthetic_bill().total
        gc.collect()
        growth = process.memory_info().rss - before
        children = [child.memory_info().rss for child in process.children(recursive=True)]
    finally:
        pool.close()
    assert codes[: len(PDF_CASES)] == [case.code for case in PDF_CASES] == codes[-len(PDF_CASES) :]
    assert growth < MAX_GROWTH, f"the worker grew by {growth / 2**20:.0f} MB"
    assert all(rss < 1024 * 1024 * 1024 for rss in children)
