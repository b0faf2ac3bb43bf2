"""GET /metrics after a known sequence of uploads in embedded mode: every count matches what happened.

The counters of this (test) process accumulate across tests, so each test compares a scrape taken
before its uploads with one taken after.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from faturas.api.app import create_app
from faturas.config import Settings
from tests.ingest_support import fake_pdf
from tests.observability.support import Samples, delta, parse_metrics, reviewing_extract, value, wait_until

FINISHED = {"succeeded", "failed", "duplicate"}


@pytest.fixture
def client(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(
        data_dir=tmp_path / "data", database_url=database_url, max_upload_bytes=4096, poll_interval_seconds=0.05
    )
    with TestClient(create_app(settings, extractor=reviewing_extract)) as test_client:
        yield test_client


def scrape(client: TestClient) -> Samples:
    answer = client.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    return parse_metrics(answer.text)


def upload(client: TestClient, name: str, data: bytes) -> Any:
    return client.post("/api/uploads", files=[("files", (name, data, "application/pdf"))])


def ingest(client: TestClient, name: str, data: bytes) -> dict[str, Any]:
    answer = upload(client, name, data)
    assert answer.status_code == 202
    job_id = answer.json()["jobs"][0]["job_id"]

    def finished() -> dict[str, Any] | None:
        job: dict[str, Any] = client.get(f"/api/jobs/{job_id}").json()
        return job if job["status"] in FINISHED else None

    job: dict[str, Any] = wait_until(finished, timeout=20)
    return job


def test_metrics_count_uploads_jobs_outcomes_reviews_and_stage_times_exactly(client: TestClient) -> None:
    before = scrape(client)
    bill = fake_pdf(installation="31", month="2024-01", total="100.00")
    outcomes = [
        ingest(client, "a.pdf", bill),
        ingest(client, "review.pdf", fake_pdf(installation="32", month="2024-01", review=True)),
        ingest(client, "same.pdf", fake_pdf(installation="31", month="2024-01", total="100.00", copy=1)),
        ingest(client, "rebill.pdf", fake_pdf(installation="31", month="2024-01", total="150.00")),
        ingest(client, "bad.pdf", fake_pdf(reject="não é uma fatura")),
    ]
    assert [(job["status"], job["duplicate_reason"] or (job["error"] or {}).get("code")) for job in outcomes] == [
        ("succeeded", None),
        ("succeeded", None),
        ("duplicate", "same_bill"),
        ("duplicate", "conflict"),
        ("failed", "not_a_bill"),
    ]
    assert upload(client, "a-again.pdf", bill).json()["jobs"][0]["existing"] is True
    refusals = {
        "empty_file": upload(client, "empty.pdf", b""),
        "not_a_pdf": upload(client, "notes.pdf", b"apenas texto, nada de PDF"),
        "upload_too_large": upload(client, "big.pdf", b"%PDF-1.4" + b"0" * 5000),
        "no_files": client.post("/api/uploads", data={"passwords": []}),
    }
    assert {code: answer.json()["code"] for code, answer in refusals.items()} == {code: code for code in refusals}
    after = scrape(client)

    assert delta(before, after, "faturas_uploads_accepted_total", existing="false") == 5
    assert delta(before, after, "faturas_uploads_accepted_total", existing="true") == 1
    for code in refusals:
        assert delta(before, after, "faturas_uploads_refused_total", reason=code) == 1, code
    assert delta(before, after, "faturas_jobs_finished_total", status="succeeded", code="") == 2
    assert delta(before, after, "faturas_jobs_finished_total", status="duplicate", code="same_bill") == 1
    assert delta(before, after, "faturas_jobs_finished_total", status="duplicate", code="conflict") == 1
    assert delta(before, after, "faturas_jobs_finished_total", status="failed", code="not_a_bill") == 1
    assert delta(before, after, "faturas_invoices_saved_total", outcome="created", distributor="CEMIG") == 2
    assert delta(before, after, "faturas_invoices_saved_total", outcome="same_bill", distributor="CEMIG") == 1
    assert delta(before, after, "faturas_invoices_saved_total", outcome="conflict", distributor="CEMIG") == 1
    assert delta(before, after, "faturas_invoices_needs_review_total", distributor="CEMIG") == 1
    for stage in ("text", "extract", "save"):  # the four bills that were read, each timed per stage
        assert delta(before, after, "faturas_stage_seconds_count", stage=stage, distributor="CEMIG") == 4, stage
    assert delta(before, after, "faturas_stage_seconds_sum", stage="extract", distributor="CEMIG") == pytest.approx(
        0.012
    )
    assert value(after, "faturas_jobs", status="queued") == 0
    assert value(after, "faturas_jobs", status="running") == 0
    assert value(after, "faturas_oldest_queued_job_age_seconds") == 0


def test_queue_gauges_count_queued_jobs_and_the_oldest_ones_age(database_url: str, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", database_url=database_url)
    with TestClient(create_app(settings, run_worker=False)) as client:  # nobody takes the jobs
        files = [("files", (f"{n}.pdf", fake_pdf(installation=str(n)), "application/pdf")) for n in range(3)]
        assert client.post("/api/uploads", files=files).status_code == 202
        samples = wait_until(lambda: scrape(client) if value(scrape(client), "faturas_jobs", status="queued") else None)
    assert value(samples, "faturas_jobs", status="queued") == 3
    assert value(samples, "faturas_jobs", status="running") == 0
    assert 0 < value(samples, "faturas_oldest_queued_job_age_seconds") < 60


def test_the_webhook_delivery_counter_is_defined_for_the_dispatcher() -> None:
    from faturas.observability import metrics

    metrics.webhook_deliveries.labels(outcome="delivered")  # the dispatcher's label
    assert metrics.webhook_deliveries._name == "faturas_webhook_deliveries"
