"""The embedded worker: threads claim jobs from the jobs table and hand the parsing to the pool.

Each running job holds a short lease that a heartbeat renews; when a process dies its leases
expire and any worker (this one after a restart, or another process) takes the jobs up again.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from sqlalchemy import update

from faturas.db.models import Job, JobStatus, utcnow
from faturas.db.unit_of_work import database_errors
from faturas.errors import ServiceUnavailable
from faturas.observability import log_context
from faturas.queue.embedded import EmbeddedQueue
from faturas.services.context import ServiceContext
from faturas.services.extract_document import Extractor
from faturas.services.process_job import process_job

log = logging.getLogger(__name__)


class EmbeddedWorker:
    def __init__(self, context: ServiceContext, concurrency: int, extractor: Extractor) -> None:
        if not isinstance(context.queue, EmbeddedQueue):
            raise TypeError("the embedded worker needs the embedded queue")
        self._context = context
        self._queue = context.queue
        self._concurrency = concurrency
        self._extractor = extractor
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
        idle = True
        while not self._stop.is_set():
            try:
                job_id = self._claim(peek_first=idle)
                idle = job_id is None
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
            if job_id is None:
                self._queue.wait_for_work(self._context.settings.poll_interval_seconds)
                continue
            with self._running_lock:
                self._running.add(job_id)
            try:
                self._process(job_id)
            finally:
                with self._running_lock:
                    self._running.discard(job_id)

    def _process(self, job_id: str) -> None:
        with log_context.bound(job_id=job_id):
            try:
                status = process_job(self._context, job_id, self._extractor, claimed=True)
                log.info("job %s %s", job_id, status)
            except ServiceUnavailable as error:
                log.warning("job %s back in the queue: %s", job_id, error.message)
            except Exception:
                log.exception("job %s: unexpected error in the worker loop", job_id)

    def _claim(self, *, peek_first: bool) -> str | None:
        lease = timedelta(seconds=self._context.settings.job_lease_seconds)
        if peek_first:
            # An idle worker looks without taking SQLite's write lock; a busy one goes straight on.
            with database_errors(), self._context.uow_factory(read_only=True) as uow:
                if uow.jobs.next_claimable_id(utcnow()) is None:
                    return None
        with database_errors(), self._context.uow_factory() as uow:
            # One statement finds, takes and starts the job (process_job then only reads it).
            now = utcnow()
            job_id = uow.jobs.claim_next(now, now + lease)
            uow.commit()
            return job_id

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
