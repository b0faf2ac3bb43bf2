"""Embedded queue: the jobs table is the queue, so enqueuing only wakes the local workers.

A job is durable from the moment its row is committed as ``queued``; workers claim rows with a
conditional UPDATE (see JobRepository.claim) and a crash leaves a ``running`` row whose lease
expires, after which any worker takes it up again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from faturas.db.unit_of_work import UnitOfWorkFactory, database_errors
from faturas.errors import QueueUnavailable, ServiceUnavailable


class EmbeddedQueue:
    def __init__(self, uow_factory: UnitOfWorkFactory) -> None:
        self._uow_factory = uow_factory
        self._wake = threading.Event()
        self._listeners: list[Callable[[], None]] = []

    def enqueue(self, job_id: str) -> None:
        self._wake.set()
        for listener in self._listeners:
            listener()

    def enqueue_new(self, job_ids: list[str]) -> None:
        if job_ids:
            self.enqueue(job_ids[0])  # one wake-up is enough: the workers take whatever is queued

    def enqueue_new_soon(self, job_ids: list[str]) -> None:
        self.enqueue_new(job_ids)  # a wake-up: never waits

    def notify(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` (quick, never blocking) on every enqueue: wakes workers in another process."""
        self._listeners.append(listener)

    def wait_for_work(self, timeout: float) -> None:
        """Block until a job is enqueued in this process or the timeout passes (other processes poll)."""
        self._wake.wait(timeout)
        self._wake.clear()

    def check(self) -> None:
        try:
            with database_errors(), self._uow_factory(read_only=True) as uow:
                uow.session.connection()
        except ServiceUnavailable as error:
            raise QueueUnavailable(error.message) from error

    def close(self) -> None:
        self._wake.set()
