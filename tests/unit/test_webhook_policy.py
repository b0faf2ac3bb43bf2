"""The retry and disabling policy of webhook deliveries, as pure decisions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from faturas.config import Settings
from faturas.db.models_webhooks import AttemptOutcome, WebhookDelivery
from faturas.services.webhook_dispatch import next_step, retry_delay
from faturas.services.webhook_health import disable_reason
from faturas.webhooks.sender import SendResult

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
SETTINGS = Settings(
    webhook_retry_base_seconds=30,
    webhook_retry_max_delay_seconds=3600,
    webhook_retry_hours=24,
    webhook_max_attempts=30,
    webhook_disable_after_failures=20,
    webhook_disable_after_hours=24,
)


def delivery(round_attempts: int, started_hours_ago: float = 0) -> WebhookDelivery:
    return WebhookDelivery(round_attempts=round_attempts, round_started_at=NOW - timedelta(hours=started_hours_ago))


def test_retry_delays_double_from_the_base_up_to_the_ceiling() -> None:
    assert [retry_delay(SETTINGS, n).total_seconds() for n in range(1, 9)] == [
        30,
        60,
        120,
        240,
        480,
        960,
        1920,
        3600,
    ]


@pytest.mark.parametrize(
    ("result", "outcome"),
    [
        (SendResult(200, None, 5), AttemptOutcome.DELIVERED),
        (SendResult(204, None, 5), AttemptOutcome.DELIVERED),
        (SendResult(500, None, 5), AttemptOutcome.RETRY),
        (SendResult(503, None, 5), AttemptOutcome.RETRY),
        (SendResult(408, None, 5), AttemptOutcome.RETRY),
        (SendResult(429, None, 5), AttemptOutcome.RETRY),
        (SendResult(None, "tempo esgotado", 10_000), AttemptOutcome.RETRY),
        (SendResult(None, "erro de conexão (ConnectError: refused)", 1), AttemptOutcome.RETRY),
        (SendResult(400, None, 5), AttemptOutcome.FAILED),
        (SendResult(404, None, 5), AttemptOutcome.FAILED),
        (SendResult(301, None, 5), AttemptOutcome.FAILED),
    ],
)
def test_what_each_answer_leads_to(result: SendResult, outcome: AttemptOutcome) -> None:
    step, next_attempt_at = next_step(SETTINGS, delivery(1), result, NOW)
    assert step is outcome
    assert (next_attempt_at is not None) == (outcome is AttemptOutcome.RETRY)


def test_retries_stop_at_the_attempt_limit_or_the_end_of_the_window() -> None:
    error = SendResult(500, None, 5)
    assert next_step(SETTINGS, delivery(3), error, NOW) == (AttemptOutcome.RETRY, NOW + timedelta(seconds=120))
    assert next_step(SETTINGS, delivery(30), error, NOW) == (AttemptOutcome.ABANDONED, None)
    assert next_step(SETTINGS, delivery(10, started_hours_ago=23.5), error, NOW) == (AttemptOutcome.ABANDONED, None)


def test_a_subscription_is_disabled_after_failures_in_a_row_or_hours_without_success() -> None:
    assert disable_reason(SETTINGS, 19, NOW - timedelta(hours=1), NOW, "HTTP 500") is None
    by_count = disable_reason(SETTINGS, 20, NOW - timedelta(hours=1), NOW, "HTTP 500")
    assert by_count == "Desativada automaticamente após 20 falhas seguidas (última: HTTP 500)."
    by_time = disable_reason(SETTINGS, 3, NOW - timedelta(hours=25), NOW, "tempo esgotado")
    assert by_time is not None
    assert "24 h de falhas" in by_time
    assert "tempo esgotado" in by_time


def test_a_retry_after_answer_is_heeded_within_the_ceiling() -> None:
    busy = SendResult(429, None, 5, retry_after=600)
    assert next_step(SETTINGS, delivery(1), busy, NOW) == (AttemptOutcome.RETRY, NOW + timedelta(seconds=600))
    sooner = SendResult(503, None, 5, retry_after=1)  # never sooner than the backoff
    assert next_step(SETTINGS, delivery(1), sooner, NOW) == (AttemptOutcome.RETRY, NOW + timedelta(seconds=30))
    forever = SendResult(503, None, 5, retry_after=10**9)
    assert next_step(SETTINGS, delivery(1), forever, NOW) == (AttemptOutcome.RETRY, NOW + timedelta(hours=1))
