"""The embedded queue: workers in several processes share the jobs table; each job runs once."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select
from sqlalchemy.exc import ProgrammingError

from faturas.db.models import Document, Job, JobStatus
from faturas.services.accept_upload import Upload, accept_upload
from faturas.services.context import ServiceContext
from faturas.worker.embedded import EmbeddedWorker
from faturas.worker.runtime import start_embedded_runtime
from tests.ingest_support import ContextFactory, fake_extract, fake_pdf


def jobs(context: ServiceContext) -> list[Job]:
    with context.uow_factory(read_only=True) as uow:
        return list(uow.session.scalars(select(Job)))


def test_two_runtimes_share_the_queue_and_run_every_job_once(make_context: ContextFactory) -> None:
    first = make_context(poll_interval_seconds=0.02)
    second = make_context(poll_interval_seconds=0.02)  # another process would build its own, like this
    uploads = [Upload(f"{n}.pdf", fake_pdf(installation=f"9{n:03d}")) for n in range(30)]
    accept_upload(first, uploads)

    runtimes = [start_embedded_runtime(first, 3, fake_extract), start_embedded_runtime(second, 3, fake_extract)]
    try:
        deadline = time.monotonic() + 60
        while any(job.status != JobStatus.SUCCEEDED for job in jobs(first)):
            assert time.monotonic() < deadline, "jobs did not finish"
            time.sleep(0.05)
    finally:
        for runtime in runtimes:
            runtime.stop()
    assert [job.attempts for job in jobs(first)] == [1] * 30  # nobody ran a job another worker held


def test_the_password_given_with_an_upload_is_kept_for_the_worker(make_context: ContextFactory) -> None:
    context = make_context()
    [accepted] = accept_upload(context, [Upload("locked.pdf", fake_pdf(), password="12345678900")])
    with context.uow_factory(read_only=True) as uow:
        document = uow.session.get(Document, accepted.document_id)
        assert document is not None and document.password == "12345678900"


def test_an_unexpected_database_error_while_claiming_does_not_stop_the_worker(
    make_context: ContextFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    context = make_context(poll_interval_seconds=0.02)
    accept_upload(context, [Upload("a.pdf", fake_pdf(installation="7001"))])
    claim = EmbeddedWorker._claim
    failures = iter([ProgrammingError("SELECT 1", {}, Exception("relation does not exist"))] * 3)

    def failing_then_working(worker: EmbeddedWorker) -> list[str]:
        error = next(failures, None)
        if error is not None:
            raise error
        return claim(worker)

    monkeypatch.setattr(EmbeddedWorker, "_claim", failing_then_working)
    runtime = start_embedded_runtime(context, 1, fake_extract)
    try:
        deadline = time.monotonic() + 30
        while [job.status for job in jobs(context)] != [JobStatus.SUCCEEDED]:
            assert time.monotonic() < deadline, "the worker stopped after the error"
            time.sleep(0.05)
    finally:
        runtime.stop()
