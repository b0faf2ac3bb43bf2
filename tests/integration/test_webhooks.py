"""Webhooks against a real database and a receiver on loopback: outbox, signatures, retries, disabling."""

from __future__ import annotations

import itertools
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, update

from faturas.db.models import Invoice, utcnow
from faturas.db.models_webhooks import AttemptOutcome, EventType, OutboxEvent, WebhookAttempt, WebhookDelivery
from faturas.domain.invoice import ValidationWarning
from faturas.errors import InvalidWebhook, WebhookDisabled
from faturas.services.accept_upload import Upload, accept_upload
from faturas.services.context import ServiceContext
from faturas.services.extract_document import Extraction
from faturas.services.job_actions import replace_job
from faturas.services.job_outcome import record_outcome
from faturas.services.process_job import process_job
from faturas.services.save_invoice import save_invoice
from faturas.services.webhook_dispatch import claim_due_deliveries, deliver, http_client, record_attempt
from faturas.services.webhook_events import emit_event
from faturas.services.webhook_subscriptions import (
    create_subscription,
    disabled_subscriptions,
    enable_subscription,
    get_subscription,
    list_deliveries,
    redeliver,
)
from faturas.webhooks.sender import SendResult
from faturas.webhooks.signature import verify
from faturas.worker.webhook_dispatcher import WebhookDispatcher
from tests.ingest_support import ContextFactory, fake_extract, fake_pdf
from tests.webhook_receiver import HANG, running_receiver

#: Short timings so retries happen within a second or two.
FAST: dict[str, Any] = {
    "webhook_timeout_seconds": 0.5,
    "webhook_retry_base_seconds": 0.2,
    "webhook_poll_seconds": 0.05,
}


def ingest(context: ServiceContext, data: bytes, extractor: Any = fake_extract) -> str:
    [accepted] = accept_upload(context, [Upload("bill.pdf", data)])
    process_job(context, accepted.job_id, extractor)
    return accepted.job_id


def count(context: ServiceContext, model: type[object]) -> int:
    with context.uow_factory() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def event_types(context: ServiceContext) -> list[str]:
    with context.uow_factory() as uow:
        return sorted(uow.session.scalars(select(OutboxEvent.type)))


