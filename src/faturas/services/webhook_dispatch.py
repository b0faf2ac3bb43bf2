"""Send due webhook deliveries: claim under a lease, POST outside any transaction, record the attempt.

Several dispatchers (threads, processes, machines) may run at once. A delivery is claimed by a
conditional UPDATE that only succeeds while it is due and not leased (PostgreSQL also skips rows
another dispatcher has locked, ``FOR UPDATE SKIP LOCKED``), so one dispatcher sends it. The lease
outlasts the HTTP time limit; a dispatcher that dies mid-send loses it, and the delivery goes out again
after the lease expires (receivers drop repeats by ``X-Faturas-Delivery``).

Retry policy: network errors, time-outs, 5xx, 408 and 429 are retried with exponential backoff
(``webhook_retry_base_seconds`` doubling, or longer when the receiver sends Retry-After, at most
``webhook_retry_max_delay_seconds``) until ``webhook_max_attempts`` or ``webhook_retry_hours`` run
out (then ``abandoned``). Other answers
(3xx, 4xx) mean the receiver refused this payload: ``failed`` at once, no retry (redeliver on demand).
Every failed attempt counts against the subscription, which is disabled after
``webhook_disable_after_failures`` failures in a row or ``webhook_disable_after_hours`` without success.
"""

from __future__ import annotations

import json
import logging
import uuid
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.orm import selectinload

from faturas.config import Settings
from faturas.db.models import utcnow
from faturas.db.models_webhooks import (
    AttemptOutcome,
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)
from faturas.db.unit_of_work import database_errors
from faturas.observability import metrics
from faturas.services.context import ServiceContext
from faturas.services.webhook_health import record_subscription_result
from faturas.webhooks.sender import SendResult, send

log = logging.getLogger(__name__)

#: Answers that say "try again later" rather than "no".
RETRYABLE_STATUS = frozenset({408, 429})


@dataclass(frozen=True)
class ClaimedDelivery:
    delivery_id: str
    lease_token: str
    url: str
    secret: str
    event_type: str
    body: bytes


def lease_seconds(settings: Settings) -> float:
    # httpx applies the time limit to connecting, sending and reading apart: leave room for all three.
    return settings.webhook_timeout_seconds * 4 + 30


def http_client(settings: Settings) -> httpx.Client:
    return httpx.Client(timeout=settings.webhook_timeout_seconds, follow_redirects=False)


def dispatch_once(context: ServiceContext, client: httpx.Client, executor: Executor | None = None) -> int:
    """Send the deliveries due now (at most ``webhook_concurrency``); returns how many were attempted."""
    claimed = claim_due_deliveries(context, context.settings.webhook_concurrency)
    if executor is None:
        for delivery in claimed:
            deliver(context, client, delivery)
    else:
        for future in [executor.submit(deliver, context, client, delivery) for delivery in claimed]:
            future.result()
    return len(claimed)


def _due(now: datetime) -> ColumnElement[bool]:
    free = or_(WebhookDelivery.lease_expires_at.is_(None), WebhookDelivery.lease_expires_at < now)
    return (WebhookDelivery.status == DeliveryStatus.PENDING) & (WebhookDelivery.next_attempt_at <= now) & free


def claim_due_deliveries(context: ServiceContext, limit: int) -> list[ClaimedDelivery]:
    now = utcnow()
    candidates = (
        select(WebhookDelivery.id)
        .join(WebhookSubscription, WebhookSubscription.id == WebhookDelivery.subscription_id)
        .where(_due(now), WebhookSubscription.enabled.is_(True))
        .order_by(WebhookDelivery.next_attempt_at)
        .limit(limit)
    )
    # An idle dispatcher looks without taking SQLite's write lock.
    with database_errors(), context.uow_factory(read_only=True) as uow:
        if uow.session.scalars(candidates).first() is None:
            return []
    lease_until = now + timedelta(seconds=lease_seconds(context.settings))
    claimed: dict[str, str] = {}
    with database_errors(), context.uow_factory() as uow:
        if context.engine.dialect.name == "postgresql":
            candidates = candidates.with_for_update(skip_locked=True, of=WebhookDelivery)
        for delivery_id in list(uow.session.scalars(candidates)):
            token = uuid.uuid4().hex
            claim = (
                update(WebhookDelivery)
                .where(WebhookDelivery.id == delivery_id, _due(now))
                .values(lease_expires_at=lease_until, lease_token=token)
                .execution_options(synchronize_session=False)
            )
            if uow.session.execute(claim).rowcount:  # type: ignore[attr-defined]
                claimed[delivery_id] = token
        rows = uow.session.scalars(
            select(WebhookDelivery)
            .where(WebhookDelivery.id.in_(claimed))
            .options(selectinload(WebhookDelivery.event), selectinload(WebhookDelivery.subscription))
        )
        deliveries = [
            ClaimedDelivery(
                row.id, claimed[row.id], row.subscription.url, row.subscription.secret, row.event.type, _body(row)
            )
            for row in rows
        ]
        uow.commit()
    return deliveries


