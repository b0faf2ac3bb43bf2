"""Webhooks: subscriptions (the secret is shown once, at creation), deliveries with their attempts, redeliver."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from faturas.api.dependencies import Context, PagingParams
from faturas.db.models_webhooks import DeliveryStatus
from faturas.services.views import Page
from faturas.services.webhook_subscriptions import (
    create_subscription,
    delete_subscription,
    enable_subscription,
    get_delivery,
    get_subscription,
    list_deliveries,
    list_subscriptions,
    redeliver,
)
from faturas.services.webhook_views import CreatedSubscription, DeliveryView, SubscriptionView

router = APIRouter(prefix="/api/webhooks", tags=["webhooks"])


class NewSubscription(BaseModel):
    url: str = Field(description="Endereço http(s) que recebe os eventos (POST com JSON assinado).")
    events: list[str] = Field(default_factory=list, description="Eventos assinados; vazio: todos.")


@router.post("", status_code=201, response_model=CreatedSubscription)
def create(context: Context, body: NewSubscription) -> CreatedSubscription:
    return create_subscription(context, body.url, body.events)


@router.get("", response_model=list[SubscriptionView])
def subscriptions(context: Context) -> list[SubscriptionView]:
    return list_subscriptions(context)


# Before "/{subscription_id}": "deliveries" is not an id.
@router.get("/deliveries", response_model=Page[DeliveryView])
def deliveries(
    context: Context,
    paging: PagingParams,
    subscription_id: Annotated[int | None, Query()] = None,
    status: Annotated[DeliveryStatus | None, Query()] = None,
) -> Page[DeliveryView]:
    return list_deliveries(
        context, subscription_id=subscription_id, status=status, limit=paging.limit, offset=paging.offset
    )


@router.get("/deliveries/{delivery_id}", response_model=DeliveryView)
def delivery(context: Context, delivery_id: str) -> DeliveryView:
    return get_delivery(context, delivery_id)


@router.post("/deliveries/{delivery_id}/redeliver", status_code=202, response_model=DeliveryView)
def send_again(context: Context, delivery_id: str) -> DeliveryView:
    return redeliver(context, delivery_id)


@router.get("/{subscription_id}", response_model=SubscriptionView)
def subscription(context: Context, subscription_id: int) -> SubscriptionView:
    return get_subscription(context, subscription_id)


@router.delete("/{subscription_id}", status_code=204)
def remove(context: Context, subscription_id: int) -> Response:
    delete_subscription(context, subscription_id)
    return Response(status_code=204)


@router.post("/{subscription_id}/enable", response_model=SubscriptionView)
def enable(context: Context, subscription_id: int) -> SubscriptionView:
    return enable_subscription(context, subscription_id)
