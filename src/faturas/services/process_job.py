"""process_job(): one job from ``queued`` to a final state. A plain callable, the same in both queue modes.

The extraction runs outside any transaction (it is the slow, CPU-bound part); the job is marked
running before and the result saved after, each in one short transaction.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any, TypeVar, cast

from sqlalchemy import BindParameter, Table, bindparam, select, update
from sqlalchemy.exc import IntegrityError

from faturas.db.models import FINISHED_STATUSES, Document, Job, JobStatus, UtcDateTime, utcnow
from faturas.db.repositories import MAY_START
from faturas.db.unit_of_work import UnitOfWork, database_errors
from faturas.domain.invoice import Invoice
from faturas.errors import BillRejected, NotFound, ServiceUnavailable, StoredFileMissing
from faturas.observability import job_metrics, log_context
from faturas.services.context import ServiceContext
from faturas.services.extract_document import Extraction, Extractor, extract_document
from faturas.services.job_outcome import record_outcome
from faturas.services.save_invoice import KnownRows, SavedInvoice, invoices_to_store, save_invoice
from faturas.services.webhook_events import JobFacts, announce_job_failed, list_subscriptions

log = logging.getLogger(__name__)

T = TypeVar("T")

#: A lost race on a unique key is answered by running the save again, which then sees the winner.
SAVE_ATTEMPTS = 3


# Every job runs these: built once, and read as plain rows (loading ORM objects costs more than the query).
_JOBS, _DOCUMENTS = cast(Table, Job.__table__), cast(Table, Document.__table__)
#: What a job's extraction needs, and what saving its result needs (plain rows, one job or a batch).
_TO_READ = (_JOBS.c.status, _JOBS.c.attempts, _DOCUMENTS.c.storage_key, _DOCUMENTS.c.password, _DOCUMENTS.c.sha256)
_TO_SAVE = (
    _JOBS.c.status,
    _JOBS.c.replace_requested,
    _JOBS.c.attempts,
    _JOBS.c.document_id,
    _DOCUMENTS.c.page_count,
    _DOCUMENTS.c.sha256,
)
_WITH_DOCUMENT = _JOBS.join(_DOCUMENTS, _JOBS.c.document_id == _DOCUMENTS.c.id)
_JOB_TO_READ = select(*_TO_READ).select_from(_WITH_DOCUMENT).where(_JOBS.c.id == bindparam("job_id"))
_JOB_TO_SAVE = select(*_TO_SAVE).select_from(_WITH_DOCUMENT).where(_JOBS.c.id == bindparam("job_id"))
#: The same two reads for a batch of jobs claimed together (``job_ids``: a list).
_JOB_IDS: BindParameter[str] = bindparam("job_ids", expanding=True)
_JOBS_TO_READ = select(_JOBS.c.id, *_TO_READ).select_from(_WITH_DOCUMENT).where(_JOBS.c.id.in_(_JOB_IDS))
_JOBS_TO_SAVE = select(_JOBS.c.id, *_TO_SAVE).select_from(_WITH_DOCUMENT).where(_JOBS.c.id.in_(_JOB_IDS))
_START = (
    update(_JOBS)
    .where(_JOBS.c.id == bindparam("job_id"))
    .values(
        status=JobStatus.RUNNING,
        attempts=_JOBS.c.attempts + 1,
        started_at=bindparam("now", type_=UtcDateTime()),
        lease_expires_at=bindparam("lease_until", type_=UtcDateTime()),
    )
)
#: _START when the job may start (queued, or running with attempts left after its worker died): the
#: job's begin in one statement (one round trip) in the usual case; no row: _begin reads the job.
_START_IF_STARTABLE = _START.where(MAY_START).returning(
    *(
        select(column).where(_DOCUMENTS.c.id == _JOBS.c.document_id).scalar_subquery()
        for column in (_DOCUMENTS.c.storage_key, _DOCUMENTS.c.password, _DOCUMENTS.c.sha256)
    )
)
_SET_PAGE_COUNT = (
    update(_DOCUMENTS).where(_DOCUMENTS.c.id == bindparam("document_id")).values(page_count=bindparam("pages"))
)


@dataclass(frozen=True)
class _JobInput:
    storage_key: str
    password: str | None
    sha256: str


def process_job(
    context: ServiceContext, job_id: str, extractor: Extractor = extract_document, *, claimed: bool = False
) -> JobStatus:
    """Run the job and return its final status.

    ``claimed``: the caller's claim marked the job running and counted the attempt already (the
    embedded worker's conditional UPDATE), so beginning it is a read, not another write transaction.

    Raises ServiceUnavailable when a dependency is down and attempts remain: the job is back to
    ``queued`` with a backoff (best effort), and a BullMQ worker lets BullMQ retry it.
    """
    with log_context.bound(job_id=job_id):  # every line of the job, here and in the pool, names it
        return _process_job(context, job_id, extractor, claimed)


def _process_job(context: ServiceContext, job_id: str, extractor: Extractor, claimed: bool) -> JobStatus:
    with database_errors():
        started = _begin_claimed(context, job_id) if claimed else _begin(context, job_id)
    if isinstance(started, JobStatus):
        return started
    log_context.bind(document=log_context.document_label(started.sha256))
    extraction = _guarded(context, job_id, lambda: _extract(context, started, extractor))
    if isinstance(extraction, JobStatus):
        return extraction
    return _guarded(context, job_id, lambda: _save_in_errors(context, job_id, extraction))


def _extract(context: ServiceContext, started: _JobInput, extractor: Extractor) -> Extraction:
    data = context.store.get(started.storage_key)
    return extractor(data, started.password, context.settings.max_pages)


def _save_in_errors(context: ServiceContext, job_id: str, extraction: Extraction) -> JobStatus:
    with database_errors():
        return _save(context, job_id, extraction)


def _guarded(context: ServiceContext, job_id: str, action: Callable[[], T]) -> T | JobStatus:
    """Run a step of the job; a bill that cannot be read, or a bug, fails the job (its final status)."""
    try:
        return action()
    except (BillRejected, StoredFileMissing) as error:
        return _finish_failed(context, job_id, error.code, error.message)
    except ServiceUnavailable as error:
        return _transient(context, job_id, error)
    except Exception as error:
        # A bug (say, in a template) fails this job with a clear record; it must not stop the worker.
        log.exception("job %s failed unexpectedly", job_id)
        message = f"Erro inesperado ao processar a fatura ({type(error).__name__}: {error})."
        return _finish_failed(context, job_id, "internal_error", message)


def _begin(context: ServiceContext, job_id: str) -> _JobInput | JobStatus:
    settings = context.settings
    with context.uow_factory() as uow:
        now = utcnow()
        values = {
            "job_id": job_id,
            "now": now,
            "lease_until": now + timedelta(seconds=settings.job_lease_seconds),
            "max_attempts": settings.job_max_attempts,
        }
        started = uow.session.execute(_START_IF_STARTABLE, values).first()
        if started is not None:
            uow.commit()
            return _JobInput(*started)
        row = uow.session.execute(_JOB_TO_READ, {"job_id": job_id}).first()
        if row is None:
            raise NotFound("Job", job_id)
        status, attempts, storage_key, password, sha256 = row
        if status in FINISHED_STATUSES:
            return JobStatus(status)
        if status == JobStatus.RUNNING and attempts >= settings.job_max_attempts:
            # Taken up again after its worker died this many times: it would only kill the next one.
            job = uow.jobs.get_with_document(job_id)
            if job is None:
                raise NotFound("Job", job_id)
            return _fail_interrupted(uow, job, job.attempts)
        uow.session.execute(_START, values)  # a status _START_IF_STARTABLE does not know (or changed since)
        uow.commit()
        return _JobInput(storage_key, password, sha256)


def _begin_claimed(context: ServiceContext, job_id: str) -> _JobInput | JobStatus:
    """Begin a job the caller's claim already marked running with the attempt counted: only a read."""
    with context.uow_factory(read_only=True) as uow:
        row = uow.session.execute(_JOB_TO_READ, {"job_id": job_id}).first()
        if row is None:
            raise NotFound("Job", job_id)
        status, attempts, storage_key, password, sha256 = row
        if status != JobStatus.RUNNING:
            return JobStatus(status)  # finished (or queued again) since the claim: not ours to run
        if attempts <= context.settings.job_max_attempts:
            return _JobInput(storage_key, password, sha256)
    # Claimed again after its worker died on every attempt allowed: it would only kill the next one.
    with context.uow_factory() as uow:
        job = uow.jobs.get_with_document(job_id)
        if job is None:
            raise NotFound("Job", job_id)
        if job.status != JobStatus.RUNNING:
            return JobStatus(job.status)
        job.attempts -= 1  # this claim's attempt never ran
        return _fail_interrupted(uow, job, job.attempts)


