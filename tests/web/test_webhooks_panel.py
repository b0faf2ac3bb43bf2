"""The Processamento page's Webhooks panel: subscriptions disabled after failing, with why and what waits."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from faturas.api.app import create_app
from faturas.config import Settings
from tests.ingest_support import fake_extract, fake_pdf

#: Nothing listens on loopback's discard port; the query string stands for a receiver's own secret.
REFUSING_URL = "http://127.0.0.1:9/hooks/faturas?token=receiver-secret"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(
        data_dir=tmp_path / "data",
        database_url=f"sqlite:///{tmp_path / 'faturas.db'}",
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


def failing_subscription(client: TestClient) -> dict[str, Any]:
    """A subscription the dispatcher disables after two refused attempts, with one delivery waiting."""
    created = client.post("/api/webhooks", json={"url": REFUSING_URL, "events": ["job.failed"]}).json()
    files = [("files", ("x.pdf", fake_pdf(reject="não é fatura"), "application/pdf"))]
    assert client.post("/api/uploads", files=files).status_code == 202

    def disabled() -> dict[str, Any] | None:
        shown: dict[str, Any] = client.get(f"/api/webhooks/{created['id']}").json()
        return None if shown["enabled"] else shown

    shown: dict[str, Any] = wait_for(disabled)
    return shown


def test_without_disabled_webhooks_the_panel_says_so(client: TestClient) -> None:
    page = client.get("/processamento").text
    assert 'id="webhooks"' in page
    assert "Nenhum webhook desativado" in page
    assert 'id="disabled-webhooks"' not in page


def test_a_disabled_webhook_is_listed_with_reason_last_failure_and_pending_deliveries(client: TestClient) -> None:
    subscription = failing_subscription(client)
    page = client.get("/processamento").text
    row = page.split(f'data-subscription-id="{subscription["id"]}"', 1)[1].split("</tr>", 1)[0]
    assert "http://127.0.0.1:9" in row
    assert "/hooks/faturas" not in page and "receiver-secret" not in page  # the host only, never the query
    assert subscription["disabled_reason"] in row and "2 falhas seguidas" in row
    assert "erro de conexão" in row
    assert '<td class="num">1</td>' in row  # the job.failed delivery waits for the subscription
    assert ">Reativar</button>" in row  # login off: everyone may act
    assert "/static/jobs.js" in page


def test_reactivating_through_the_api_empties_the_panel(client: TestClient) -> None:
    subscription = failing_subscription(client)
    assert client.post(f"/api/webhooks/{subscription['id']}/enable").status_code == 200
    page = client.get("/processamento").text
    assert "Nenhum webhook desativado" in page
