"""Jobs whose parser runs away end ``failed`` with their code; the worker goes on with the next jobs.

The embedded worker with the real pool (memory and time limits), fed runaway stand-ins
(tests/hostile/runaway.py) between good bills.
"""

from __future__ import annotations

import random
import time
from functools import partial
from pathlib import Path

import pytest

from faturas.db.models import JobStatus
from faturas.services.accept_upload import Upload, accept_upload
from faturas.services.context import ServiceContext
from faturas.synthetic import random_bill, render_cemig_danf3e
from faturas.worker.embedded import EmbeddedWorker
from faturas.worker.pool import ExtractionPool
from faturas.worker.runtime import start_embedded_runtime
from tests.hostile import runaway
from tests.hostile.cases import bill_pdf
from tests.ingest_support import ContextFactory
from tests.reconcile import reconcile


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """SQLite only: the limits are the pool's, whatever the database."""
    return f"sqlite:///{tmp_path / 'faturas.db'}"


def final_state(context: ServiceContext, job_id: str, seconds: float = 90) -> tuple[str, str | None, str | None]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with context.uow_factory(read_only=True) as uow:
            job = uow.jobs.get(job_id)
            assert job is not None
            if job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.DUPLICATE):
                return job.status, job.error_code, job.error_message
        time.sleep(0.05)
    raise TimeoutError(f"job {job_id} did not finish")


#: Bills that exhaust memory, spin forever and crash their process, then a good one: what each job ends as.
RUNAWAY_OUTCOMES = [
    ("failed", "too_large"),
    ("failed", "timeout"),
    ("failed", "parser_crashed"),
    ("succeeded", None),
]


def runaway_uploads() -> list[Upload]:
    return [
        Upload("memoria.pdf", runaway.HOG_MEMORY),
        Upload("infinita.pdf", runaway.SPIN),
        Upload("quebra.pdf", runaway.SEGFAULT),
        Upload("boa.pdf", bill_pdf()),
    ]


def test_runaway_jobs_fail_with_their_code_and_the_next_jobs_are_processed(make_context: ContextFactory) -> None:
    context = make_context(poll_interval_seconds=0.05)
    pool = ExtractionPool(2, 4, runaway.read_or_run_away, memory_limit_mb=512)
    runtime = start_embedded_runtime(context, 2, pool.extract)
    try:
        jobs = [item.job_id for item in accept_upload(context, runaway_uploads())]
        states = [final_state(context, job_id) for job_id in jobs]
    finally:
        runtime.stop()
        pool.close()
    assert [(status, code) for status, code, _ in states] == RUNAWAY_OUTCOMES
    assert all(message for status, _, message in states if status == "failed")


def test_runaway_jobs_read_and_saved_in_pool_processes_fail_with_their_code(make_context: ContextFactory) -> None:
    """As ``faturas serve`` runs them: each pool process reads and saves the bills of a claim itself;
    a process that dies or overruns hands its batch back, and each bill is then read on its own."""
    context = make_context(poll_interval_seconds=0.05)
    pool = ExtractionPool(2, 4, runaway.read_or_run_away, memory_limit_mb=512)
    worker = EmbeddedWorker(context, 2, pool.extract, partial(pool.run_jobs, context.settings))
    uploads = [*runaway_uploads(), Upload("outra.pdf", render_cemig_danf3e(random_bill(random.Random(7))))]
    jobs = [item.job_id for item in accept_upload(context, uploads)]  # queued before the worker claims
    worker.start()
    try:
        states = [final_state(context, job_id) for job_id in jobs]
    finally:
        worker.stop()
        pool.close()
    assert [(status, code) for status, code, _ in states] == [*RUNAWAY_OUTCOMES, ("succeeded", None)]
    assert reconcile(context, jobs).invoices == 2


def test_runaway_jobs_of_a_bullmq_worker_fail_with_their_code(make_context: ContextFactory) -> None:
    """As ``faturas worker`` runs the jobs BullMQ hands it together: claimed, read and saved in a pool
    process; when a bill kills that process or overruns, the batch runs in the worker, each bill read
    in the pool on its own, so only the bills at fault fail."""
    from faturas.worker.bullmq_worker import errors_of, process_batch_in_pool

    context = make_context()
    pool = ExtractionPool(1, 4, runaway.read_or_run_away, memory_limit_mb=512)
    jobs = [item.job_id for item in accept_upload(context, runaway_uploads())]
    try:
        outcomes = process_batch_in_pool(context, pool, jobs)
        states = [final_state(context, job_id) for job_id in jobs]
    finally:
        pool.close()
    assert [outcomes[job_id] for job_id in jobs] == ["failed", "failed", "failed", "succeeded"]
    assert errors_of(outcomes) == dict.fromkeys(jobs)  # every BullMQ job completes: none is retried
    assert [(status, code) for status, code, _ in states] == RUNAWAY_OUTCOMES
    assert reconcile(context, jobs).invoices == 1
