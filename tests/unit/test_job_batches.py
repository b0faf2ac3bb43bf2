"""JobBatches: jobs arriving one by one leave in batches when the slots are busy, alone when they are not."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor

import pytest

from faturas.worker.job_batches import JobBatches


class Runner:
    """Records each batch; the first one waits until ``release`` is set (its slot stays busy)."""

    def __init__(self, fail: frozenset[str] = frozenset(), crash_with: str | None = None) -> None:
        self.batches: list[list[str]] = []
        self.started = threading.Event()
        self.release = threading.Event()
        self.fail = fail
        self.crash_with = crash_with

    def __call__(self, job_ids: Sequence[str]) -> Mapping[str, BaseException | None]:
        self.batches.append(list(job_ids))
        if len(self.batches) == 1:
            self.started.set()
            self.release.wait(10)
        if self.crash_with in job_ids:
            raise RuntimeError("the database went away")
        return {job_id: ValueError(job_id) if job_id in self.fail else None for job_id in job_ids}


async def run_jobs(runner: Runner, first: str, later: list[str], slots: int = 1, batch_size: int = 3) -> list[object]:
    with ThreadPoolExecutor(2) as threads:
        batches = JobBatches(runner, slots, batch_size, threads)
        running = [asyncio.create_task(batches.run(first))]
        await asyncio.get_running_loop().run_in_executor(None, runner.started.wait, 10)
        running += [asyncio.create_task(batches.run(job_id)) for job_id in later]
        await asyncio.sleep(0.05)  # the later jobs are waiting now
        runner.release.set()
        return list(await asyncio.gather(*running))


def test_a_job_arriving_at_a_free_slot_leaves_at_once_and_alone() -> None:
    runner = Runner()
    runner.release.set()

    async def one() -> BaseException | None:
        with ThreadPoolExecutor(1) as threads:
            return await JobBatches(runner, 1, 8, threads).run("a")

    assert asyncio.run(one()) is None
    assert runner.batches == [["a"]]


def test_jobs_arriving_while_the_slots_are_busy_leave_together() -> None:
    runner = Runner(fail=frozenset({"d"}))
    outcomes = asyncio.run(run_jobs(runner, "a", ["b", "c", "d", "e"]))
    assert runner.batches == [["a"], ["b", "c", "d"], ["e"]]
    assert [repr(outcome) for outcome in outcomes] == ["None", "None", "None", "ValueError('d')", "None"]


def test_what_a_batch_raises_is_the_error_of_its_jobs_only() -> None:
    runner = Runner(crash_with="c")
    outcomes = asyncio.run(run_jobs(runner, "a", ["b", "c", "d", "e"]))
    assert outcomes[0] is None and outcomes[4] is None
    assert all(isinstance(outcome, RuntimeError) for outcome in outcomes[1:4])


def test_a_job_the_runner_forgot_ends_with_an_error() -> None:
    async def forgetful() -> BaseException | None:
        with ThreadPoolExecutor(1) as threads:
            return await JobBatches(lambda job_ids: {}, 1, 8, threads).run("a")

    with pytest.raises(LookupError):
        raise asyncio.run(forgetful()) or AssertionError("no error")
