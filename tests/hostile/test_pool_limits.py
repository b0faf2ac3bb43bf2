"""Per-bill limits in the extraction pool: a parser that runs away in time or memory fails its bill only.

The runaway functions are injected (tests/hostile/runaway.py); every test ends by reading a real
bill in the same pool, so the worker demonstrably goes on.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from faturas.errors import ExtractionTimedOut, ExtractionTooLarge, ParserCrashed
from faturas.worker.pool import ExtractionPool
from tests.hostile import runaway
from tests.hostile.cases import bill_pdf, synthetic_bill
from tests.hostile.raw_pdf import deflate_bomb_pdf

#: Low enough to reach quickly, far above what reading a bill needs (under 150 MB of address space).
MEMORY_LIMIT_MB = 512
TIMEOUT_SECONDS = 4


@pytest.fixture(scope="module")
def pool() -> Iterator[ExtractionPool]:
    pool = ExtractionPool(2, TIMEOUT_SECONDS, runaway.read_or_run_away, memory_limit_mb=MEMORY_LIMIT_MB)
    yield pool
    pool.close()


def assert_still_reads_bills(pool: ExtractionPool) -> None:
    assert pool.extract(bill_pdf(), None, 10).invoice.total_amount == synthetic_bill().total


def test_a_bill_is_read_under_the_memory_limit(pool: ExtractionPool) -> None:
    assert_still_reads_bills(pool)


def test_a_parser_that_allocates_without_end_fails_the_bill_as_too_large(pool: ExtractionPool) -> None:
    with pytest.raises(ExtractionTooLarge) as refused:
        pool.extract(runaway.HOG_MEMORY, None, 10)
    assert refused.value.code == "too_large"
    assert f"{MEMORY_LIMIT_MB} MB" in refused.value.message
    assert_still_reads_bills(pool)


def test_pdfium_running_out_of_memory_on_a_bomb_fails_the_bill_as_too_large(pool: ExtractionPool) -> None:
    # Past the bomb check, PDFium inflates 4 GiB, hits the address-space limit and aborts its process;
    # read again alone it aborts again, so the bill (not the service) is at fault.
    with pytest.raises(ExtractionTooLarge):
        pool.extract(runaway.PDFIUM_UNCHECKED + deflate_bomb_pdf(4 << 30), None, 10)
    assert_still_reads_bills(pool)


def test_a_parser_that_never_returns_fails_the_bill_on_time(pool: ExtractionPool) -> None:
    with pytest.raises(ExtractionTimedOut) as refused:
        pool.extract(runaway.SPIN, None, 10)
    assert refused.value.code == "timeout"
    assert_still_reads_bills(pool)


def test_a_parser_crash_on_the_file_fails_the_bill_as_parser_crashed(pool: ExtractionPool) -> None:
    with pytest.raises(ParserCrashed) as refused:
        pool.extract(runaway.SEGFAULT, None, 10)
    assert "SIGSEGV" in refused.value.message
    assert_still_reads_bills(pool)


def test_a_process_that_dies_once_for_another_reason_gets_its_bill_read_again(
    pool: ExtractionPool, tmp_path: Path
) -> None:
    marker = tmp_path / "died"
    extraction = pool.extract(runaway.DIE_ONCE + str(marker).encode() + b"\n" + bill_pdf(), None, 10)
    assert marker.exists()  # it did die once
    assert extraction.invoice.total_amount == synthetic_bill().total


def test_a_bill_in_flight_when_another_hangs_is_read_again_not_failed(pool: ExtractionPool) -> None:
    # The hung bill's time limit comes while the innocent one is still reading (it sleeps 3 s): the
    # whole pool is killed, and the innocent bill is read again in a process of its own.
    with ThreadPoolExecutor(2) as threads:
        culprit = threads.submit(pool.extract, runaway.SPIN, None, 10)
        time.sleep(TIMEOUT_SECONDS - 2)
        innocent = threads.submit(pool.extract, runaway.SLOW_THEN_READ + bill_pdf(), None, 10)
        with pytest.raises(ExtractionTimedOut):
            culprit.result()
        assert innocent.result().invoice.total_amount == synthetic_bill().total
    assert_still_reads_bills(pool)


def test_a_bill_in_flight_when_another_crashes_its_process_is_read_again_not_failed(pool: ExtractionPool) -> None:
    with ThreadPoolExecutor(2) as threads:
        innocent = threads.submit(pool.extract, runaway.SLOW_THEN_READ + bill_pdf(), None, 10)
        time.sleep(1)
        culprit = threads.submit(pool.extract, runaway.SEGFAULT, None, 10)
        with pytest.raises(ParserCrashed):
            culprit.result()
        assert innocent.result().invoice.total_amount == synthetic_bill().total
    assert_still_reads_bills(pool)
