"""Webhook subscriptions and their deliveries, as the API, the CLI and the pages manage them."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from urllib.parse import urlsplit

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import selectinload

from faturas.db.models import utcnow
from faturas.db.models_webhooks import DeliveryStatus, EventType, WebhookAttempt, WebhookDelivery, WebhookSubscription
from faturas.db.unit_of_work import UnitOfWork, database_errors
from faturas.errors import InvalidWebhook, NotFound, WebhookDisabled
from faturas.services.context import ServiceContext
from faturas.services.views import Page
from faturas.services.webhook_views import CreatedSubscription, DeliveryView, SubscriptionView

SUBSCRIPTION = "Assinatura de webhook"
DELIVERY = "Entrega de webhook"


def parse_events(events: Iterable[str]) -> list[str]:
    """Event names as given (``invoice.stored``…); none given means every event."""
    names = [name.strip() for name in events if name.strip()]
    known = [event.value for event in EventType]
    unknown = [name for name in names if name not in known]
    if unknown:
        raise InvalidWebhook(f"evento(s) desconhecido(s) {', '.join(unknown)}; conhecidos: {', '.join(known)}")
    return sorted(set(names) if names else known)


def check_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidWebhook(f"a URL deve começar com http:// ou https:// e ter um servidor (recebido {url!r})")
    return url.strip()


def create_subscription(context: ServiceContext, url: str, events: Iterable[str]) -> CreatedSubscription:
    subscription = WebhookSubscription(
        url=check_url(url), events=parse_events(events), secret="whsec_" + secrets.token_hex(24), enabled=True
    )
    with database_errors(), context.uow_factory() as uow:
        uow.session.add(subscription)
        uow.session.flush()
        view = SubscriptionView.of(subscription)
        uow.commit()
    return CreatedSubscription(**view.model_dump(), secret=subscription.secret)


def list_subscriptions(context: ServiceContext, *, disabled_only: bool = False) -> list[SubscriptionView]:
    query = select(WebhookSubscription).order_by(WebhookSubscription.id)
    if disabled_only:
        query = query.where(WebhookSubscription.enabled.is_(False))
    with database_errors(), context.uow_factory(read_only=True) as uow:
        pending = _pending_counts(uow)
        return [SubscriptionView.of(row, pending.get(row.id, 0)) for row in uow.session.scalars(query)]


def disabled_subscriptions(context: ServiceContext) -> list[SubscriptionView]:
    """Subscriptions switched off after failing too long (for the Processamento page), with the reason."""
    return list_subscriptions(context, disabled_only=True)


def get_subscription(context: ServiceContext, subscription_id: int) -> SubscriptionView:
    with database_errors(), context.uow_factory(read_only=True) as uow:
        subscription = _subscription(uow, subscription_id)
        return SubscriptionView.of(subscription, _pending_counts(uow).get(subscription_id, 0))


def delete_subscription(context: ServiceContext, subscription_id: int) -> None:
    """Remove the subscription with its deliveries and their attempts (the events stay in the outbox)."""
    with database_errors(), context.uow_factory() as uow:
        _subscription(uow, subscription_id)
        deliveries = select(WebhookDelivery.id).where(WebhookDelivery.subscription_id == subscription_id)
        uow.session.execute(delete(WebhookAttempt).where(WebhookAttempt.delivery_id.in_(deliveries)))
        uow.session.execute(delete(WebhookDelivery).where(WebhookDelivery.subscription_id == subscription_id))
        uow.session.execute(delete(WebhookSubscription).where(WebhookSubscription.id == subscription_id))
        uow.commit()


def enable_subscription(context: ServiceContext, subscription_id: int) -> SubscriptionView:
    """Switch a subscription back on; the deliveries that waited are sent at once, with a fresh retry window."""
    now = utcnow()
    with database_errors(), context.uow_factory() as uow:
        subscription = _subscription(uow, subscription_id)
        subscription.enabled = True
        subscription.disabled_reason = subscription.disabled_at = subscription.failing_since = None
        subscription.consecutive_failures = 0
        uow.session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.subscription_id == subscription_id, WebhookDelivery.status == DeliveryStatus.PENDING)
            .values(next_attempt_at=now, round_started_at=now, round_attempts=0)
            .execution_options(synchronize_session=False)
        )
        uow.commit()
    return get_subscription(context, subscription_id)


def list_deliveries(
    context: ServiceContext,
    *,
    subscription_id: int | None = None,
    status: DeliveryStatus | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[DeliveryView]:
    """Newest first, each with its attempts."""
    conditions = []
    if subscription_id is not None:
        conditions.append(WebhookDelivery.subscription_id == subscription_id)
    if status is not None:
        conditions.append(WebhookDelivery.status == status)
    query = (
        select(WebhookDelivery)
        .where(*conditions)
        .options(selectinload(WebhookDelivery.event), selectinload(WebhookDelivery.attempt_log))
        .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id)
    )
    with database_errors(), context.uow_factory(read_only=True) as uow:
        total = uow.session.scalar(select(func.count()).select_from(WebhookDelivery).where(*conditions)) or 0
        rows = uow.session.scalars(query.limit(limit).offset(offset))
        return Page[DeliveryView](items=[DeliveryView.of(row) for row in rows], total=total, limit=limit, offset=offset)


def get_delivery(context: ServiceContext, delivery_id: str) -> DeliveryView:
    with database_errors(), context.uow_factory(read_only=True) as uow:
        return DeliveryView.of(_delivery(uow, delivery_id))


def redeliver(context: ServiceContext, delivery_id: str) -> DeliveryView:
    """Send a delivery again (whatever its state) under the same delivery id, with a fresh retry window.

    The dispatcher sends it; this only schedules it, so a request never waits for a receiver.
    """
    now = utcnow()
    with database_errors(), context.uow_factory() as uow:
        delivery = _delivery(uow, delivery_id)
        if not delivery.subscription.enabled:
            raise WebhookDisabled(delivery.subscription_id)
        delivery.status = DeliveryStatus.PENDING
        delivery.next_attempt_at = delivery.round_started_at = now
        delivery.round_attempts = 0
        delivery.delivered_at = None
        uow.commit()
    return get_delivery(context, delivery_id)


def _subscription(uow: UnitOfWork, subscription_id: int) -> WebhookSubscription:
    subscription = uow.session.get(WebhookSubscription, subscription_id)
    if subscription is None:
        raise NotFound(SUBSCRIPTION, subscription_id)
    return subscription


def _delivery(uow: UnitOfWork, delivery_id: str) -> WebhookDelivery:
    query = (
        select(WebhookDelivery)
        .where(WebhookDelivery.id == delivery_id)
        .options(selectinload(WebhookDelivery.event), selectinload(WebhookDelivery.attempt_log))
    )
    delivery = uow.session.scalars(query).one_or_none()
    if delivery is None:
        raise NotFound(DELIVERY, delivery_id)
    return delivery


def _pending_counts(uow: UnitOfWork) -> dict[int, int]:
    query = (
        select(WebhookDelivery.subscription_id, func.count())
        .where(WebhookDelivery.status == DeliveryStatus.PENDING)
        .group_by(WebhookDelivery.subscription_id)
    )
    return dict(uow.session.execute(query).all())
