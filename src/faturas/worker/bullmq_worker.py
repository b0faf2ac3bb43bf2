"""The worker at scale: BullMQ hands out job ids, the services do the work, the database keeps the state.

Jobs handed out together run together (faturas.worker.job_batches): claimed in one statement and
read and saved in a pool process as the embedded worker runs its claimed batches. Each BullMQ job
still ends on its own: completed, retried (a dependency was down) or failed.

BullMQ brings attempts with exponential backoff (transient errors only: a bill that cannot be read is
a finished job, not a failure) and stalled-job recovery: a worker that dies mid-job stops renewing its
lock, and after ``queue_lock_seconds`` another worker's stalled check puts the job back in the queue.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from bullmq import Worker
from bullmq.custom_errors import UnrecoverableError
from sqlalchemy import or_, select

from faturas.config import Settings
from faturas.db.models import Job, JobStatus, utcnow
from faturas.db.unit_of_work import UnitOfWorkFactory, database_errors
from faturas.errors import ServiceUnavailable
from faturas.observability import log_context
from faturas.queue.bullmq import KEEP_COMPLETED, KEEP_FAILED, BullMQQueue, redis_client
from faturas.worker.embedded import CLAIM_BATCH
from faturas.worker.job_batches import BatchRunner, JobBatches

if TYPE_CHECKING:
    from faturas.services.context import ServiceContext
    from faturas.worker.pool import ExtractionPool

log = logging.getLogger(__name__)

#: Stalled jobs may be recovered this many times before BullMQ gives up on them (the sweep still won't).
MAX_STALLED_COUNT = 3
#: At most this many jobs are looked at per sweep (the next sweep takes the rest).
SWEEP_BATCH = 1000
#: While Redis is away, ask again this often (BullMQ's default is 15 s).
RUN_RETRY_DELAY_MS = 1000


@dataclass(frozen=True)
class WorkerDuties:
    """What a BullMQ worker needs from the rest of faturas, as plain callables (run in threads).

    ``process`` runs a batch of jobs by id and answers, for each, the error its BullMQ job ends with:
    None (done), ServiceUnavailable (a dependency was down: retried with backoff) or another error
    (failed, not retried); what it raises is every job's error. ``batch_size``: at most this many
    jobs per call. ``unqueued`` lists jobs the database says are waiting, so the sweep can put
    missing ones in Redis.
    """

    process: BatchRunner
    unqueued: Callable[[], list[str]]
    close: Callable[[], None] = lambda: None
    batch_size: int = 1


def worker_options(settings: Settings, concurrency: int) -> dict[str, Any]:
    if settings.queue_url is None:
        raise ValueError("FATURAS_QUEUE_URL is not set: the BullMQ worker needs a redis:// URL")
    lock_ms = int(settings.queue_lock_seconds * 1000)
    return {
        "connection": redis_client(settings.queue_url, fail_fast=False),
        "concurrency": concurrency,
        "lockDuration": lock_ms,
        "stalledInterval": max(lock_ms // 2, 500),
        "maxStalledCount": MAX_STALLED_COUNT,
        "runRetryDelay": RUN_RETRY_DELAY_MS,
        "removeOnComplete": KEEP_COMPLETED,
        "removeOnFail": KEEP_FAILED,
    }


def sweep_once(queue: BullMQQueue, duties: WorkerDuties) -> list[str]:
    """Enqueue every job the database holds as queued but Redis does not know (Redis was down or lost it)."""
    requeued = [job_id for job_id in duties.unqueued() if not queue.is_pending(job_id)]
    for job_id in requeued:
        queue.enqueue(job_id)
    if requeued:
        log.info("sweep: %d job(s) enqueued again", len(requeued))
    return requeued


async def serve(settings: Settings, concurrency: int, duties: WorkerDuties, stop: asyncio.Event) -> None:
    """Process jobs until ``stop`` is set, then finish the jobs in hand and return."""
    threads = ThreadPoolExecutor(max_workers=concurrency + 1, thread_name_prefix="faturas-job")
    batches = JobBatches(duties.process, concurrency, duties.batch_size, threads)

    async def processor(job: Any, token: str) -> None:
        job_id = str(job.data["job_id"])
        error = await batches.run(job_id)
        if error is None:
            return
        if isinstance(error, ServiceUnavailable):
            raise error  # BullMQ retries it with exponential backoff
        log.error("job %s failed unexpectedly", job_id, exc_info=error)
        raise UnrecoverableError(f"{type(error).__name__}: {error}") from error

    # BullMQ hands out enough jobs to fill a batch for every slot.
    options = worker_options(settings, concurrency * duties.batch_size)
    worker = Worker(settings.queue_name, processor, options)
    worker.on("error", lambda error, *_: log.warning("bullmq: %s", error))
    sweeper = asyncio.create_task(_sweep_forever(settings, duties, threads))
    try:
        await stop.wait()
    finally:
        sweeper.cancel()
        await asyncio.gather(sweeper, return_exceptions=True)
        await worker.close()
        threads.shutdown(wait=True)


async def _sweep_forever(settings: Settings, duties: WorkerDuties, threads: ThreadPoolExecutor) -> None:
    loop = asyncio.get_running_loop()
    queue = await loop.run_in_executor(threads, BullMQQueue.from_settings, settings)
    try:
        while True:
            try:
                await loop.run_in_executor(threads, sweep_once, queue, duties)
            except ServiceUnavailable as error:
                log.warning("sweep skipped: %s", error.message)
            except Exception:
                # Say, the schema is not migrated yet: the sweep must outlive it and try again later.
                log.exception("sweep failed")
            await asyncio.sleep(settings.sweep_interval_seconds)
    finally:
        await loop.run_in_executor(threads, queue.close)


def serve_until_signalled(settings: Settings, concurrency: int, duties: WorkerDuties) -> None:
    """Run until SIGTERM or SIGINT; the first signal drains the jobs in hand, a second one quits at once."""

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()

        def on_signal() -> None:
            if stop.is_set():
                raise SystemExit(1)
            log.info("stopping: finishing the jobs in hand")
            stop.set()

        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, on_signal)
        await serve(settings, concurrency, duties, stop)

    try:
        asyncio.run(main())
    finally:
        duties.close()


def run_bullmq_worker(settings: Settings, concurrency: int) -> None:
    """``faturas worker`` with FATURAS_QUEUE_URL set: ``concurrency`` extraction processes, each reading
    a batch of the jobs BullMQ handed out."""
    from faturas.services.context import build_context
    from faturas.services.extract_document import worker_extractor
    from faturas.worker.pool import ExtractionPool
    from faturas.worker.webhook_dispatcher import WebhookDispatcher

    # The schema is migrated by ``faturas db upgrade`` (or the API): several workers starting at once
    # must not race to migrate it.
    context = build_context(settings, migrate=False)
    pool = ExtractionPool(
        concurrency, settings.job_timeout_seconds, worker_extractor(settings), settings.job_memory_limit_mb
    )
    webhooks = WebhookDispatcher(context).start()  # every worker sends webhooks; claims keep them apart

    def close() -> None:
        webhooks.stop()
        pool.close()
        context.close()

    duties = WorkerDuties(
        process=lambda job_ids: errors_of(process_batch_in_pool(context, pool, job_ids)),
        unqueued=lambda: unqueued_job_ids(context.uow_factory),
        close=close,
        batch_size=CLAIM_BATCH,
    )
    serve_until_signalled(settings, concurrency, duties)


def process_batch_in_pool(context: ServiceContext, pool: ExtractionPool, job_ids: Sequence[str]) -> JobOutcomes:
    """Jobs BullMQ handed out together: claimed in one statement, then read and saved in one pool
    process as a claimed batch (the bills and their results cross no pipe). When that process dies
    or overruns, the batch runs here, each bill read in the pool on its own, so the bill at fault
    fails alone. Jobs the claim did not take (finished, out of attempts) go through process_job,
    which knows what each needs. Raises ServiceUnavailable when the claim could not be made."""
    from faturas.services.process_job import process_claimed_jobs, process_job

    settings = context.settings
    now = utcnow()
    with database_errors(), context.uow_factory() as uow:
        lease_until = now + timedelta(seconds=settings.job_lease_seconds)
        claimed = uow.jobs.claim_listed(list(job_ids), now, lease_until, settings.job_max_attempts)
        uow.commit()
    outcomes: JobOutcomes = {}
    if claimed:
        statuses = pool.run_jobs(settings, claimed)
        if statuses is None:
            statuses = process_claimed_jobs(context, claimed, pool.extract)
        outcomes.update(statuses)
    for job_id in job_ids:
        if job_id not in outcomes:
            with log_context.bound(job_id=job_id):
                try:
                    outcomes[job_id] = process_job(context, job_id, pool.extract)
                except Exception as error:
                    outcomes[job_id] = error
    for job_id, outcome in outcomes.items():
        if isinstance(outcome, JobStatus):
            with log_context.bound(job_id=job_id):
                log.info("job %s %s", job_id, outcome)
    return outcomes


#: Per job: its final status, None (a dependency was down: to retry), or the error it ended with.
JobOutcomes = dict[str, JobStatus | BaseException | None]


def errors_of(outcomes: JobOutcomes) -> dict[str, BaseException | None]:
    """The error each BullMQ job ends with: none when it reached a final status."""
    return {job_id: _error_of(outcome) for job_id, outcome in outcomes.items()}


def _error_of(outcome: JobStatus | BaseException | None) -> BaseException | None:
    if outcome is None:
        return ServiceUnavailable("Um serviço ficou indisponível durante o processamento; nova tentativa em breve.")
    return outcome if isinstance(outcome, BaseException) else None


def unqueued_job_ids(uow_factory: UnitOfWorkFactory) -> list[str]:
    """Jobs that should be in the queue: queued and due, or running under a lease nobody renews."""
    now = utcnow()
    due = (Job.status == JobStatus.QUEUED) & (Job.available_at <= now)
    abandoned = (Job.status == JobStatus.RUNNING) & (Job.lease_expires_at < now)
    query = select(Job.id).where(or_(due, abandoned)).order_by(Job.created_at).limit(SWEEP_BATCH)
    with database_errors(), uow_factory() as uow:
        return list(uow.session.scalars(query))
