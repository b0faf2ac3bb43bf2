"""The process pool that runs extraction: parsing is CPU-bound, so N processes read N bills at once.

Each process has a time limit per bill and a memory limit (its address space), so a bill that makes
a parser run away fails on its own (``timeout``, ``too_large``) and the worker goes on. When a process
dies, every bill it shared the pool with is read again alone in a fresh process: the innocent ones
succeed there, and the one that kills its process even alone is rejected for what it is.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import signal
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, wait
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.connection import Connection
from typing import TypeVar

from faturas.config import Settings
from faturas.db.models import JobStatus
from faturas.errors import (
    BillRejected,
    ExtractionTimedOut,
    ExtractionTooLarge,
    ParserCrashed,
    ServiceUnavailable,
)
from faturas.logging_setup import active_log_format, configure_log_format
from faturas.observability import log_context
from faturas.services.extract_document import Extraction, Extractor, extract_document
from faturas.worker.job_process import run_claimed_jobs
from faturas.worker.owner_watch import exit_with_owner

_Result = TypeVar("_Result")

log = logging.getLogger(__name__)


#: Parsing yields the CPU to the API and the database work of the same machine: uploads stay quick.
EXTRACTION_NICENESS = 5

#: A process of its own may take this long to start and import the extraction code on a busy machine.
STARTUP_SECONDS = 60.0

#: What a one-bill process sends once it is ready to read.
_READY = "ready"

#: How a process that ran out of memory dies: PDFium aborts when an allocation fails, the kernel's
#: OOM killer sends SIGKILL. Other deaths (a segfault) are a parser crash on a malformed file.
_OUT_OF_MEMORY_SIGNALS = {signal.SIGABRT, signal.SIGKILL}


def _prepare_process(memory_limit_mb: int, log_format: str | None = None, owner_pid: int | None = None) -> None:
    """Initializer of every extraction process: lower priority, cap the address space, log like the
    parent, and end with ``owner_pid`` (the worker that started it)."""
    if owner_pid is not None:
        exit_with_owner(owner_pid)
    os.nice(EXTRACTION_NICENESS)
    if log_format is not None:
        configure_log_format(log_format)  # forkserver children start with no logging set up
    if memory_limit_mb > 0:
        limit = memory_limit_mb * 1024 * 1024
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        # Past the limit an allocation fails: Python raises MemoryError, PDFium aborts the process.
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _ready(function: Extractor) -> None:
    """The first task of every new process: done once it has started and imported ``function``'s module."""


def _read_alone(
    sender: Connection,
    limits: tuple[int, str | None, int],
    fields: dict[str, str],
    function: Extractor,
    pdf: bytes,
    password: str | None,
    max_pages: int,
) -> None:
    """Body of a one-bill process (``limits``: memory, log format, owner; ``fields``: the job's log context).

    The result, or the error, goes back through the pipe.
    """
    _prepare_process(*limits)
    sender.send(_READY)  # the modules are imported: the bill's time limit starts now
    try:
        answer: tuple[bool, object] = (True, log_context.call_with_context(fields, function, pdf, password, max_pages))
    except BaseException as error:
        answer = (False, error)
    try:
        sender.send(answer)
    except Exception as error:  # an error that does not pickle: send what can be said of it
        sender.send((False, RuntimeError(f"{type(answer[1]).__name__}: {answer[1]} ({error})")))
    finally:
        sender.close()


