"""The BullMQ worker loop against a real Redis, with stand-in duties (the services are tested elsewhere)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator, Sequence

import pytest

from faturas.config import Settings
from faturas.errors import QueueUnavailable
from faturas.queue.bullmq import BullMQQueue
from faturas.worker.bullmq_worker import WorkerDuties, serve, sweep_once
from faturas.worker.job_batches import BatchRunner


def wait_until(condition: Callable[[], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.05)


@pytest.fixture
def settings(redis_url: str, queue_name: str) -> Settings:
    return Settings(
        queue_url=redis_url,
        database_url="postgresql+psycopg://unused@127.0.0.1/unused",
        queue_name=queue_name,
        queue_lock_seconds=2,
        sweep_interval_seconds=0.2,
        job_max_attempts=3,
    )


@pytest.fixture
def queue(settings: Settings) -> Iterator[BullMQQueue]:
    adapter = BullMQQueue.from_settings(settings)
    yield adapter
    adapter.obliterate()
    adapter.close()


@pytest.fixture
def run_worker(settings: Settings) -> Iterator[Callable[[WorkerDuties], None]]:
    """Returns a starter: run_worker(duties) serves on a background loop until the test ends."""
    running: list[tuple[asyncio.AbstractEventLoop, asyncio.Event, threading.Thread]] = []

    def start(duties: WorkerDuties) -> None:
        loop = asyncio.new_event_loop()
        stop = asyncio.Event()
        thread = threading.Thread(target=loop.run_until_complete, args=(serve(settings, 2, duties, stop),))
        thread.start()
        running.append((loop, stop, thread))

    yield start
    for loop, stop, thread in running:
        loop.call_soon_threadsafe(stop.set)
        thread.join(timeout=30)
        loop.close()


def one_by_one(process: Callable[[str], object]) -> BatchRunner:
    """Duties that run each job of a batch with ``process``: what it raises is that job's error."""

    def run(job_ids: Sequence[str]) -> dict[str, BaseException | None]:
        errors: dict[str, BaseException | None] = {}
        for job_id in job_ids:
            try:
                process(job_id)
                errors[job_id] = None
            except Exception as error:
                errors[job_id] = error
        return errors

    return run


def test_the_worker_runs_each_enqueued_job_once(queue: BullMQQueue, run_worker: Callable[[WorkerDuties], None]) -> None:
    done: list[str] = []
    run_worker(WorkerDuties(process=one_by_one(done.append), unqueued=list))
    for job_id in ("a", "b", "c"):
        queue.enqueue(job_id)
    wait_until(lambda: sorted(done) == ["a", "b", "c"])
    wait_until(lambda: queue.state("c") == "completed")
    assert sorted(done) == ["a", "b", "c"]


def test_jobs_handed_out_together_run_in_batches_and_each_ends_on_its_own(
    queue: BullMQQueue, run_worker: Callable[[WorkerDuties], None]
) -> None:
    batches: list[list[str]] = []

    def process(job_ids: Sequence[str]) -> dict[str, BaseException | None]:
        batches.append(list(job_ids))
        time.sleep(0.2)  # the slots stay busy while the other jobs arrive
        first_try = sum(batch.count("unlucky") for batch in batches) == 1
        return {
            job_id: QueueUnavailable("um instante") if job_id == "unlucky" and first_try else None for job_id in job_ids
        }

    jobs = ["unlucky", *(f"job-{n}" for n in range(11))]
    for job_id in jobs:
        queue.enqueue(job_id)
    run_worker(WorkerDuties(process=process, unqueued=list, batch_size=4))
    wait_until(lambda: all(queue.state(job_id) == "completed" for job_id in jobs))
    ran = [job_id for batch in batches for job_id in batch]
    assert sorted(ran) == sorted([*jobs, "unlucky"])  # each once, and the unlucky one again
    assert max(len(batch) for batch in batches) > 1
    assert all(len(batch) <= 4 for batch in batches)


def test_a_transient_failure_is_retried_with_backoff(
    queue: BullMQQueue, run_worker: Callable[[WorkerDuties], None]
) -> None:
    attempts: list[str] = []

    def flaky(job_id: str) -> None:
        attempts.append(job_id)
        if len(attempts) == 1:
            raise QueueUnavailable("Redis went away for a moment")

    run_worker(WorkerDuties(process=one_by_one(flaky), unqueued=list))
    queue.enqueue("flaky")
    wait_until(lambda: queue.state("flaky") == "completed")
    assert attempts == ["flaky", "flaky"]


def test_an_unexpected_error_is_not_retried(queue: BullMQQueue, run_worker: Callable[[WorkerDuties], None]) -> None:
    attempts: list[str] = []

    def broken(job_id: str) -> None:
        attempts.append(job_id)
        raise RuntimeError("a bug")

    run_worker(WorkerDuties(process=one_by_one(broken), unqueued=list))
    queue.enqueue("broken")
    wait_until(lambda: queue.state("broken") == "failed")
    assert attempts == ["broken"]


def test_the_sweep_enqueues_jobs_the_database_holds_but_redis_lost(queue: BullMQQueue) -> None:
    queue.enqueue("known")
    duties = WorkerDuties(process=one_by_one(lambda _: None), unqueued=lambda: ["known", "lost-1", "lost-2"])
    assert sweep_once(queue, duties) == ["lost-1", "lost-2"]
    assert queue.counts()["waiting"] == 3
    assert sweep_once(queue, duties) == []


def test_a_running_worker_sweeps_on_its_own(queue: BullMQQueue, run_worker: Callable[[WorkerDuties], None]) -> None:
    in_database = {"never-enqueued"}
    done: list[str] = []

    def process(job_id: str) -> None:
        done.append(job_id)
        in_database.discard(job_id)

    run_worker(WorkerDuties(process=one_by_one(process), unqueued=lambda: sorted(in_database)))
    wait_until(lambda: done == ["never-enqueued"])


def test_the_sweep_outlives_a_failing_database_query(
    queue: BullMQQueue, run_worker: Callable[[WorkerDuties], None]
) -> None:
    calls: list[int] = []
    done: list[str] = []

    def unqueued() -> list[str]:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("relation 'jobs' does not exist (not migrated yet)")
        return [] if done else ["late"]

    run_worker(WorkerDuties(process=one_by_one(done.append), unqueued=unqueued))
    wait_until(lambda: done == ["late"])
