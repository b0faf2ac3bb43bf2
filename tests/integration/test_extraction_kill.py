"""SIGKILL the process reading a bill (the extraction pool's child), mid-read: the job runs again, once.

The worker itself lives on: the pool is rebuilt and the bill is read again (by the pool itself, or by
the next attempt of the job after a transient failure), and the invoice is stored once. The worker
process killed mid-job is tests/integration/test_restart.py (embedded) and tests/scale/test_end_to_end.py
(BullMQ).
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from faturas.db.models import JobStatus
from faturas.services.accept_upload import Upload, accept_upload
from faturas.services.context import ServiceContext
from faturas.worker.pool import ExtractionPool
from faturas.worker.runtime import start_embedded_runtime
from tests.ingest_support import ContextFactory, fake_pdf
from tests.integration.killable_reader import read_slowly_telling_pid
from tests.reconcile import reconcile


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """SQLite only: the fault is in the extraction process, whatever the database."""
    return f"sqlite:///{tmp_path / 'faturas.db'}"


def wait_for(condition: object, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not (callable(condition) and condition()):
        assert time.monotonic() < deadline, f"gave up waiting: {what}"
        time.sleep(0.05)


def job_state(context: ServiceContext, job_id: str) -> tuple[JobStatus, int]:
    with context.uow_factory(read_only=True) as uow:
        job = uow.jobs.get(job_id)
        assert job is not None
        return JobStatus(job.status), job.attempts


def test_a_killed_extraction_process_costs_a_read_not_the_job(make_context: ContextFactory, tmp_path: Path) -> None:
    context = make_context(poll_interval_seconds=0.05, retry_base_seconds=0.1)
    pidfile = tmp_path / "reader.pid"
    [accepted] = accept_upload(context, [Upload("conta.pdf", fake_pdf(month="2024-09", pidfile=str(pidfile)))])
    pool = ExtractionPool(1, timeout_seconds=30, function=read_slowly_telling_pid)
    runtime = start_embedded_runtime(context, 1, pool.extract)
    try:
        wait_for(pidfile.exists, "a pool process is reading the bill")
        first_reader = int(pidfile.read_text())
        os.kill(first_reader, signal.SIGKILL)
        wait_for(lambda: job_state(context, accepted.job_id)[0] == JobStatus.SUCCEEDED, "the job succeeded")
    finally:
        runtime.stop()
        pool.close()
    assert int(pidfile.read_text()) != first_reader  # read again, by a new process
    status, attempts = job_state(context, accepted.job_id)
    assert status == JobStatus.SUCCEEDED and attempts in (1, 2)
    assert reconcile(context, [accepted.job_id]).invoices == 1
