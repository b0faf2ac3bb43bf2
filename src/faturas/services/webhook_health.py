"""A subscription's health: failures in a row, failing since when, and switching it off when it keeps failing."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from faturas.config import Settings
from faturas.db.models_webhooks import WebhookSubscription
from faturas.webhooks.sender import SendResult

log = logging.getLogger(__name__)


def record_subscription_result(
    session: Session, settings: Settings, subscription_id: int, result: SendResult, now: datetime
) -> None:
    """Count the attempt against (or for) its subscription, and switch it off when it keeps failing."""
    row = WebhookSubscription
    if result.accepted:
        session.execute(
            update(row)
            .where(row.id == subscription_id)
            .values(consecutive_failures=0, failing_since=None, last_success_at=now)
            .execution_options(synchronize_session=False)
        )
        return
    # Counted in SQL: dispatchers recording failures of the same subscription at once lose no count.
    session.execute(
        update(row)
        .where(row.id == subscription_id)
        .values(
            consecutive_failures=row.consecutive_failures + 1,
            failing_since=func.coalesce(row.failing_since, now),
            last_failure_at=now,
            last_failure=result.summary,
        )
        .execution_options(synchronize_session=False)
    )
    failures, failing_since = session.execute(
        select(row.consecutive_failures, row.failing_since).where(row.id == subscription_id)
    ).one()
    reason = disable_reason(settings, failures, failing_since, now, result.summary)
    if reason is not None:
        session.execute(
            update(row)
            .where(row.id == subscription_id, row.enabled.is_(True))
            .values(enabled=False, disabled_reason=reason, disabled_at=now)
            .execution_options(synchronize_session=False)
        )
        log.warning("webhook subscription %s disabled: %s", subscription_id, reason)


def disable_reason(
    settings: Settings, failures: int, failing_since: datetime | None, now: datetime, last: str
) -> str | None:
    """Why a subscription failing like this is switched off, or None while it may keep trying."""
    if failures >= settings.webhook_disable_after_failures:
        return f"Desativada automaticamente após {failures} falhas seguidas (última: {last})."
    hours = settings.webhook_disable_after_hours
    if failing_since is not None and now - failing_since >= timedelta(hours=hours):
        return f"Desativada automaticamente: {hours:g} h de falhas sem nenhuma entrega aceita (última: {last})."
    return None
