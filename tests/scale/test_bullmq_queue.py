"""The BullMQ job queue adapter against a real Redis."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from faturas.errors import QueueUnavailable
from faturas.queue.bullmq import BullMQQueue


@pytest.fixture
def queue(redis_url: str, queue_name: str) -> Iterator[BullMQQueue]:
    adapter = BullMQQueue(redis_url, queue_name=queue_name, max_attempts=3)
    yield adapter
    adapter.obliterate()
    adapter.close()


def test_an_enqueued_job_waits_under_our_own_job_id(queue: BullMQQueue) -> None:
    queue.enqueue("4f9c2b1e-job")
    assert queue.state("4f9c2b1e-job") == "waiting"
    assert queue.is_pending("4f9c2b1e-job")
    assert not queue.is_pending("never-enqueued")


def test_enqueueing_the_same_job_again_is_a_no_op(queue: BullMQQueue) -> None:
    for _ in range(3):
        queue.enqueue("same-job")
    assert queue.counts()["waiting"] == 1


def test_a_job_carries_only_its_id_with_bounded_retention_and_backoff(
    queue: BullMQQueue, redis_url: str, queue_name: str
) -> None:
    import redis

    queue.enqueue("job-1")
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    stored = client.hgetall(f"bull:{queue_name}:job-1")
    client.close()
    assert stored["data"] == '{"job_id":"job-1"}'
    assert '"attempts":3' in stored["opts"]
    assert '"type":"exponential"' in stored["opts"]


def test_a_finished_job_can_be_enqueued_again(queue: BullMQQueue, redis_url: str, queue_name: str) -> None:
    import redis

    queue.enqueue("job-2")
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    # Pretend a worker finished it: BullMQ keeps finished jobs (bounded), which must not block a retry.
    prefix = f"bull:{queue_name}"
    client.lrem(f"{prefix}:wait", 0, "job-2")
    client.zadd(f"{prefix}:failed", {"job-2": 1})
    client.close()
    assert queue.state("job-2") == "failed"
    queue.enqueue("job-2")
    assert queue.state("job-2") == "waiting"


def test_check_passes_while_redis_answers(queue: BullMQQueue) -> None:
    queue.check()


def test_an_unreachable_redis_is_queue_unavailable_at_once() -> None:
    adapter = BullMQQueue("redis://127.0.0.1:9/0", queue_name="unreachable", timeout_seconds=5)
    try:
        with pytest.raises(QueueUnavailable) as raised:
            adapter.enqueue("job-3")
        assert "fila" in raised.value.message
        with pytest.raises(QueueUnavailable):
            adapter.check()
    finally:
        adapter.close()


def test_new_jobs_are_added_together_and_a_job_added_already_stays_one(queue: BullMQQueue) -> None:
    queue.enqueue("new-2")  # say, the sweep got to it first
    queue.enqueue_new(["new-1", "new-2", "new-3"])
    assert [queue.state(job_id) for job_id in ("new-1", "new-2", "new-3")] == ["waiting"] * 3
    assert queue.counts()["waiting"] == 3
    queue.enqueue_new([])  # nothing to add: no round trip, no error


def test_jobs_handed_over_without_waiting_are_added_together_soon(redis_url: str, queue_name: str) -> None:
    queue = BullMQQueue(redis_url, queue_name=queue_name, max_attempts=3)
    try:
        for index in range(20):
            queue.enqueue_new_soon([f"soon-{index}"])
        queue.enqueue_new_soon([])  # nothing to add
        wait_until_waiting(queue, 20)
        assert [queue.state(f"soon-{index}") for index in (0, 19)] == ["waiting", "waiting"]
        queue.enqueue_new_soon(["soon-20", "soon-21"])
    finally:
        queue.close()  # adds what was handed over before it returns
    reopened = BullMQQueue(redis_url, queue_name=queue_name)
    try:
        assert reopened.counts()["waiting"] == 22
    finally:
        reopened.obliterate()
        reopened.close()


def test_jobs_handed_over_while_redis_is_unreachable_are_left_to_the_sweep(caplog: pytest.LogCaptureFixture) -> None:
    adapter = BullMQQueue("redis://127.0.0.1:9/0", queue_name="unreachable", timeout_seconds=5)
    try:
        adapter.enqueue_new_soon(["lost-1"])  # never raises, never waits
    finally:
        adapter.close()
    assert "lost-1 not enqueued yet" in caplog.text


def wait_until_waiting(queue: BullMQQueue, count: int, seconds: float = 10) -> None:
    import time

    deadline = time.monotonic() + seconds
    while queue.counts()["waiting"] < count:
        assert time.monotonic() < deadline, queue.counts()
        time.sleep(0.02)
