"""Read models of webhooks: subscriptions (the secret only once, at creation), deliveries and attempts."""

from __future__ import annotations

from datetime import datetime

from faturas.db.models_webhooks import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookSubscription
from faturas.services.views import _View


class SubscriptionView(_View):
    id: int
    url: str
    events: list[str]
    enabled: bool
    disabled_reason: str | None
    disabled_at: datetime | None
    consecutive_failures: int
    last_failure_at: datetime | None
    last_failure: str | None
    last_success_at: datetime | None
    created_at: datetime
    #: Deliveries waiting to be sent (they wait while the subscription is disabled).
    pending_deliveries: int = 0

    @classmethod
    def of(cls, subscription: WebhookSubscription, pending: int = 0) -> SubscriptionView:
        return cls.model_validate(subscription).model_copy(update={"pending_deliveries": pending})


class CreatedSubscription(SubscriptionView):
    #: Signs the payloads: shown this once, keep it with the receiver.
    secret: str


class AttemptView(_View):
    number: int
    started_at: datetime
    duration_ms: int
    status_code: int | None
    error: str | None
    outcome: str
    next_attempt_at: datetime | None

    @classmethod
    def of(cls, attempt: WebhookAttempt) -> AttemptView:
        return cls.model_validate(attempt)


class DeliveryView(_View):
    id: str
    event_id: str
    event_type: str
    subscription_id: int
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    delivered_at: datetime | None
    created_at: datetime
    attempt_log: list[AttemptView]

    @classmethod
    def of(cls, delivery: WebhookDelivery) -> DeliveryView:
        return cls(
            id=delivery.id,
            event_id=delivery.event_id,
            event_type=delivery.event.type,
            subscription_id=delivery.subscription_id,
            status=delivery.status,
            attempts=delivery.attempts,
            next_attempt_at=delivery.next_attempt_at if delivery.status == DeliveryStatus.PENDING else None,
            last_status_code=delivery.last_status_code,
            last_error=delivery.last_error,
            delivered_at=delivery.delivered_at,
            created_at=delivery.created_at,
            attempt_log=[AttemptView.of(attempt) for attempt in delivery.attempt_log],
        )
