"""Races are settled by unique constraints: concurrent workers end with one row, never two."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from faturas.db.models import Client, ConsumerUnit, Document, Invoice, Job, JobStatus
from faturas.services.accept_upload import Upload, accept_upload
from faturas.services.context import ServiceContext
from faturas.services.process_job import process_job
from tests.ingest_support import ContextFactory, fake_extract, fake_pdf


def count(context: ServiceContext, model: type[object]) -> int:
    with context.uow_factory() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def all_at_once(count: int, action: Callable[[int], object]) -> list[object]:
    barrier = threading.Barrier(count)

    def run(index: int) -> object:
        barrier.wait()
        return action(index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_twenty_bills_of_one_new_client_at_once_create_one_client(make_context: ContextFactory) -> None:
    context = make_context()
    bills = [fake_pdf(client="7100000001", installation=f"30{n:02d}", month="2024-05") for n in range(20)]
    accepted = [accept_upload(context, [Upload(f"{n}.pdf", data)])[0] for n, data in enumerate(bills)]

    statuses = all_at_once(20, lambda n: process_job(context, accepted[n].job_id, fake_extract))

    assert statuses == [JobStatus.SUCCEEDED] * 20
    assert count(context, Client) == 1
    assert count(context, ConsumerUnit) == 20
    assert count(context, Invoice) == 20


def test_twenty_uploads_of_one_installation_at_once_create_one_unit(make_context: ContextFactory) -> None:
    context = make_context()
    bills = [fake_pdf(client="71", installation="3100", month=f"2023-{n % 12 + 1:02d}", n=n) for n in range(20)]
    accepted = [accept_upload(context, [Upload(f"{n}.pdf", data)])[0] for n, data in enumerate(bills)]
    all_at_once(20, lambda n: process_job(context, accepted[n].job_id, fake_extract))
    assert count(context, ConsumerUnit) == 1
    # 12 months: one invoice each; the other 8 bills repeat a month with the same total.
    assert count(context, Invoice) == 12


def test_the_same_file_ten_times_at_once_makes_one_document_and_one_job(make_context: ContextFactory) -> None:
    context = make_context()
    data = fake_pdf(month="2024-06")
    answers = all_at_once(10, lambda n: accept_upload(context, [Upload(f"copy{n}.pdf", data)])[0])
    assert len({answer.job_id for answer in answers}) == 1  # type: ignore[attr-defined]
    assert count(context, Document) == 1
    assert count(context, Job) == 1
    assert len(context.store.keys()) == 1