def _body(delivery: WebhookDelivery) -> bytes:
    """The same bytes on every attempt: the event, as the receiver will store it."""
    event = delivery.event
    document = {"id": event.id, "type": event.type, "created_at": event.created_at.isoformat(), "data": event.payload}
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def deliver(context: ServiceContext, client: httpx.Client, delivery: ClaimedDelivery) -> AttemptOutcome | None:
    """POST one claimed delivery and record the attempt; None when the lease was lost meanwhile."""
    started_at = utcnow()
    result = send(client, delivery.url, delivery.secret, delivery.event_type, delivery.delivery_id, delivery.body)
    outcome = record_attempt(context, delivery, started_at, result)
    if outcome is not None:
        metrics.webhook_deliveries.labels(outcome=outcome.value).inc()
    return outcome


def record_attempt(
    context: ServiceContext, claimed: ClaimedDelivery, started_at: datetime, result: SendResult
) -> AttemptOutcome | None:
    settings = context.settings
    now = utcnow()
    with database_errors(), context.uow_factory() as uow:
        delivery = uow.session.get(WebhookDelivery, claimed.delivery_id)
        if delivery is None or delivery.lease_token != claimed.lease_token:
            log.warning("webhook delivery %s: lease lost (or deleted) while sending", claimed.delivery_id)
            return None
        delivery.attempts += 1
        delivery.round_attempts += 1
        delivery.lease_expires_at = delivery.lease_token = None
        delivery.last_status_code = result.status_code
        delivery.last_error = None if result.accepted else result.summary
        outcome, next_attempt_at = next_step(settings, delivery, result, now)
        delivery.status = {
            AttemptOutcome.DELIVERED: DeliveryStatus.DELIVERED,
            AttemptOutcome.RETRY: DeliveryStatus.PENDING,
            AttemptOutcome.FAILED: DeliveryStatus.FAILED,
            AttemptOutcome.ABANDONED: DeliveryStatus.ABANDONED,
        }[outcome]
        if next_attempt_at is not None:
            delivery.next_attempt_at = next_attempt_at
        if outcome is AttemptOutcome.DELIVERED:
            delivery.delivered_at = now
        uow.session.add(
            WebhookAttempt(
                delivery_id=delivery.id,
                number=delivery.attempts,
                started_at=started_at,
                duration_ms=result.duration_ms,
                status_code=result.status_code,
                error=result.error,
                outcome=outcome,
                next_attempt_at=next_attempt_at,
            )
        )
        record_subscription_result(uow.session, settings, delivery.subscription_id, result, now)
        uow.commit()
    return outcome


def retry_delay(settings: Settings, round_attempts: int) -> timedelta:
    seconds = settings.webhook_retry_base_seconds * 2 ** (round_attempts - 1)
    return timedelta(seconds=min(seconds, settings.webhook_retry_max_delay_seconds))


def next_step(
    settings: Settings, delivery: WebhookDelivery, result: SendResult, now: datetime
) -> tuple[AttemptOutcome, datetime | None]:
    if result.accepted:
        return AttemptOutcome.DELIVERED, None
    code = result.status_code
    if code is not None and code < 500 and code not in RETRYABLE_STATUS:
        return AttemptOutcome.FAILED, None
    delay = retry_delay(settings, delivery.round_attempts)
    if result.retry_after is not None:  # a receiver that says when to come back is heeded, within the ceiling
        delay = max(delay, timedelta(seconds=min(result.retry_after, settings.webhook_retry_max_delay_seconds)))
    next_attempt_at = now + delay
    window_ends = delivery.round_started_at + timedelta(hours=settings.webhook_retry_hours)
    if delivery.round_attempts >= settings.webhook_max_attempts or next_attempt_at > window_ends:
        return AttemptOutcome.ABANDONED, None
    return AttemptOutcome.RETRY, next_attempt_at