def wait_until(condition: Callable[[], bool], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        time.sleep(0.05)


def all_settled(context: ServiceContext) -> bool:
    return all(delivery.status != "pending" for delivery in list_deliveries(context, limit=500).items)


@contextmanager
def dispatching(*contexts: ServiceContext) -> Iterator[None]:
    dispatchers = [WebhookDispatcher(context).start() for context in contexts]
    try:
        yield
    finally:
        for dispatcher in dispatchers:
            dispatcher.stop()


def fails_twice_then_accepts(_delivery_id: str, attempt: int) -> int:
    return {1: 500, 2: HANG}.get(attempt, 200)


def test_each_event_is_accepted_once_signed_after_a_500_and_a_timeout_with_growing_delays(
    make_context: ContextFactory,
) -> None:
    context = make_context(**FAST)
    with running_receiver(fails_twice_then_accepts) as receiver:
        subscription = create_subscription(context, receiver.url, ["invoice.stored", "job.failed"])
        ingest(context, fake_pdf(client="7001", installation="3001", month="2024-02", total="150.10"))
        ingest(context, fake_pdf(reject="um boleto de condomínio"))
        with dispatching(context):
            wait_until(lambda: len(receiver.accepted()) == 2 and all_settled(context))

        accepted = receiver.accepted()
        assert sorted(Counter(request.event["id"] for request in accepted).values()) == [1, 1]
        assert sorted(request.event_type for request in accepted) == ["invoice.stored", "job.failed"]
        for request in receiver.requests:
            assert verify(subscription.secret, request.body, request.signature)
            assert not verify("whsec_not-the-secret", request.body, request.signature)
            assert not verify(subscription.secret, request.body.replace(b'"id":"', b'"id":"0'), request.signature)
            # Replays: the timestamp is signed, so an old request is refused once outside the tolerance.
            assert not verify(subscription.secret, request.body, request.signature, now=time.time() + 3600)
        # Every attempt of a delivery carries the same delivery id, for the receiver's idempotency.
        assert sorted(Counter(request.delivery_id for request in receiver.requests).values()) == [3, 3]

    stored = next(request.event for request in accepted if request.event_type == "invoice.stored")
    data = stored["data"]
    assert (data["client_number"], data["installation_number"], data["reference_month"]) == ("7001", "3001", "2024-02")
    assert data["total_amount"] == "150.10"
    assert data["needs_review"] is False
    assert "holder_name" not in data
    failed = next(request.event for request in accepted if request.event_type == "job.failed")
    assert failed["data"]["error_code"] == "not_a_bill"
    assert "condomínio" in failed["data"]["error_message"]

    for delivery in list_deliveries(context).items:
        assert delivery.status == "delivered"
        log = delivery.attempt_log
        assert [(a.outcome, a.status_code) for a in log] == [("retry", 500), ("retry", None), ("delivered", 200)]
        assert log[1].error == "tempo esgotado"
        delays = [a.next_attempt_at - (a.started_at + timedelta(milliseconds=a.duration_ms)) for a in log[:2]]
        assert all(delay is not None for delay in delays)
        assert timedelta(seconds=0.15) < delays[0] < delays[1]  # 0.2 s, then 0.4 s
        for before, after in itertools.pairwise(log):
            assert before.next_attempt_at is not None
            assert after.started_at >= before.next_attempt_at - timedelta(milliseconds=5)
    assert get_subscription(context, subscription.id).consecutive_failures == 0


def test_a_change_that_rolls_back_announces_nothing(make_context: ContextFactory) -> None:
    context = make_context()
    create_subscription(context, "http://127.0.0.1:9/unused", [])
    [accepted] = accept_upload(context, [Upload("bill.pdf", fake_pdf(month="2024-03"))])
    extraction = fake_extract(fake_pdf(month="2024-03"), None, 10)

    with pytest.raises(RuntimeError, match="after the change"), context.uow_factory() as uow:
        job = uow.jobs.get(accepted.job_id)
        assert job is not None
        record_outcome(
            uow,
            job.id,
            (job.document_id, job.document.sha256),
            job.attempts,
            [save_invoice(uow, job.document_id, extraction.invoice)],
        )
        # Written in this transaction, beside the invoice…
        assert uow.session.scalar(select(func.count()).select_from(OutboxEvent)) == 1
        assert uow.session.scalar(select(func.count()).select_from(WebhookDelivery)) == 1
        raise RuntimeError("a failure after the change, before the commit")

    # …and gone with it.
    assert (count(context, Invoice), count(context, OutboxEvent), count(context, WebhookDelivery)) == (0, 0, 0)
    process_job(context, accepted.job_id, fake_extract)
    assert event_types(context) == ["invoice.stored"]
    assert count(context, WebhookDelivery) == 1


def test_replaced_needs_review_and_duplicate_events_carry_what_happened(make_context: ContextFactory) -> None:
    context = make_context()
    create_subscription(context, "http://127.0.0.1:9/unused", [])  # every event

    def doubtful(pdf: bytes, password: str | None, max_pages: int) -> Extraction:
        extraction = fake_extract(pdf, password, max_pages)
        warning = ValidationWarning("items_sum", "Os itens não somam o total.", ("total_amount",))
        return replace(extraction, invoice=replace(extraction.invoice, warnings=(warning,)))

    ingest(context, fake_pdf(month="2024-05", total="100.00"))
    ingest(context, fake_pdf(month="2024-05", total="100.00", padding="x"))  # same bill, other bytes
    conflicting = ingest(context, fake_pdf(month="2024-05", total="120.00"))
    replace_job(context, conflicting)
    process_job(context, conflicting, doubtful)

    with context.uow_factory() as uow:
        events = list(uow.session.scalars(select(OutboxEvent).order_by(OutboxEvent.created_at)))
        types = [event.type for event in events]
        assert types == [
            "invoice.stored",
            "job.duplicate",  # same bill
            "job.duplicate",  # conflict
            "invoice.replaced",
            "invoice.needs_review",
        ]
        assert [events[1].payload["duplicate_reason"], events[2].payload["duplicate_reason"]] == [
            "same_bill",
            "conflict",
        ]
        replaced = events[3].payload
        assert replaced["replaced_invoice_id"] == events[0].payload["invoice_id"]
        assert replaced["total_amount"] == "120.00"
        review = events[4].payload
        assert review["needs_review"] is True
        assert review["warnings"][0]["check"] == "items_sum"


def test_a_subscription_that_keeps_failing_is_disabled_and_its_deliveries_wait_for_it(
    make_context: ContextFactory,
) -> None:
    answers = {"status": 500}
    context = make_context(**(FAST | {"webhook_retry_base_seconds": 0.05, "webhook_disable_after_failures": 3}))
    with running_receiver(lambda _d, _a: answers["status"]) as receiver:
        subscription = create_subscription(context, receiver.url, ["job.failed"])
        ingest(context, fake_pdf(reject="primeira"))
        with dispatching(context):
            wait_until(lambda: not get_subscription(context, subscription.id).enabled)
            time.sleep(0.3)  # disabled: nothing more is sent
            ingest(context, fake_pdf(reject="segunda"))  # announced while disabled: it waits
            time.sleep(0.3)
        assert len(receiver.requests) == 3

        [disabled] = disabled_subscriptions(context)
        assert disabled.id == subscription.id
        assert disabled.disabled_reason is not None
        assert "3 falhas seguidas" in disabled.disabled_reason
        assert "HTTP 500" in disabled.disabled_reason
        assert disabled.last_failure == "HTTP 500"
        assert disabled.pending_deliveries == 2
        with pytest.raises(WebhookDisabled):
            redeliver(context, list_deliveries(context).items[0].id)

        answers["status"] = 204
        enabled = enable_subscription(context, subscription.id)
        assert (enabled.enabled, enabled.disabled_reason, enabled.consecutive_failures) == (True, None, 0)
        with dispatching(context):
            wait_until(lambda: len(receiver.accepted()) == 2)
    assert disabled_subscriptions(context) == []
    assert {delivery.status for delivery in list_deliveries(context).items} == {"delivered"}


def test_a_refusal_fails_at_once_and_redeliver_sends_it_again_under_the_same_id(
    make_context: ContextFactory,
) -> None:
    answers = {"status": 400}
    context = make_context(**FAST)
    with running_receiver(lambda _d, _a: answers["status"]) as receiver:
        create_subscription(context, receiver.url, ["job.failed"])
        ingest(context, fake_pdf(reject="recusada"))
        with dispatching(context):
            wait_until(lambda: all_settled(context) and count(context, WebhookAttempt) == 1)
            [refused] = list_deliveries(context).items
            assert (refused.status, refused.attempts, refused.last_error) == ("failed", 1, "HTTP 400")

            answers["status"] = 200
            assert redeliver(context, refused.id).status == "pending"
            wait_until(lambda: len(receiver.accepted()) == 1)
        [delivered] = list_deliveries(context).items
    assert delivered.status == "delivered"
    assert [(a.outcome, a.status_code) for a in delivered.attempt_log] == [("failed", 400), ("delivered", 200)]
    assert [request.delivery_id for request in receiver.requests] == [refused.id, refused.id]


def test_retries_stop_after_the_attempts_allowed(make_context: ContextFactory) -> None:
    context = make_context(**(FAST | {"webhook_retry_base_seconds": 0.05, "webhook_max_attempts": 2}))
    with running_receiver(lambda _d, _a: 503) as receiver:
        create_subscription(context, receiver.url, ["job.failed"])
        ingest(context, fake_pdf(reject="indisponível"))
        with dispatching(context):
            wait_until(lambda: all_settled(context))
    [abandoned] = list_deliveries(context).items
    assert abandoned.status == "abandoned"
    assert [a.outcome for a in abandoned.attempt_log] == ["retry", "abandoned"]
    assert len(receiver.requests) == 2


def test_two_dispatchers_never_send_the_same_delivery_twice(make_context: ContextFactory) -> None:
    # Two engines, as on two machines; a generous time limit, so a busy test machine causes no retry.
    settings = FAST | {"webhook_timeout_seconds": 10}
    first, second = make_context(**settings), make_context(**settings)
    with running_receiver(lambda _d, _a: 200, delay_seconds=0.01) as receiver:
        for _ in range(2):
            create_subscription(first, receiver.url, ["job.failed"])
        with first.uow_factory() as uow:
            for index in range(20):
                emit_event(uow, EventType.JOB_FAILED, {"job_id": f"job-{index}"})
            uow.commit()
        with dispatching(first, second, first, second):
            wait_until(lambda: len(receiver.accepted()) >= 40 and all_settled(first))
            time.sleep(0.2)  # a double send would show up here
        sends = Counter(request.delivery_id for request in receiver.requests)
    assert len(sends) == 40
    assert set(sends.values()) == {1}
    with first.uow_factory() as uow:
        attempts = list(uow.session.scalars(select(WebhookAttempt)))
    assert [(attempt.number, attempt.outcome) for attempt in attempts] == [(1, "delivered")] * 40


def test_subscriptions_refuse_bad_urls_and_unknown_events(make_context: ContextFactory) -> None:
    context = make_context()
    with pytest.raises(InvalidWebhook, match="http"):
        create_subscription(context, "ftp://example.com/hook", [])
    with pytest.raises(InvalidWebhook, match=r"invoice\.deleted"):
        create_subscription(context, "https://example.com/hook", ["invoice.deleted"])
    created = create_subscription(context, "https://example.com/hook", [])
    assert created.events == sorted(event.value for event in EventType)
    assert created.secret.startswith("whsec_")


def test_a_dispatcher_that_dies_mid_send_loses_its_lease_to_another(make_context: ContextFactory) -> None:
    context = make_context(**FAST)
    with running_receiver(lambda _d, _a: 200) as receiver, http_client(context.settings) as client:
        create_subscription(context, receiver.url, ["job.failed"])
        with context.uow_factory() as uow:
            emit_event(uow, EventType.JOB_FAILED, {"job_id": "j1"})
            uow.commit()
        [dead] = claim_due_deliveries(context, 5)
        assert claim_due_deliveries(context, 5) == []  # leased: nobody else takes it meanwhile
        with context.uow_factory() as uow:  # the dispatcher died: its lease runs out
            uow.session.execute(update(WebhookDelivery).values(lease_expires_at=utcnow() - timedelta(seconds=1)))
            uow.commit()
        [taken_over] = claim_due_deliveries(context, 5)
        assert taken_over.delivery_id == dead.delivery_id
        assert taken_over.lease_token != dead.lease_token
        assert deliver(context, client, taken_over) is AttemptOutcome.DELIVERED
        # Had the first one been only slow, its late result would not be recorded over the new one.
        assert record_attempt(context, dead, utcnow(), SendResult(500, None, 1)) is None
    [delivery] = list_deliveries(context).items
    assert (delivery.status, len(delivery.attempt_log)) == ("delivered", 1)
    assert len(receiver.requests) == 1
