"""JobBatches: jobs a queue hands out one by one, run in batches without making any job wait.

A BullMQ worker takes several jobs at once (its concurrency); each arrives as its own call. A job
that finds a free slot leaves at once, alone or with those already waiting; the jobs that arrive
while every slot is busy wait and leave together as the next batch. Under load the batches fill up
(one claim, one read and one commit for many bills: issue #3, CPU per bill outside extraction);
when the queue is quiet every job still leaves the moment it arrives.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor
from functools import partial

#: Runs a batch of job ids (in a thread): for each job, the error its queue job must end with, or None.
BatchRunner = Callable[[Sequence[str]], Mapping[str, BaseException | None]]


class JobBatches:
    def __init__(self, run: BatchRunner, slots: int, batch_size: int, threads: Executor) -> None:
        self._run = run
        self._slots = slots
        self._batch_size = batch_size
        self._threads = threads
        self._waiting: list[tuple[str, asyncio.Future[BaseException | None]]] = []
        self._busy = 0

    async def run(self, job_id: str) -> BaseException | None:
        """Run the job in the next batch that leaves: the error its queue job must end with, or None."""
        future: asyncio.Future[BaseException | None] = asyncio.get_running_loop().create_future()
        self._waiting.append((job_id, future))
        self._dispatch()
        return await future

    def _dispatch(self) -> None:
        loop = asyncio.get_running_loop()
        while self._waiting and self._busy < self._slots:
            batch, self._waiting = self._waiting[: self._batch_size], self._waiting[self._batch_size :]
            self._busy += 1
            job_ids = [job_id for job_id, _ in batch]
            running = loop.run_in_executor(self._threads, _run_guarded, self._run, job_ids)
            running.add_done_callback(partial(self._finish, batch))

    def _finish(
        self,
        batch: list[tuple[str, asyncio.Future[BaseException | None]]],
        done: asyncio.Future[Mapping[str, BaseException | None]],
    ) -> None:
        self._busy -= 1
        outcome = done.result()  # _run_guarded does not raise
        for job_id, future in batch:
            if not future.done():
                future.set_result(outcome[job_id])
        self._dispatch()


def _run_guarded(run: BatchRunner, job_ids: list[str]) -> dict[str, BaseException | None]:
    """``run``'s answer for every job of the batch; what it raises is every job's error."""
    try:
        outcome = run(job_ids)
    except Exception as error:
        return dict.fromkeys(job_ids, error)
    missing = LookupError("the batch ended without an outcome for this job")
    return {job_id: outcome.get(job_id, missing) for job_id in job_ids}
