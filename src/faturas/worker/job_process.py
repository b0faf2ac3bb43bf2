"""Claimed jobs run from read to save inside an extraction process (issue #3: CPU per bill outside extraction).

A worker (embedded or BullMQ) claims jobs and hands their ids to a pool process, which reads each
bill's file, extracts it and saves the results in its own database connection: the bill's bytes and its extracted
invoice never cross a pipe (pickling an Extraction and loading it back cost about a third of a
millisecond per bill), and the worker process's GIL is not shared by the saves of two processes.

The limits stay the pool's: each bill has its time limit (an interval timer whose SIGALRM ends the
process: a parser stuck in C code cannot ignore it) and the process its memory limit. When the
process dies or the jobs take too long, the worker runs the jobs of the batch that are still running
one by one, each bill read in the pool on its own, as it did before: the bill at fault then fails
with its code (``timeout``, ``too_large``, ``parser_crashed``) and the others are read again. A job
is saved once whatever happens (the save checks that the job is still running, in its transaction).
"""

from __future__ import annotations

import signal
from collections.abc import Sequence
from functools import partial

from faturas.config import Settings
from faturas.db.engine import engine_from_settings
from faturas.db.models import JobStatus
from faturas.db.unit_of_work import unit_of_work_factory
from faturas.errors import ExtractionTooLarge
from faturas.queue.embedded import EmbeddedQueue
from faturas.services.context import ServiceContext
from faturas.services.extract_document import Extraction, Extractor
from faturas.services.process_job import process_claimed_jobs
from faturas.storage.factory import file_store_from_settings

#: This process's database engine and file store, built by its first batch and kept (see _own_context).
_context: ServiceContext | None = None


def run_claimed_jobs(
    settings: Settings,
    function: Extractor,
    timeout_seconds: float,
    memory_limit_mb: int,
    job_ids: Sequence[str],
) -> dict[str, JobStatus | None]:
    """Body of a pool task: process_claimed_jobs in this process, each bill under its time limit."""
    extractor = partial(_extract_in_time, function, timeout_seconds, memory_limit_mb)
    return process_claimed_jobs(_own_context(settings), job_ids, extractor)


def _own_context(settings: Settings) -> ServiceContext:
    global _context
    if _context is None or _context.settings != settings:
        if _context is not None:  # another server's settings (tests): its connections are let go
            _context.close()
        engine = engine_from_settings(settings)
        uow_factory = unit_of_work_factory(engine)
        # The queue is not used here (the jobs are claimed already); the embedded one has no connection.
        queue = EmbeddedQueue(uow_factory)
        _context = ServiceContext(settings, engine, uow_factory, file_store_from_settings(settings), queue)
    return _context


def _extract_in_time(
    function: Extractor, timeout_seconds: float, memory_limit_mb: int, pdf: bytes, password: str | None, max_pages: int
) -> Extraction:
    """``function`` under the bill's time limit: past it the kernel ends this process (SIGALRM's default)."""
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.setitimer(signal.ITIMER_REAL, timeout_seconds)
    try:
        return function(pdf, password, max_pages)
    except MemoryError as error:  # under the process's memory limit; PDFium aborts the process instead
        raise ExtractionTooLarge(memory_limit_mb) from error
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
