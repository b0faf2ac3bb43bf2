"""The HTTP API end to end in embedded mode: upload, jobs, clients, invoices, dashboard, health, errors."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from faturas.api.app import create_app
from faturas.config import Settings
from tests.ingest_support import fake_extract, fake_pdf

Finished = {"succeeded", "failed", "duplicate"}


@pytest.fixture
def client(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(
        data_dir=tmp_path / "data", database_url=database_url, max_upload_bytes=4096, poll_interval_seconds=0.05
    )
    with TestClient(create_app(settings, extractor=fake_extract)) as test_client:
        yield test_client


def upload(client: TestClient, *files: tuple[str, bytes], passwords: list[str] | None = None) -> Any:
    parts = [("files", (name, data, "application/pdf")) for name, data in files]
    return client.post("/api/uploads", files=parts, data={"passwords": passwords or []})


def wait_for(client: TestClient, job_id: str) -> dict[str, Any]:
    for _ in range(400):
        job: dict[str, Any] = client.get(f"/api/jobs/{job_id}").json()
        if job["status"] in Finished:
            return job
        time.sleep(0.025)
    raise TimeoutError(f"job {job_id} did not finish")


def ingest(client: TestClient, /, **fields: Any) -> dict[str, Any]:
    answer = upload(client, ("bill.pdf", fake_pdf(**fields)))
    assert answer.status_code == 202
    return wait_for(client, answer.json()["jobs"][0]["job_id"])


def test_upload_answers_202_with_job_ids_and_the_worker_stores_the_invoice(client: TestClient) -> None:
    answer = upload(client, ("a.pdf", fake_pdf(month="2024-01")), ("b.pdf", fake_pdf(month="2024-02")))
    assert answer.status_code == 202
    accepted = answer.json()["jobs"]
    assert [item["name"] for item in accepted] == ["a.pdf", "b.pdf"]
    assert all(item["status"] == "queued" and not item["existing"] for item in accepted)
    jobs = [wait_for(client, item["job_id"]) for item in accepted]
    assert [job["status"] for job in jobs] == ["succeeded", "succeeded"]
    assert jobs[0]["document"]["original_name"] == "a.pdf"


def test_the_same_file_again_points_to_the_existing_job(client: TestClient) -> None:
    first = upload(client, ("a.pdf", fake_pdf(month="2024-03"))).json()["jobs"][0]
    again = upload(client, ("a-copy.pdf", fake_pdf(month="2024-03"))).json()["jobs"][0]
    assert again["existing"] is True
    assert again["job_id"] == first["job_id"]


@pytest.mark.parametrize(
    ("files", "status", "code"),
    [
        ([], 400, "no_files"),
        ([("empty.pdf", b"")], 400, "empty_file"),
        ([("animation.gif", b"GIF89a" + b"0" * 10)], 415, "not_a_pdf"),
        ([("big.pdf", b"%PDF-1.4" + b"0" * 5000)], 413, "upload_too_large"),
    ],
)
def test_bad_uploads_are_refused_with_a_code_and_a_reason(
    client: TestClient, files: list[tuple[str, bytes]], status: int, code: str
) -> None:
    answer = upload(client, *files)
    assert answer.status_code == status
    body = answer.json()
    assert body["code"] == code
    assert body["message"]


def test_a_non_pdf_is_refused_with_what_it_looks_like(client: TestClient) -> None:
    body = upload(client, ("bill.pdf", b"GIF89a" + b"0" * 10)).json()
    assert "GIF" in body["message"]


def test_a_bill_image_is_accepted_like_a_pdf_whatever_its_name(client: TestClient) -> None:
    answer = upload(client, ("conta.pdf", b"\xff\xd8\xff\xe0" + b"0" * 10), ("print", b"\x89PNG\r\n\x1a\n" + b"0" * 10))
    assert answer.status_code == 202
    assert [item["status"] for item in answer.json()["jobs"]] == ["queued", "queued"]


def test_jobs_list_filters_by_status(client: TestClient) -> None:
    ingest(client, month="2024-01")
    failed = ingest(client, reject="captura de tela")
    assert failed["status"] == "failed"
    assert failed["error"]["code"] == "not_a_bill"
    listed = client.get("/api/jobs", params={"status": "failed"}).json()
    assert [job["id"] for job in listed["items"]] == [failed["id"]]
    assert client.get("/api/jobs").json()["total"] == 2
    assert client.get("/api/jobs", params={"status": "nope"}).status_code == 422


def test_retry_requeues_a_failed_job_and_refuses_others(client: TestClient) -> None:
    failed = ingest(client, reject="ilegível")
    done = ingest(client, month="2024-05")
    retried = client.post(f"/api/jobs/{failed['id']}/retry")
    assert retried.status_code == 202
    assert wait_for(client, failed["id"])["status"] == "failed"
    refused = client.post(f"/api/jobs/{done['id']}/retry")
    assert refused.status_code == 409
    assert refused.json()["code"] == "job_state_conflict"
    assert client.post("/api/jobs/nope/retry").status_code == 404


def test_a_conflict_is_replaced_through_the_api(client: TestClient) -> None:
    first = ingest(client, month="2024-06", total="10.00")
    conflict = ingest(client, month="2024-06", total="12.00")
    assert (conflict["status"], conflict["duplicate_reason"]) == ("duplicate", "conflict")
    assert conflict["invoice_ids"] == first["invoice_ids"]
    assert client.post(f"/api/jobs/{first['id']}/replace").status_code == 409
    assert client.post(f"/api/jobs/{conflict['id']}/replace").status_code == 202
    replaced = wait_for(client, conflict["id"])
    assert replaced["status"] == "succeeded"
    current = client.get("/api/invoices").json()["items"]
    assert [invoice["total_amount"] for invoice in current] == ["12.00"]
    everything = client.get("/api/invoices", params={"include_superseded": True}).json()
    assert everything["total"] == 2


def test_clients_units_and_invoices(client: TestClient) -> None:
    for installation, month in (("31", "2024-01"), ("31", "2024-02"), ("32", "2024-01")):
        ingest(client, client="7100000001", installation=installation, month=month)
    ingest(client, client="7000000009", installation="40", month="2024-01", distributor="COPEL")

    clients = client.get("/api/clients").json()
    assert clients["total"] == 2
    owner = next(c for c in clients["items"] if c["client_number"] == "7100000001")
    assert sorted(unit["installation_number"] for unit in owner["units"]) == ["31", "32"]
    assert client.get(f"/api/clients/{owner['id']}").json()["client_number"] == "7100000001"
    assert client.get("/api/clients/999999").status_code == 404
    assert client.get("/api/units", params={"client_id": owner["id"]}).json()["total"] == 2

    def invoices(**params: Any) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = client.get("/api/invoices", params=params).json()["items"]
        return items

    assert len(invoices(client_number="7100000001")) == 3
    assert len(invoices(installation="31")) == 2
    assert len(invoices(distributor="copel")) == 1
    assert len(invoices(month_from="2024-02", month_to="2024-12")) == 1
    assert len(invoices(needs_review=True)) == 0
    assert [i["reference_month"] for i in invoices(sort="reference_month", installation="31")] == [
        "2024-01",
        "2024-02",
    ]
    page = client.get("/api/invoices", params={"limit": 2, "offset": 2, "sort": "id"}).json()
    assert (len(page["items"]), page["total"], page["offset"]) == (2, 4, 2)
    assert client.get("/api/invoices", params={"month_from": "2024-13"}).status_code == 422


def test_invoice_detail_and_original_pdf(client: TestClient) -> None:
    data = fake_pdf(month="2024-07", total="150.10")
    job_id = upload(client, ("conta julho.pdf", data)).json()["jobs"][0]["job_id"]
    invoice_id = wait_for(client, job_id)["invoice_ids"][0]
    detail = client.get(f"/api/invoices/{invoice_id}").json()
    assert detail["total_amount"] == "150.10"
    assert [item["description"] for item in detail["items"]] == ["Energia Elétrica", "Energia compensada GD I"]
    assert detail["extracted"]["layout"] == "fake"
    assert detail["document"]["original_name"] == "conta julho.pdf"
    pdf = client.get(f"/api/invoices/{invoice_id}/pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content == data
    assert client.get("/api/invoices/424242").json()["code"] == "not_found"
    assert client.get("/api/invoices/424242/pdf").status_code == 404


def test_dashboard_has_the_four_figures_per_month(client: TestClient) -> None:
    ingest(client, client="1", installation="11", month="2024-01", total="100.00", kwh="300", compensated="200")
    ingest(client, client="1", installation="12", month="2024-01", total="50.00", kwh="100", compensated="0")
    ingest(client, client="2", installation="21", month="2024-02", total="70.00", kwh="90", compensated="10")
    overall = client.get("/api/dashboard").json()
    assert overall["client"] is None
    january = overall["series"][0]
    assert january["month"] == "2024-01"
    assert january["invoices"] == 2
    assert january["consumption_kwh"] == "400"
    assert january["compensated_kwh"] == "200"
    # fake bills: energy line = total + 20, GD credit −20, so without GD = total + 20 and savings = 20
    assert january["total_without_gd"] == "190.00"
    assert january["gd_savings"] == "40.00"
    owner = next(c for c in client.get("/api/clients").json()["items"] if c["client_number"] == "2")
    mine = client.get("/api/dashboard", params={"client_id": owner["id"]}).json()
    assert [month["month"] for month in mine["series"]] == ["2024-02"]
    assert mine["client"]["client_number"] == "2"


def test_health_reports_database_queue_and_storage(client: TestClient) -> None:
    answer = client.get("/health")
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "queue", "storage"}


def test_the_documentation_page_loads_its_files_from_the_server(client: TestClient) -> None:
    answer = client.get("/docs")
    assert answer.status_code == 200
    assert "http://" not in answer.text and "https://" not in answer.text, "/docs names another site"
    for asset in re.findall(r'(?:src|href)="([^"]+)"', answer.text):
        assert client.get(asset).status_code == 200, asset
    assert client.get("/redoc").status_code == 404


def test_openapi_lists_every_endpoint(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    paths = set(client.get("/openapi.json").json()["paths"])
    assert {
        "/api/uploads",
        "/api/jobs",
        "/api/jobs/{job_id}",
        "/api/jobs/{job_id}/retry",
        "/api/jobs/{job_id}/replace",
        "/api/clients",
        "/api/clients/{client_id}",
        "/api/units",
        "/api/invoices",
        "/api/invoices/{invoice_id}",
        "/api/invoices/{invoice_id}/pdf",
        "/api/dashboard",
        "/health",
    } <= paths
