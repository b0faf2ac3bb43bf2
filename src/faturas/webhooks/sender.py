"""Send one signed webhook request with httpx; every failure becomes data, never an exception."""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx

from faturas.webhooks.signature import DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, sign

USER_AGENT = "faturas-webhooks/1"


@dataclass(frozen=True)
class SendResult:
    status_code: int | None
    error: str | None
    duration_ms: int
    #: Seconds the receiver asked us to wait (a Retry-After header in seconds), if it did.
    retry_after: float | None = None

    @property
    def accepted(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def summary(self) -> str:
        """For people: the error, or the HTTP status the receiver answered."""
        return self.error or f"HTTP {self.status_code}"


def send(client: httpx.Client, url: str, secret: str, event_type: str, delivery_id: str, body: bytes) -> SendResult:
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        EVENT_HEADER: event_type,
        DELIVERY_HEADER: delivery_id,
        SIGNATURE_HEADER: sign(secret, body, int(time.time())),
    }
    started = time.monotonic()
    try:
        response = client.post(url, content=body, headers=headers)
    except httpx.TimeoutException:
        return SendResult(None, "tempo esgotado", _elapsed_ms(started))
    except httpx.HTTPError as error:
        return SendResult(None, f"erro de conexão ({type(error).__name__}: {error})"[:500], _elapsed_ms(started))
    return SendResult(response.status_code, None, _elapsed_ms(started), _retry_after(response))


def _retry_after(response: httpx.Response) -> float | None:
    # Only the seconds form; an HTTP date is rare from webhook receivers and is ignored.
    value = response.headers.get("retry-after", "").strip()
    return float(value) if value.isdigit() else None


def _elapsed_ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)
