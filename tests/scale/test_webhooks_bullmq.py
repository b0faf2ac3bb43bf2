"""Webhooks at scale: two ``faturas worker`` processes (BullMQ) send every event once between them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from faturas.services.webhook_subscriptions import create_subscription
from faturas.webhooks.signature import verify
from tests.scale.stack import Stack, build_stack, upload, wait_for_all_jobs, wait_until
from tests.webhook_receiver import Receiver, running_receiver

BILLS = 12


@pytest.fixture
def stack(
    tmp_path: Path,
    fresh_database: str,
    redis_url: str,
    queue_name: str,
    s3_endpoint: str,
    make_bucket: Callable[[], str],
) -> Iterator[Stack]:
    from faturas.queue.bullmq import BullMQQueue

    built = build_stack(tmp_path, fresh_database, redis_url, queue_name, s3_endpoint, make_bucket())
    built.env["FATURAS_WEBHOOK_POLL_SECONDS"] = "0.1"
    try:
        yield built
    finally:
        built.stop_workers()
        queue = BullMQQueue(redis_url, queue_name=queue_name)
        queue.obliterate()
        queue.close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver(lambda _delivery, _attempt: 200, delay_seconds=0.02) as running:
        yield running


def test_two_bullmq_workers_deliver_each_event_once(stack: Stack, receiver: Receiver) -> None:
    from faturas.services.context import build_context

    context = build_context(stack.settings, migrate=False)
    try:
        secret = create_subscription(context, receiver.url, ["job.failed"]).secret
    finally:
        context.close()
    stack.start_worker()
    stack.start_worker()
    with stack.api() as client:
        # Broken PDFs: each job fails (damaged_pdf) and announces job.failed.
        upload(client, [(f"broken-{index}.pdf", b"%PDF-1.4 broken " + str(index).encode()) for index in range(BILLS)])
        wait_for_all_jobs(client, stack, seconds=120)
    try:
        wait_until(lambda: len(receiver.accepted()) >= BILLS, "every event delivered", seconds=60)
    except AssertionError:
        raise AssertionError("webhooks missing; worker logs:\n" + stack.worker_logs()[-5000:]) from None
    sends = Counter(request.delivery_id for request in receiver.requests)
    assert len(sends) == BILLS
    assert set(sends.values()) == {1}
    assert all(verify(secret, request.body, request.signature) for request in receiver.requests)
    assert {request.event["data"]["error_code"] for request in receiver.requests} == {"damaged_pdf"}
