"""BullMQ adapter of the job queue port (Redis), driven from sync code through a private event loop.

The message is only our job id, and BullMQ's job id *is* our job id: adding the same job twice while
it is waiting or running is a no-op, and a worker always reads the current state from the database.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Awaitable, Coroutine
from typing import Any, TypeVar

from bullmq import Queue
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import BusyLoadingError, RedisError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from faturas.config import Settings
from faturas.errors import QueueUnavailable

T = TypeVar("T")

log = logging.getLogger(__name__)

#: Default BullMQ queue name; tests pass their own so runs never see each other's jobs.
DEFAULT_QUEUE_NAME = "faturas-jobs"
#: BullMQ job name; there is one kind of job.
JOB_NAME = "process"
#: Transient failures (database or queue down) are retried with 2 s, 4 s, 8 s… between attempts.
BACKOFF_DELAY_MS = 2000
#: Finished jobs live in Redis for a bounded time only: the jobs table is the record.
KEEP_COMPLETED = {"age": 3600, "count": 10000}
KEEP_FAILED = {"age": 7 * 24 * 3600, "count": 10000}
#: States in which a job is still going to run; anything else means "not in the queue".
PENDING_STATES = frozenset({"waiting", "active", "delayed", "prioritized", "waiting-children", "paused"})


def redis_client(url: str, *, fail_fast: bool) -> Redis:
    """A redis-py asyncio client as BullMQ wants it (decoded responses).

    The producer fails fast, so an upload is answered at once and its job is swept up later; a
    worker keeps retrying, since it has nothing better to do while Redis is away.
    """
    retry = Retry(ExponentialBackoff(cap=0.5, base=0.05), 2 if fail_fast else 20)
    return Redis.from_url(
        url,
        decode_responses=True,
        socket_connect_timeout=2 if fail_fast else 5,
        socket_timeout=5 if fail_fast else None,
        retry=retry,
        retry_on_error=[BusyLoadingError, RedisConnectionError, RedisTimeoutError],
    )


def job_options(job_id: str, max_attempts: int) -> dict[str, Any]:
    return {
        "jobId": job_id,
        "attempts": max_attempts,
        "backoff": {"type": "exponential", "delay": BACKOFF_DELAY_MS},
        "removeOnComplete": KEEP_COMPLETED,
        "removeOnFail": KEEP_FAILED,
    }


async def _awaited(awaitable: Awaitable[T]) -> T:
    return await awaitable


class _LoopThread:
    """An asyncio loop on a daemon thread, so synchronous callers can await the async client."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="bullmq-loop", daemon=True)
        self._thread.start()

    def run(self, coro: Coroutine[Any, Any, T], timeout: float) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=5)
        if not self._thread.is_alive():
            self.loop.close()


