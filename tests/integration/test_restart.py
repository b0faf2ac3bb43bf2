"""Durability: a job whose worker process is killed mid-job completes after a worker starts again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from faturas.db.models import Invoice, JobStatus
from faturas.services.accept_upload import Upload, accept_upload
from faturas.services.context import ServiceContext
from faturas.worker.runtime import start_embedded_runtime
from tests.ingest_support import ContextFactory, fake_extract, fake_pdf

REPO_ROOT = Path(__file__).resolve().parents[2]


def status_of(context: ServiceContext, job_id: str) -> JobStatus:
    with context.uow_factory() as uow:
        job = uow.jobs.get(job_id)
        assert job is not None
        return JobStatus(job.status)


def extracting(context: ServiceContext, job_id: str) -> bool:
    with context.uow_factory() as uow:
        job = uow.jobs.get(job_id)
        return job is not None and job.status == JobStatus.RUNNING and job.attempts == 1


def wait_until(predicate: object, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(predicate) and predicate():
            return
        time.sleep(0.05)
    raise TimeoutError(what)


def test_a_job_left_running_by_a_killed_worker_completes_after_restart(
    make_context: ContextFactory, database_url: str, tmp_path: Path
) -> None:
    context = make_context(job_lease_seconds=1, poll_interval_seconds=0.05)
    [accepted] = accept_upload(context, [Upload("bill.pdf", fake_pdf(month="2024-08"))])

    worker = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.hanging_worker", database_url, str(tmp_path / "data")],
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )
    try:
        wait_until(lambda: extracting(context, accepted.job_id), "the worker is reading the bill")
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    assert status_of(context, accepted.job_id) == JobStatus.RUNNING  # the dead worker's job, mid-way

    runtime = start_embedded_runtime(context, 1, fake_extract)
    try:
        wait_until(lambda: status_of(context, accepted.job_id) == JobStatus.SUCCEEDED, "the job completed")
    finally:
        runtime.stop()
    with context.uow_factory() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Invoice)) == 1
        job = uow.jobs.get(accepted.job_id)
        assert job is not None and job.attempts == 2