def _fail_interrupted(uow: UnitOfWork, job: Job, times: int) -> JobStatus:
    job.status = JobStatus.FAILED
    job.error_code = "interrupted"
    job.error_message = f"O processamento foi interrompido {times} vezes; desistimos desta fatura."
    job.finished_at, job.lease_expires_at = utcnow(), None
    announce_job_failed(uow, job)
    uow.commit()
    job_metrics.job_finished(JobStatus.FAILED, "interrupted")
    log.warning("job failed: interrupted %d times", times)
    return JobStatus.FAILED


def _save(context: ServiceContext, job_id: str, extraction: Extraction) -> JobStatus:
    save_started = time.perf_counter()
    for attempt in range(1, SAVE_ATTEMPTS + 1):
        with context.uow_factory() as uow:
            row = uow.session.execute(_JOB_TO_SAVE, {"job_id": job_id}).first()
            if row is None:
                raise NotFound("Job", job_id)
            try:
                saved = _store_results(uow, job_id, row, extraction)
                if saved is None:
                    return JobStatus(row.status)  # finished meanwhile by a worker that took over the lease
                uow.commit()
            except IntegrityError:
                if attempt == SAVE_ATTEMPTS:
                    raise
                uow.rollback()
                log.info("job %s lost a race on a unique key; saving again", job_id)
                continue
        return _after_commit(saved, time.perf_counter() - save_started)
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class _Saved:
    job_id: str
    extraction: Extraction
    results: list[tuple[Invoice, SavedInvoice]]
    facts: JobFacts


