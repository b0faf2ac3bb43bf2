"""The embedded worker: threads claim jobs from the jobs table and hand the parsing to the pool.

A thread claims several waiting jobs at once when the queue is long (process_claimed_jobs saves
them together). Each running job holds a short lease that a heartbeat renews; when a process dies its leases
expire and any worker (this one after a restart, or another process) takes the jobs up again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import update

from faturas.db.models import Job, JobStatus, utcnow
from faturas.db.unit_of_work import database_errors
from faturas.errors import ServiceUnavailable
from faturas.observability import log_context
from faturas.queue.embedded import EmbeddedQueue
from faturas.services.context import ServiceContext
from faturas.services.extract_document import Extractor
from faturas.services.process_job import process_claimed_jobs, process_job

log = logging.getLogger(__name__)

#: Claimed job ids -> their statuses (see EmbeddedWorker), or None: they were not processed.
JobRunner = Callable[[list[str]], dict[str, JobStatus | None] | None]

#: At most this many jobs are claimed, read and saved together by one worker thread: one claim, one
#: read and one commit for them all (CPU per bill outside extraction, issue #3), while a short queue
#: is still shared among the threads (see _claim). A batch's saves cost about a dozen statements
#: plus one per invoice: 8 rather than 4 took the pool processes' CPU per bill from about 3.9 to
#: 3.3 ms in bench/ingest.py --n 1000 (extraction alone: 1.9 ms).
CLAIM_BATCH = 8


class EmbeddedWorker:
    def __init__(
        self, context: ServiceContext, concurrency: int, extractor: Extractor, run_jobs: JobRunner | None = None
    ) -> None:
        """``run_jobs``: processes claimed jobs elsewhere (a pool process, see ExtractionPool.run_jobs),
        None when it could not; the jobs are then processed here, each bill read by ``extractor``."""
        if not isinstance(context.queue, EmbeddedQueue):
            raise TypeError("the embedded worker needs the embedded queue")
        self._context = context
        self._queue = context.queue
        self._concurrency = concurrency
        self._extractor = extractor
        self._run_jobs = run_jobs
        self._stop = threading.Event()
        self._running: set[str] = set()
        self._running_lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        for index in range(self._concurrency):
            thread = threading.Thread(target=self._loop, name=f"faturas-worker-{index}", daemon=True)
            self._threads.append(thread)
        self._threads.append(threading.Thread(target=self._heartbeat, name="faturas-lease", daemon=True))
        for thread in self._threads:
            thread.start()

    def stop(self, timeout: float = 30) -> None:
        self._stop.set()
        self._queue.close()
        for thread in self._threads:
            thread.join(timeout)

    def run_forever(self) -> None:
        self.start()
        self._stop.wait()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                job_ids = self._claim()
            except ServiceUnavailable as error:
                log.warning("cannot claim jobs: %s", error.message)
                self._stop.wait(self._context.settings.poll_interval_seconds)
                continue
            except Exception:
                # Any other database error (a schema being migrated, say) must not end the thread:
                # the worker would stop taking jobs with nothing but a log line to show for it.
                log.exception("cannot claim jobs: unexpected error; trying again")
                self._stop.wait(self._context.settings.poll_interval_seconds)
                continue
            if not job_ids:
                self._queue.wait_for_work(self._context.settings.poll_interval_seconds)
                continue
            with self._running_lock:
                self._running.update(job_ids)
            try:
                self._process(job_ids)
            finally:
                with self._running_lock:
                    self._running.difference_update(job_ids)

    def _process(self, job_ids: list[str]) -> None:
        if self._run_jobs is not None or len(job_ids) > 1:
            try:
                statuses = None if self._run_jobs is None else self._run_jobs(job_ids)
                if statuses is None:
                    statuses = process_claimed_jobs(self._context, job_ids, self._extractor)
            except ServiceUnavailable as error:  # the first read: the leases expire and they run again
                log.warning("jobs %s back in the queue: %s", ", ".join(job_ids), error.message)
            except Exception:
                log.exception("jobs %s: unexpected error in the worker loop", ", ".join(job_ids))
            else:
                for job_id, status in statuses.items():
                    if status is not None:
                        with log_context.bound(job_id=job_id):
                            log.info("job %s %s", job_id, status)
            return
        [job_id] = job_ids
        with log_context.bound(job_id=job_id):
            try:
                status = process_job(self._context, job_id, self._extractor, claimed=True)
                log.info("job %s %s", job_id, status)
            except ServiceUnavailable as error:
                log.warning("job %s back in the queue: %s", job_id, error.message)
            except Exception:
                log.exception("job %s: unexpected error in the worker loop", job_id)

    def _claim(self) -> list[str]:
        """The jobs this thread takes now: none when nothing waits, else a fair share, up to CLAIM_BATCH.

        The count is a read (an idle worker takes no write lock); taking a share of what waits, not
        CLAIM_BATCH at once, leaves work for the other threads when the queue is short.
        """
        now = utcnow()
        with database_errors(), self._context.uow_factory(read_only=True) as uow:
            waiting = uow.jobs.count_claimable(now, CLAIM_BATCH * self._concurrency)
        if waiting == 0:
            return []
        take = max(1, min(CLAIM_BATCH, waiting // self._concurrency))
        lease = timedelta(seconds=self._context.settings.job_lease_seconds)
        with database_errors(), self._context.uow_factory() as uow:
            # One statement finds, takes and starts the jobs (processing them then only reads them).
            now = utcnow()
            job_ids = uow.jobs.claim_batch(now, now + lease, take)
            uow.commit()
            return job_ids

    def _heartbeat(self) -> None:
        interval = self._context.settings.job_lease_seconds / 3
        while not self._stop.wait(interval):
            with self._running_lock:
                job_ids = list(self._running)
            if not job_ids:
                continue
            try:
                self._renew(job_ids)
            except ServiceUnavailable as error:
                log.warning("cannot renew job leases: %s", error.message)
            except Exception:
                log.exception("cannot renew job leases: unexpected error; trying again")

    def _renew(self, job_ids: list[str]) -> None:
        lease_until = utcnow() + timedelta(seconds=self._context.settings.job_lease_seconds)
        with database_errors(), self._context.uow_factory() as uow:
            statement = (
                update(Job)
                .where(Job.id.in_(job_ids), Job.status == JobStatus.RUNNING)
                .values(lease_expires_at=lease_until)
                .execution_options(synchronize_session=False)
            )
            uow.session.execute(statement)
            uow.commit()
