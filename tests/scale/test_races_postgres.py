"""Races on PostgreSQL are settled by unique constraints: concurrent work ends with one row, never two."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func, select

from faturas.db.models import Client, ConsumerUnit, Document, Invoice, Job
from faturas.services.accept_upload import Upload, accept_upload
from faturas.services.context import ServiceContext, build_context
from faturas.services.extract_document import Extraction
from faturas.services.process_job import process_job
from tests.ingest_support import fake_extract, fake_pdf
from tests.scale.stack import Stack, build_stack, upload


@pytest.fixture
def stack(
    tmp_path: Path,
    fresh_database: str,
    redis_url: str,
    queue_name: str,
    s3_endpoint: str,
    make_bucket: Callable[[], str],
) -> Iterator[Stack]:
    from faturas.queue.bullmq import BullMQQueue

    yield build_stack(tmp_path, fresh_database, redis_url, queue_name, s3_endpoint, make_bucket())
    queue = BullMQQueue(redis_url, queue_name=queue_name)
    queue.obliterate()
    queue.close()


@pytest.fixture
def context(stack: Stack) -> Iterator[ServiceContext]:
    built = build_context(stack.settings, migrate=False)
    yield built
    built.close()


def count(context: ServiceContext, model: type[object]) -> int:
    with context.uow_factory() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def test_the_same_file_uploaded_ten_times_at_once_is_one_document_and_one_job(
    stack: Stack, context: ServiceContext
) -> None:
    data = fake_pdf(installation="3000000001", month="2024-01")
    start = threading.Barrier(10)
    with stack.api() as client:

        def send(_: int) -> str:
            start.wait()
            (accepted,) = upload(client, [("same.pdf", data)])
            return str(accepted["job_id"])

        with ThreadPoolExecutor(10) as pool:
            job_ids = set(pool.map(send, range(10)))
    assert len(job_ids) == 1
    assert count(context, Document) == 1
    assert count(context, Job) == 1


def test_twenty_bills_of_one_new_client_processed_at_once_create_one_client(context: ServiceContext) -> None:
    uploads = [
        Upload(f"bill-{n}.pdf", fake_pdf(client="7999999999", installation=f"30000000{n:02d}", month="2024-03"))
        for n in range(20)
    ]
    job_ids = [accepted.job_id for accepted in accept_upload(context, uploads)]
    together = threading.Barrier(20)

    def extract_together(pdf: bytes, password: str | None, max_pages: int) -> Extraction:
        extraction = fake_extract(pdf, password, max_pages)
        together.wait()  # every worker reaches find_or_create_client at the same moment
        return extraction

    with ThreadPoolExecutor(20) as pool:
        statuses = list(pool.map(lambda job_id: process_job(context, job_id, extract_together), job_ids))

    assert statuses == ["succeeded"] * 20
    assert count(context, Client) == 1
    assert count(context, ConsumerUnit) == 20
    assert count(context, Invoice) == 20


def test_one_bill_saved_by_two_workers_at_once_is_one_invoice(context: ServiceContext) -> None:
    # Two different files (different bytes) of the same unit and month, processed at the same moment.
    uploads = [Upload(f"copy-{n}.pdf", fake_pdf(installation="3000000077", month="2024-05", note=n)) for n in (1, 2)]
    job_ids = [accepted.job_id for accepted in accept_upload(context, uploads)]
    together = threading.Barrier(2)

    def extract_together(pdf: bytes, password: str | None, max_pages: int) -> Extraction:
        extraction = fake_extract(pdf, password, max_pages)
        together.wait()
        return extraction

    with ThreadPoolExecutor(2) as pool:
        statuses = sorted(pool.map(lambda job_id: process_job(context, job_id, extract_together), job_ids))

    assert statuses == ["duplicate", "succeeded"]
    assert count(context, Invoice) == 1