def _store_results(
    uow: UnitOfWork,
    job_id: str,
    row: Any,
    extraction: Extraction,
    subscriptions: Sequence[tuple[int, list[Any]]] | None = None,
    known: KnownRows | None = None,
) -> _Saved | None:
    """Save the job's invoices and its outcome in ``uow`` (the caller commits); None: not ours any more.

    ``row``: the job as _JOB_TO_SAVE reads it; ``subscriptions``: the webhook subscriptions, when read
    already; ``known``: the rows the saves look up, when read already for a batch.
    """
    if row.status != JobStatus.RUNNING:
        return None
    if row.page_count != extraction.page_count:
        uow.execute_later(_SET_PAGE_COUNT, {"document_id": row.document_id, "pages": extraction.page_count})
    invoices = invoices_to_store(extraction.invoice)
    results = [
        save_invoice(
            uow,
            row.document_id,
            invoice,
            sub_index=sub_index,
            collective_account=extraction.invoice.collective_account,
            replace=row.replace_requested,
            known=known,
        )
        for sub_index, invoice in invoices
    ]
    facts = record_outcome(uow, job_id, (row.document_id, row.sha256), row.attempts, results, subscriptions)
    saved = [(invoice, result) for (_, invoice), result in zip(invoices, results, strict=True)]
    return _Saved(job_id, extraction, saved, facts)


def _after_commit(saved: _Saved, save_seconds: float) -> JobStatus:
    """Metrics and the log line of a job whose outcome is committed."""
    status = JobStatus(saved.facts.status)
    job_metrics.invoices_saved(saved.extraction, saved.results, save_seconds)
    job_metrics.job_finished(status, saved.facts.duplicate_reason)
    with log_context.bound(job_id=saved.job_id):
        described = ", ".join(f"{result.invoice_id} {result.outcome}" for _, result in saved.results)
        log.info("job %s: invoice(s) %s", status, described)
    return status


def _finish_failed(context: ServiceContext, job_id: str, code: str, message: str) -> JobStatus:
    with database_errors(), context.uow_factory() as uow:
        job = uow.jobs.get(job_id)
        if job is None:
            raise NotFound("Job", job_id)
        job.status = JobStatus.FAILED
        job.error_code, job.error_message = code, message
        job.finished_at, job.lease_expires_at = utcnow(), None
        announce_job_failed(uow, job)
        uow.commit()
    job_metrics.job_finished(JobStatus.FAILED, code)
    log.info("job failed: %s", code)
    return JobStatus.FAILED


def _transient(context: ServiceContext, job_id: str, error: ServiceUnavailable) -> JobStatus:
    settings = context.settings
    try:
        with database_errors(), context.uow_factory() as uow:
            job = uow.jobs.get(job_id)
            if job is None:
                raise NotFound("Job", job_id)
            job.error_code, job.error_message = error.code, error.message
            job.lease_expires_at = None
            if job.attempts >= settings.job_max_attempts:
                job.status, job.finished_at = JobStatus.FAILED, utcnow()
                announce_job_failed(uow, job)
                uow.commit()
                job_metrics.job_finished(JobStatus.FAILED, error.code)
                log.warning("job failed after %d attempts: %s", job.attempts, error.message)
                return JobStatus.FAILED
            job.status = JobStatus.QUEUED
            job.available_at = utcnow() + timedelta(seconds=settings.retry_base_seconds * 2 ** (job.attempts - 1))
            uow.commit()
    except ServiceUnavailable:
        log.warning("job %s: could not record the retry; its lease will expire and it will run again", job_id)
    log.warning("job %s will be retried: %s", job_id, error.message)
    raise error