class BullMQQueue:
    """JobQueue over BullMQ. Thread-safe: every call runs on the one private loop."""

    def __init__(
        self,
        redis_url: str,
        *,
        queue_name: str = DEFAULT_QUEUE_NAME,
        max_attempts: int = 5,
        timeout_seconds: float = 10.0,
    ) -> None:
        self.queue_name = queue_name
        self._max_attempts = max_attempts
        self._timeout = timeout_seconds
        self._loop = _LoopThread()
        self._redis = redis_client(redis_url, fail_fast=True)
        # Built on the loop that will use it: redis-py binds connections to the running loop.
        self._queue: Queue = self._loop.run(self._make_queue(), timeout_seconds)
        self._closed = False
        # enqueue_new_soon: ids waiting to be added, and whether a task on the loop is adding them.
        self._pending: list[str] = []
        self._pending_lock = threading.Lock()
        self._flushing = False
        self._flush_task: asyncio.Task[None] | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> BullMQQueue:
        if settings.queue_url is None:
            raise ValueError("FATURAS_QUEUE_URL is not set: BullMQ needs a redis:// URL")
        return cls(settings.queue_url, queue_name=settings.queue_name, max_attempts=settings.job_max_attempts)

    async def _make_queue(self) -> Queue:
        return Queue(self.queue_name, {"connection": self._redis})

    def _call(self, awaitable: Awaitable[T]) -> T:
        try:
            return self._loop.run(_awaited(awaitable), self._timeout)
        except (RedisError, OSError, TimeoutError) as error:
            raise QueueUnavailable(f"{type(error).__name__}: {error}") from error

    def enqueue(self, job_id: str) -> None:
        self._call(self._enqueue(job_id))

    async def _enqueue(self, job_id: str) -> None:
        # A finished job still kept in Redis would swallow the add (same id): a retried or swept job
        # must run again, so the old entry goes first. Waiting or running jobs are left alone.
        state = await self._queue.getJobState(job_id)
        if state in ("completed", "failed"):
            await self._queue.remove(job_id)
        await self._queue.add(JOB_NAME, {"job_id": job_id}, job_options(job_id, self._max_attempts))

    def enqueue_new(self, job_ids: list[str]) -> None:
        """Add jobs just committed, in one round trip. A new id has no finished entry to remove; if the
        sweep added it meanwhile, adding the same id again changes nothing."""
        if not job_ids:
            return
        jobs = [
            {"name": JOB_NAME, "data": {"job_id": job_id}, "opts": job_options(job_id, self._max_attempts)}
            for job_id in job_ids
        ]
        self._call(self._queue.addBulk(jobs))

    def enqueue_new_soon(self, job_ids: list[str]) -> None:
        """Add new jobs from the queue's own thread, without waiting: the ids of every upload that
        arrives while one addBulk is under way go together in the next one. An upload's request
        waited for its own round trip to Redis, and the hand-over between the request's thread and
        this loop cost the server about as much CPU as the rest of the upload (issue #3)."""
        if not job_ids:
            return
        with self._pending_lock:
            self._pending.extend(job_ids)
            if self._flushing:
                return  # the task under way takes them too
            self._flushing = True
        self._loop.loop.call_soon_threadsafe(self._start_flush)

    def _start_flush(self) -> None:
        self._flush_task = self._loop.loop.create_task(self._flush())

    async def _flush(self) -> None:
        while True:
            with self._pending_lock:
                job_ids, self._pending = self._pending, []
                if not job_ids:
                    self._flushing = False
                    return
            jobs = [
                {"name": JOB_NAME, "data": {"job_id": job_id}, "opts": job_options(job_id, self._max_attempts)}
                for job_id in job_ids
            ]
            try:
                await asyncio.wait_for(self._queue.addBulk(jobs), self._timeout)
            except (RedisError, OSError, TimeoutError) as error:
                # The rows stay queued: the workers' sweep enqueues them (as when enqueue_new raises).
                log.warning("job(s) %s not enqueued yet: %s: %s", ", ".join(job_ids), type(error).__name__, error)
            except Exception:
                log.exception("job(s) %s not enqueued yet: unexpected error", ", ".join(job_ids))

    async def _drain(self) -> None:
        """Wait for the jobs handed to enqueue_new_soon before now to be added (or given up)."""
        task = self._flush_task
        if task is not None and not task.done():
            await asyncio.wait([task], timeout=self._timeout)

    def state(self, job_id: str) -> str:
        """BullMQ's state of the job ("waiting", "active", "completed", "failed", … or "unknown")."""
        return str(self._call(self._queue.getJobState(job_id)))

    def is_pending(self, job_id: str) -> bool:
        return self.state(job_id) in PENDING_STATES

    def counts(self) -> dict[str, int]:
        raw = self._call(self._queue.getJobCounts())
        return {str(name): int(count) for name, count in raw.items()}

    def check(self) -> None:
        self._call(self._redis.ping())

    def obliterate(self) -> None:
        """Delete the queue and all its jobs (tests and resets only)."""
        self._call(self._queue.obliterate(force=True))

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self._loop.run(self._drain(), self._timeout + 1)
            self._loop.run(self._queue.close(), self._timeout)
        except (RedisError, OSError, TimeoutError):
            pass  # closing a connection to a server that is gone has nothing left to do
        finally:
            self._loop.stop()
