"""The process pool that runs extraction: parsing is CPU-bound, so N processes read N bills at once."""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool

from faturas.errors import ExtractionTimedOut, ServiceUnavailable
from faturas.logging_setup import active_log_format, configure_log_format
from faturas.observability import log_context
from faturas.services.extract_document import Extraction, Extractor, extract_document

log = logging.getLogger(__name__)


#: Parsing yields the CPU to the API and the database work of the same machine: uploads stay quick.
EXTRACTION_NICENESS = 5


def _start_process(log_format: str | None) -> None:
    os.nice(EXTRACTION_NICENESS)
    if log_format is not None:
        configure_log_format(log_format)  # forkserver children start with no logging set up


class ExtractionPool:
    """A ProcessPoolExecutor that is rebuilt when a process dies or a bill hangs."""

    def __init__(self, processes: int, timeout_seconds: float, function: Extractor = extract_document) -> None:
        self._processes = processes
        self._timeout = timeout_seconds
        self._function = function
        self._lock = threading.Lock()
        # At most one bill per process is submitted, so a bill's time limit runs from when a process
        # takes it, not from when it joined a queue behind slower bills.
        self._slots = threading.BoundedSemaphore(processes)
        self._executor = self._new_executor()

    def _new_executor(self) -> ProcessPoolExecutor:
        # forkserver: children do not inherit the server's threads, sockets or database connections.
        context = multiprocessing.get_context("forkserver")
        return ProcessPoolExecutor(
            max_workers=self._processes,
            mp_context=context,
            initializer=_start_process,
            initargs=(active_log_format(),),
        )

    def extract(self, pdf: bytes, password: str | None, max_pages: int) -> Extraction:
        with self._slots:
            return self._extract_in_free_process(pdf, password, max_pages)

    def _extract_in_free_process(self, pdf: bytes, password: str | None, max_pages: int) -> Extraction:
        executor = self._executor
        try:
            # The job's log context (job id, document) goes along: the process's lines carry it too.
            fields = log_context.current()
            future = executor.submit(log_context.call_with_context, fields, self._function, pdf, password, max_pages)
            return future.result(timeout=self._timeout)
        except FutureTimeout as error:
            self._rebuild(executor, kill=True)
            raise ExtractionTimedOut(self._timeout) from error
        except BrokenProcessPool as error:
            self._rebuild(executor, kill=False)
            raise ServiceUnavailable(
                "Um processo de leitura terminou inesperadamente; a fatura será lida de novo."
            ) from error

    def _rebuild(self, broken: ProcessPoolExecutor, *, kill: bool) -> None:
        with self._lock:
            if self._executor is not broken:
                return  # another thread rebuilt it already
            log.warning("rebuilding the extraction pool (%s)", "a bill hung" if kill else "a process died")
            if kill:
                # The hung process cannot be cancelled: stop every process of the old pool.
                for process in list(getattr(broken, "_processes", {}).values()):
                    process.kill()
            broken.shutdown(wait=False, cancel_futures=True)
            self._executor = self._new_executor()

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
