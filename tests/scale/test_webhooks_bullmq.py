"""Webhooks at scale: two ``faturas worker`` processes (BullMQ) send every event once between them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest

from faturas.services.webhook_subscriptions import create_subscription
from faturas.webhooks.signature import verify
from tests.scale.stack import Stack, upload, wait_for_all_jobs, wait_until
from tests.webhook_receiver import Receiver, running_receiver

BILLS = 12


@pytest.fixture
def stack(stack: Stack) -> Stack:
    """The scale stack, its workers polling the webhook outbox often (they start after this)."""
    stack.env["FATURAS_WEBHOOK_POLL_SECONDS"] = "0.1"
    return stack


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
