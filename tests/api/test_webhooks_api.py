"""Webhooks through HTTP, with the embedded runtime's dispatcher sending to a receiver on loopback."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from faturas.api.app import create_app
from faturas.config import Settings
from faturas.webhooks.signature import verify
from tests.ingest_support import fake_extract, fake_pdf
from tests.observability.support import Samples, delta, parse_metrics
from tests.webhook_receiver import Receiver, running_receiver

#: Nothing listens on the discard port of loopback: every attempt is refused at once.
REFUSING_URL = "http://127.0.0.1:9/hooks"


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """SQLite only: the services under these routes run on PostgreSQL too in tests/integration/test_webhooks.py."""
    return f"sqlite:///{tmp_path / 'faturas.db'}"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver(lambda _delivery, _attempt: 200) as running:
        yield running


@pytest.fixture
def client(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        poll_interval_seconds=0.05,
        webhook_poll_seconds=0.05,
        webhook_timeout_seconds=2,
        webhook_retry_base_seconds=0.05,
        webhook_disable_after_failures=2,
    )
    with TestClient(create_app(settings, extractor=fake_extract)) as test_client:
        yield test_client


def wait_for(condition: Callable[[], Any], timeout: float = 20) -> Any:
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        time.sleep(0.05)
    return result


def scrape(client: TestClient) -> Samples:
    return parse_metrics(client.get("/metrics").text)


def deliveries(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    answer = client.get("/api/webhooks/deliveries", params=params)
    assert answer.status_code == 200
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


def test_subscribe_upload_and_the_worker_delivers_a_signed_event_then_redeliver(
    client: TestClient, receiver: Receiver
) -> None:
    before = scrape(client)
    created = client.post("/api/webhooks", json={"url": receiver.url, "events": ["invoice.stored"]})
    assert created.status_code == 201
    subscription = created.json()
    assert subscription["secret"].startswith("whsec_")
    listed = client.get("/api/webhooks").json()
    assert [item["id"] for item in listed] == [subscription["id"]]
    assert "secret" not in listed[0]
    assert "secret" not in client.get(f"/api/webhooks/{subscription['id']}").json()

    assert client.post("/api/uploads", files=[("files", ("a.pdf", fake_pdf(month="2024-07"), "application/pdf"))])
    [delivery] = wait_for(lambda: [d for d in deliveries(client) if d["status"] == "delivered"])
    assert delivery["event_type"] == "invoice.stored"
    assert [(a["number"], a["status_code"], a["outcome"]) for a in delivery["attempt_log"]] == [(1, 200, "delivered")]
    [request] = receiver.accepted()
    assert verify(subscription["secret"], request.body, request.signature)
    assert request.event["data"]["reference_month"] == "2024-07"

    again = client.post(f"/api/webhooks/deliveries/{delivery['id']}/redeliver")
    assert again.status_code == 202
    wait_for(lambda: len(receiver.accepted()) == 2)
    detail = wait_for(
        lambda: (
            (d := client.get(f"/api/webhooks/deliveries/{delivery['id']}").json())["status"] == "delivered"
            and len(d["attempt_log"]) == 2
            and d
        )
    )
    assert [a["number"] for a in detail["attempt_log"]] == [1, 2]
    assert {r.delivery_id for r in receiver.accepted()} == {delivery["id"]}
    assert delta(before, scrape(client), "faturas_webhook_deliveries_total", outcome="delivered") == 2


def test_a_failing_subscription_shows_disabled_with_its_reason_until_enabled(client: TestClient) -> None:
    before = scrape(client)
    subscription = client.post("/api/webhooks", json={"url": REFUSING_URL, "events": ["job.failed"]}).json()
    files = [("files", ("x.pdf", fake_pdf(reject="não é fatura"), "application/pdf"))]
    assert client.post("/api/uploads", files=files).status_code == 202

    def disabled() -> dict[str, Any] | None:
        [item] = client.get("/api/webhooks").json()
        return None if item["enabled"] else item

    shown = wait_for(disabled)
    assert "2 falhas seguidas" in shown["disabled_reason"]
    assert shown["last_failure"].startswith("erro de conexão")
    assert shown["last_failure_at"] is not None
    assert shown["pending_deliveries"] == 1
    assert delta(before, scrape(client), "faturas_webhook_deliveries_total", outcome="retry") == 2
    [delivery] = deliveries(client, subscription_id=subscription["id"])
    refused = client.post(f"/api/webhooks/deliveries/{delivery['id']}/redeliver")
    assert (refused.status_code, refused.json()["code"]) == (409, "webhook_disabled")

    enabled = client.post(f"/api/webhooks/{subscription['id']}/enable")
    assert enabled.status_code == 200
    assert (enabled.json()["enabled"], enabled.json()["disabled_reason"]) == (True, None)

    assert client.delete(f"/api/webhooks/{subscription['id']}").status_code == 204
    assert client.get(f"/api/webhooks/{subscription['id']}").status_code == 404
    assert deliveries(client) == []


def test_bad_requests_are_answered_with_reasons(client: TestClient) -> None:
    bad_url = client.post("/api/webhooks", json={"url": "file:///etc/passwd", "events": []})
    assert (bad_url.status_code, bad_url.json()["code"]) == (422, "invalid_webhook")
    bad_event = client.post("/api/webhooks", json={"url": "https://example.com", "events": ["invoice.paid"]})
    assert bad_event.status_code == 422
    assert "invoice.paid" in bad_event.json()["message"]
    assert client.get("/api/webhooks/999").status_code == 404
    assert client.post("/api/webhooks/999/enable").status_code == 404
    assert client.delete("/api/webhooks/999").status_code == 404
    missing = client.post("/api/webhooks/deliveries/nope/redeliver")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
