"""The worker at scale: BullMQ hands out job ids, process_job does the work, the database keeps the state.

BullMQ brings attempts with exponential backoff (transient errors only: a bill that cannot be read is
a finished job, not a failure) and stalled-job recovery: a worker that dies mid-job stops renewing its
lock, and after ``queue_lock_seconds`` another worker's stalled check puts the job back in the queue.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
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

    ``process`` runs one job by id and raises ServiceUnavailable when a dependency is down (retried);
    ``unqueued`` lists jobs the database says are waiting, so the sweep can put missing ones in Redis.
    """

    process: Callable[[str], None]
    unqueued: Callable[[], list[str]]
    close: Callable[[], None] = lambda: None


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
    loop = asyncio.get_running_loop()
    threads = ThreadPoolExecutor(max_workers=concurrency + 1, thread_name_prefix="faturas-job")

    async def processor(job: Any, token: str) -> None:
        job_id = str(job.data["job_id"])
        try:
            await loop.run_in_executor(threads, duties.process, job_id)
        except ServiceUnavailable:
            raise  # BullMQ retries it with exponential backoff
        except Exception as error:
            log.exception("job %s failed unexpectedly", job_id)
            raise UnrecoverableError(f"{type(error).__name__}: {error}") from error

    worker = Worker(settings.queue_name, processor, worker_options(settings, concurrency))
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
    """``faturas worker`` with FATURAS_QUEUE_URL set: ``concurrency`` bills at once, each in its own process."""
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

    def process(job_id: str) -> None:
        status = process_in_pool(context, pool, job_id)
        with log_context.bound(job_id=job_id):
            log.info("job %s %s", job_id, status)

    def close() -> None:
        webhooks.stop()
        pool.close()
        context.close()

    duties = WorkerDuties(process=process, unqueued=lambda: unqueued_job_ids(context.uow_factory), close=close)
    serve_until_signalled(settings, concurrency, duties)


def process_in_pool(context: ServiceContext, pool: ExtractionPool, job_id: str) -> JobStatus:
    """A job read and saved in a pool process (the bill and its result cross no pipe, issue #3:
    callgrind, 38.0M -> 36.0M instructions per job in a worker and its pool process); when that
    process dies or overruns, the job runs here, its bill read in the pool on its own."""
    from faturas.services.process_job import process_job

    status = pool.run_job(context.settings, job_id)
    if status is None:
        with log_context.bound(job_id=job_id):
            status = process_job(context, job_id, pool.extract)
    return status


def unqueued_job_ids(uow_factory: UnitOfWorkFactory) -> list[str]:
    """Jobs that should be in the queue: queued and due, or running under a lease nobody renews."""
    now = utcnow()
    due = (Job.status == JobStatus.QUEUED) & (Job.available_at <= now)
    abandoned = (Job.status == JobStatus.RUNNING) & (Job.lease_expires_at < now)
    query = select(Job.id).where(or_(due, abandoned)).order_by(Job.created_at).limit(SWEEP_BATCH)
    with database_errors(), uow_factory() as uow:
        return list(uow.session.scalars(query))
