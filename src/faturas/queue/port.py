"""The job queue port. Messages carry only a job id: the jobs table is the source of truth."""

from __future__ import annotations

from typing import Protocol


class JobQueue(Protocol):
    def enqueue(self, job_id: str) -> None:
        """Make the job visible to workers. Called only after the job's row is committed.

        Raise QueueUnavailable when the queue cannot be reached: the job row stays ``queued`` and
        is enqueued again by the next sweep, so an accepted upload is never lost.
        """
        ...

    def enqueue_new(self, job_ids: list[str]) -> None:
        """``enqueue`` for jobs whose rows were just inserted (new ids), several at once: nothing of
        theirs can be in the queue's way, so no look at their state first. Raises as ``enqueue``."""
        ...

    def enqueue_new_soon(self, job_ids: list[str]) -> None:
        """``enqueue_new`` without waiting for the queue: the jobs are added shortly, with those of other
        callers meanwhile. Never raises: when the queue cannot be reached the rows stay ``queued``
        and the sweep enqueues them, as after QueueUnavailable."""
        ...

    def check(self) -> None:
        """Raise QueueUnavailable when the queue cannot be reached (health checks)."""
        ...

    def close(self) -> None: ...
