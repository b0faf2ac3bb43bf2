"""Job lists: the same pages and totals whatever shortcut is taken, in as few statements as the page needs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, func, select

from faturas.db.models import Job, JobStatus
from faturas.services.accept_upload import Upload, accept_upload
from faturas.services.context import ServiceContext
from faturas.services.process_job import process_job
from faturas.services.queries import list_jobs
from tests.ingest_support import ContextFactory, fake_extract, fake_pdf


@contextmanager
def counted_selects(context: ServiceContext) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(*args: Any) -> None:
        statement = args[2]
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(context.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(context.engine, "before_cursor_execute", record)


def _expected(context: ServiceContext, status: JobStatus | None) -> tuple[list[str], int]:
    query = select(Job.id).order_by(Job.created_at.desc(), Job.id)
    counting = select(func.count(Job.id))
    if status is not None:
        query, counting = query.where(Job.status == status), counting.where(Job.status == status)
    with context.uow_factory(read_only=True) as uow:
        return list(uow.session.scalars(query)), int(uow.session.scalar(counting) or 0)


def test_pages_and_totals_match_a_plain_count_for_every_limit_and_offset(make_context: ContextFactory) -> None:
    context = make_context()
    bills = [fake_pdf(month=f"2024-{month:02d}") for month in range(1, 6)]
    accepted = accept_upload(context, [Upload(f"bill-{n}.pdf", data) for n, data in enumerate(bills)])
    for item in accepted[:3]:
        process_job(context, item.job_id, fake_extract)

    for status in (None, JobStatus.SUCCEEDED, JobStatus.QUEUED, JobStatus.FAILED):
        ids, total = _expected(context, status)
        for limit in (1, 2, 3, 5, 50):
            for offset in (0, 1, 2, 4, 5, 9):
                page = list_jobs(context, status, limit, offset)
                assert page.total == total, (status, limit, offset)
                assert [job.id for job in page.items] == ids[offset : offset + limit], (status, limit, offset)
                assert all(job.document.original_name.startswith("bill-") for job in page.items)


def test_a_full_page_counts_once_and_a_last_page_does_not_count(make_context: ContextFactory) -> None:
    context = make_context()
    bills = [fake_pdf(month=f"2024-{month:02d}") for month in range(1, 4)]
    accept_upload(context, [Upload(f"bill-{n}.pdf", data) for n, data in enumerate(bills)])

    with counted_selects(context) as full:
        page = list_jobs(context, JobStatus.QUEUED, 1, 0)
    assert page.total == 3 and len(page.items) == 1
    assert len(full) == 2  # the page with its documents joined, then the count

    with counted_selects(context) as last:
        page = list_jobs(context, JobStatus.QUEUED, 50, 0)
    assert page.total == 3 and len(page.items) == 3
    assert len(last) == 1

    with counted_selects(context) as empty:
        page = list_jobs(context, JobStatus.FAILED, 1, 0)
    assert page.total == 0 and page.items == []
    assert len(empty) == 1