class ExtractionPool:
    """A ProcessPoolExecutor that is rebuilt when a process dies or a bill hangs."""

    def __init__(
        self,
        processes: int,
        timeout_seconds: float,
        function: Extractor = extract_document,
        memory_limit_mb: int = 0,
    ) -> None:
        self._processes = processes
        self._timeout = timeout_seconds
        self._function = function
        self._memory_limit_mb = memory_limit_mb
        self._lock = threading.Lock()
        # At most one bill per process is submitted, so a bill's time limit runs from when a process
        # takes it, not from when it joined a queue behind slower bills.
        self._slots = threading.BoundedSemaphore(processes)
        self._warmups: list[Future[None]] = []
        self._executor = self._new_executor()

    def _new_executor(self) -> ProcessPoolExecutor:
        # forkserver: children do not inherit the server's threads, sockets or database connections.
        context = multiprocessing.get_context("forkserver")
        executor = ProcessPoolExecutor(
            max_workers=self._processes,
            mp_context=context,
            initializer=_prepare_process,
            initargs=(self._memory_limit_mb, active_log_format(), os.getpid()),
        )
        # Start the processes now; a bill waits for them before its time limit starts (start-up is
        # slow on a busy machine, and not the bill's fault).
        self._warmups = [executor.submit(_ready, self._function) for _ in range(self._processes)]
        return executor

    def extract(self, pdf: bytes, password: str | None, max_pages: int) -> Extraction:
        with self._slots:
            return self._extract_in_free_process(pdf, password, max_pages)

    def _extract_in_free_process(self, pdf: bytes, password: str | None, max_pages: int) -> Extraction:
        executor, warmups = self._executor, self._warmups
        try:
            wait(warmups, timeout=STARTUP_SECONDS)
            # The job's log context (job id, document) goes along: the process's lines carry it too.
            fields = log_context.current()
            future = executor.submit(log_context.call_with_context, fields, self._function, pdf, password, max_pages)
            return future.result(timeout=self._timeout)
        except FutureTimeout as error:
            self._rebuild(executor, kill=True)
            raise ExtractionTimedOut(self._timeout) from error
        except MemoryError as error:
            raise ExtractionTooLarge(self._memory_limit_mb) from error
        except BrokenProcessPool:
            # This bill, or another one in flight, killed a process (or a hung one was stopped).
            self._rebuild(executor, kill=False)
            log.warning("an extraction process died; reading its bill again in a process of its own")
            return self._extract_alone(pdf, password, max_pages)

    def run_jobs(self, settings: Settings, job_ids: Sequence[str]) -> dict[str, JobStatus | None] | None:
        """Claimed jobs processed from read to save in one pool process (faturas.worker.job_process):
        their statuses, or None when that process died or they took too long (the pool is rebuilt,
        and the caller runs the jobs one by one, each bill read here alone: the culprit is found)."""
        # Each bill's own limit is enforced in the process; this one is for the batch as a whole.
        limit = STARTUP_SECONDS + self._timeout * (len(job_ids) + 1)
        arguments = (settings, self._function, self._timeout, self._memory_limit_mb, list(job_ids))
        return self._run_in_process(run_claimed_jobs, arguments, limit, "its bills again one by one")

    def _run_in_process(
        self, task: Callable[..., _Result], arguments: tuple[object, ...], limit: float, then: str
    ) -> _Result | None:
        """``task(*arguments)`` in a pool process: its result, or None when that process died or it
        took longer than ``limit`` (the pool is rebuilt; the caller then reads ``then``)."""
        with self._slots:
            executor, warmups = self._executor, self._warmups
            try:
                wait(warmups, timeout=STARTUP_SECONDS)
                return executor.submit(task, *arguments).result(timeout=limit)
            except FutureTimeout:
                self._rebuild(executor, kill=True)
            except BrokenProcessPool:
                self._rebuild(executor, kill=False)
                log.warning("an extraction process died; reading %s", then)
            return None

    def _extract_alone(self, pdf: bytes, password: str | None, max_pages: int) -> Extraction:
        context = multiprocessing.get_context("forkserver")
        receiver, sender = context.Pipe(duplex=False)
        limits = (self._memory_limit_mb, active_log_format(), os.getpid())
        arguments = (sender, limits, log_context.current(), self._function, pdf, password, max_pages)
        process = context.Process(target=_read_alone, args=arguments, name="faturas-extract-alone", daemon=True)
        try:
            process.start()
        except OSError as error:
            raise ServiceUnavailable(f"Não foi possível iniciar um processo de leitura ({error}).") from error
        sender.close()
        try:
            for limit in (STARTUP_SECONDS, self._timeout):  # the ready signal, then the answer
                if not receiver.poll(limit):
                    process.kill()
                    raise ExtractionTimedOut(self._timeout)
                try:
                    answer = receiver.recv()
                except EOFError:
                    process.join()
                    raise self._death_error(process.exitcode) from None
        finally:
            receiver.close()
            process.join()
        succeeded, value = answer
        if succeeded and isinstance(value, Extraction):
            return value
        if isinstance(value, MemoryError):
            raise ExtractionTooLarge(self._memory_limit_mb) from value
        if isinstance(value, BaseException):
            raise value
        raise TypeError(f"the extractor returned {type(value).__name__}, not an Extraction")

    def _death_error(self, exitcode: int | None) -> BillRejected:
        log.warning("a bill killed its extraction process even alone (exit code %s)", exitcode)
        if exitcode is None or exitcode >= 0:
            return ParserCrashed(f"código de saída {exitcode}")
        if self._memory_limit_mb > 0 and -exitcode in _OUT_OF_MEMORY_SIGNALS:
            return ExtractionTooLarge(self._memory_limit_mb)
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = str(-exitcode)
        return ParserCrashed(f"sinal {name}")

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