#: Results of jobs claimed together wait at most this long for the rest before they are saved.
BATCH_SAVE_SECONDS = 0.5


def process_claimed_jobs(
    context: ServiceContext, job_ids: Sequence[str], extractor: Extractor = extract_document
) -> dict[str, JobStatus | None]:
    """Run jobs the embedded worker claimed together (``JobRepository.claim_batch``): their final statuses.

    One read for all of them, each bill read in turn, and the results saved together in one
    transaction (one commit, one read of the webhook subscriptions): per bill, fewer statements and
    commits than ``process_job``, with the same outcome. When saving them together fails (a lost race,
    a bill the rules refuse), each is saved on its own as ``process_job`` does. None: a dependency was
    down; the job is queued again with a backoff (or its lease expires and it runs again).
    """
    outcome: dict[str, JobStatus | None] = {}
    with database_errors(), context.uow_factory(read_only=True) as uow:
        rows = {row.id: row for row in uow.session.execute(_JOBS_TO_READ, {"job_ids": list(job_ids)})}
    pending: list[tuple[str, Extraction]] = []
    oldest = 0.0
    max_attempts = context.settings.job_max_attempts
    for job_id in job_ids:
        row = rows.get(job_id)
        with log_context.bound(job_id=job_id):
            try:
                if row is None or row.status != JobStatus.RUNNING or row.attempts > max_attempts:
                    outcome[job_id] = _process_job(context, job_id, extractor, True)  # it knows what to do
                    continue
                log_context.bind(document=log_context.document_label(row.sha256))
                started = _JobInput(row.storage_key, row.password, row.sha256)
                extraction = _guarded(context, job_id, partial(_extract, context, started, extractor))
            except ServiceUnavailable as error:
                log.warning("job %s back in the queue: %s", job_id, error.message)
                outcome[job_id] = None
                continue
        if isinstance(extraction, JobStatus):
            outcome[job_id] = extraction
            continue
        if not pending:
            oldest = time.monotonic()
        pending.append((job_id, extraction))
        if time.monotonic() - oldest >= BATCH_SAVE_SECONDS:  # slow bills (OCR): do not hold results back
            outcome.update(_save_together(context, pending))
            pending = []
    if pending:
        outcome.update(_save_together(context, pending))
    return outcome


def _save_together(context: ServiceContext, pending: list[tuple[str, Extraction]]) -> dict[str, JobStatus | None]:
    if len(pending) > 1:
        save_started = time.perf_counter()
        try:
            with database_errors(), context.uow_factory() as uow:
                job_ids = [job_id for job_id, _ in pending]
                rows = {row.id: row for row in uow.session.execute(_JOBS_TO_SAVE, {"job_ids": job_ids})}
                subscriptions = list_subscriptions(uow)
                # The clients, units and invoices the saves look up: one query per table for the batch.
                running = [  # not those finished meanwhile by a worker that took over the lease
                    extraction.invoice
                    for job_id, extraction in pending
                    if job_id in rows and rows[job_id].status == JobStatus.RUNNING
                ]
                known = KnownRows.read(uow, [invoice for bill in running for _, invoice in invoices_to_store(bill)])
                saved: list[_Saved] = []
                taken_over: dict[str, JobStatus | None] = {}
                # The writes nothing reads back (page counts, job outcomes, events): one statement each
                # for the whole batch, run before the commit.
                with uow.writes_together():
                    for job_id, extraction in pending:
                        row = rows.get(job_id)
                        if row is None:
                            raise NotFound("Job", job_id)
                        stored = _store_results(uow, job_id, row, extraction, subscriptions, known)
                        if stored is None:  # finished meanwhile by a worker that took over the lease
                            taken_over[job_id] = JobStatus(row.status)
                        else:
                            saved.append(stored)
                uow.commit()
        except Exception as error:
            log.info("saving %d jobs together failed (%s); saving them one by one", len(pending), type(error).__name__)
        else:
            seconds = (time.perf_counter() - save_started) / len(pending)
            return taken_over | {item.job_id: _after_commit(item, seconds) for item in saved}
    outcome: dict[str, JobStatus | None] = {}
    for job_id, extraction in pending:
        with log_context.bound(job_id=job_id):
            try:
                outcome[job_id] = _guarded(context, job_id, partial(_save_in_errors, context, job_id, extraction))
            except ServiceUnavailable as error:
                log.warning("job %s back in the queue: %s", job_id, error.message)
                outcome[job_id] = None
    return outcome
