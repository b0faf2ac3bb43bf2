"""The extraction pool: bills are read in other processes, errors come back typed, crashes and hangs heal."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from faturas.errors import ExtractionTimedOut, ParserCrashed, UnsupportedLayout
from faturas.worker.pool import ExtractionPool
from tests.ingest_support import fake_pdf
from tests.integration.pool_functions import read_or_misbehave


@pytest.fixture
def pool() -> ExtractionPool:
    return ExtractionPool(2, timeout_seconds=3, function=read_or_misbehave)


def test_bills_are_read_in_worker_processes(pool: ExtractionPool) -> None:
    try:
        extraction = pool.extract(fake_pdf(month="2024-01"), None, 10)
        assert extraction.page_count != os.getpid()  # the stand-in reports the pid that read it
        assert str(extraction.invoice.reference_month) == "2024-01"
    finally:
        pool.close()


def test_a_refusal_comes_back_with_its_type_and_data(pool: ExtractionPool) -> None:
    try:
        with pytest.raises(UnsupportedLayout) as refused:
            pool.extract(b"%PDF layout", None, 10)
        assert refused.value.layouts_tried == ("2019", "danf3e")
        assert refused.value.code == "unsupported_layout"
    finally:
        pool.close()


def test_a_bill_that_kills_its_process_even_alone_is_rejected_and_the_pool_recovers(pool: ExtractionPool) -> None:
    try:
        # Read again alone in a fresh process, it dies again: the file's fault, not a transient failure.
        with pytest.raises(ParserCrashed) as crashed:
            pool.extract(b"%PDF die", None, 10)
        assert crashed.value.code == "parser_crashed"
        assert pool.extract(fake_pdf(), None, 10).invoice.total_amount
    finally:
        pool.close()


def test_a_hanging_bill_times_out_and_the_pool_recovers(pool: ExtractionPool) -> None:
    try:
        with pytest.raises(ExtractionTimedOut):
            pool.extract(b"%PDF hang", None, 10)
        assert pool.extract(fake_pdf(), None, 10).invoice.total_amount
    finally:
        pool.close()


def test_a_bill_waiting_for_a_free_process_is_not_timed_out_by_the_wait() -> None:
    pool = ExtractionPool(1, timeout_seconds=3, function=read_or_misbehave)
    try:
        with ThreadPoolExecutor(2) as threads:
            slow = [threads.submit(pool.extract, fake_pdf(slow=True, installation=str(n)), None, 10) for n in (1, 2)]
            assert all(future.result().invoice.total_amount for future in slow)  # 2 s each, one after the other
    finally:
        pool.close()
