"""The pages and the JSON they share, over HTTP (no browser): formats, filters, exports, errors, empty states."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.testclient import TestClient

from faturas.api.app import create_app
from faturas.config import Settings
from faturas.web.templating import templates
from tests.ingest_support import fake_extract, fake_pdf

PAGES = ["/enviar", "/faturas", "/clientes", "/dashboard", "/processamento"]


@pytest.fixture
def client(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path / "data", database_url=database_url, poll_interval_seconds=0.05)
    with TestClient(create_app(settings, extractor=fake_extract)) as test_client:
        yield test_client


def ingest(client: TestClient, name: str = "bill.pdf", /, **fields: Any) -> dict[str, Any]:
    answer = client.post("/api/uploads", files=[("files", (name, fake_pdf(**fields), "application/pdf"))])
    job_id = answer.json()["jobs"][0]["job_id"]
    for _ in range(400):
        job: dict[str, Any] = client.get(f"/api/jobs/{job_id}").json()
        if job["status"] in {"succeeded", "failed", "duplicate"}:
            return job
        time.sleep(0.025)
    raise TimeoutError(job_id)


@pytest.fixture
def stored(client: TestClient) -> TestClient:
    """Two clients: one with two units over two months, one COPEL client; plus one failed job."""
    ingest(client, client="7100000001", installation="31", month="2024-01", total="1234.56", kwh="1500")
    ingest(client, client="7100000001", installation="31", month="2024-02", total="100.00")
    ingest(client, client="7100000001", installation="32", month="2024-02", total="50.00")
    ingest(client, client="7000000009", installation="40", month="2024-03", distributor="COPEL")
    ingest(client, reject="captura de tela")
    return client


@pytest.mark.parametrize("path", PAGES)
def test_each_page_with_an_empty_database_says_what_to_do(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200
    assert 'lang="pt-BR"' in page.text
    assert "/enviar" in page.text  # every empty state points to the upload page


def test_the_home_page_is_the_dashboard(client: TestClient) -> None:
    assert client.get("/", follow_redirects=False).headers["location"] == "/dashboard"


def test_the_library_shows_money_months_and_kwh_as_people_in_brazil_read_them(stored: TestClient) -> None:
    page = stored.get("/faturas", params={"client_number": "7100000001", "sort": "reference_month"}).text
    assert "JAN/2024" in page and "FEV/2024" in page
    assert "R$ 1.234,56" in page
    assert "1.500 kWh" in page
    assert "7000000009" not in page


def test_the_library_filters_by_month_range_installation_and_distributor(stored: TestClient) -> None:
    rows = stored.get("/faturas", params={"month_from": "2024-02", "month_to": "2024-02"}).text.count("data-invoice-id")
    assert rows == 2
    assert stored.get("/faturas", params={"installation": "32"}).text.count("data-invoice-id") == 1
    assert stored.get("/faturas", params={"distributor": "copel"}).text.count("data-invoice-id") == 1


def test_a_badly_typed_month_is_explained_not_ignored_silently(stored: TestClient) -> None:
    page = stored.get("/faturas", params={"month_from": "13/2024"})
    assert page.status_code == 200
    assert "Mês inicial inválido (13/2024)" in page.text
    typed = stored.get("/faturas", params={"month_from": "FEV/2024", "month_to": "02/2024"}).text
    assert typed.count("data-invoice-id") == 2


def test_sorting_by_a_column_marks_it_for_screen_readers(stored: TestClient) -> None:
    page = stored.get("/faturas", params={"sort": "-total_amount"}).text
    assert 'aria-sort="descending"' in page
    first = page.index("R$ 1.234,56")
    assert first < page.index("R$ 100,00")


def test_an_unknown_invoice_is_a_404_page_in_portuguese(client: TestClient) -> None:
    page = client.get("/faturas/999")
    assert page.status_code == 404
    assert "text/html" in page.headers["content-type"]
    assert "não encontrad" in page.text.lower()
    assert client.get("/faturas/abc").status_code == 404
    assert client.get("/clientes/x1").status_code == 404


def test_the_invoice_page_shows_items_and_the_pdf_inline(stored: TestClient) -> None:
    invoice = stored.get("/api/invoices", params={"installation": "32"}).json()["items"][0]
    page = stored.get(f"/faturas/{invoice['id']}").text
    assert "Energia compensada GD I" in page
    assert f'src="/api/invoices/{invoice["id"]}/pdf"' in page
    assert "FEV/2024" in page


def test_the_dashboard_api_filters_by_client_number(stored: TestClient) -> None:
    mine = stored.get("/api/dashboard", params={"client_number": "7100000001"}).json()
    assert mine["client"]["client_number"] == "7100000001"
    assert [(month["month"], month["invoices"]) for month in mine["series"]] == [("2024-01", 1), ("2024-02", 2)]
    # fake bills: energy item = total + 20, one compensated credit of 20 (40 kWh)
    assert [month["total_without_gd"] for month in mine["series"]] == ["1254.56", "190.00"]
    assert mine["totals"] == {
        "invoices": 3,
        "consumption_kwh": "1700",
        "compensated_kwh": "120",
        "total_without_gd": "1444.56",
        "gd_savings": "60.00",
        "gd_balance_kwh": None,
    }
    missing = stored.get("/api/dashboard", params={"client_number": "123"})
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"


def test_the_dashboard_page_embeds_the_same_figures_as_the_api(stored: TestClient) -> None:
    page = stored.get("/dashboard", params={"client_number": "7000000009"}).text
    assert _embedded(page) == stored.get("/api/dashboard", params={"client_number": "7000000009"}).json()
    assert "R$ 120,00" in page  # the card with the period's total without GD
    unknown = stored.get("/dashboard", params={"client_number": "123"})
    assert unknown.status_code == 404
    assert "Cliente não encontrad" in unknown.text or "não encontrad" in unknown.text


def _embedded(page: str) -> Any:
    start = page.index('id="dashboard-data">') + len('id="dashboard-data">')
    return json.loads(page[start : page.index("</script>", start)])


def test_clients_overview_counts_invoices_and_sums_them(stored: TestClient) -> None:
    overview = stored.get("/api/clients/overview", params={"client_number": "7100000001"}).json()
    (client,) = overview["items"]
    assert (client["invoices"], client["last_month"], client["total_amount"]) == (3, "2024-02", "1384.56")
    assert sorted(unit["installation_number"] for unit in client["units"]) == ["31", "32"]
    page = stored.get("/clientes").text
    assert "R$ 1.384,56" in page and "FEV/2024" in page


def test_queue_counts_and_the_failed_job_with_its_reason(stored: TestClient) -> None:
    assert stored.get("/api/jobs/counts").json() == {
        "queued": 0,
        "running": 0,
        "succeeded": 4,
        "failed": 1,
        "duplicate": 0,
    }
    page = stored.get("/processamento").text
    assert "captura de tela" in page
    assert 'name="csrf_token"' in page


def test_retry_from_the_page_requeues_and_a_wrong_state_is_explained(stored: TestClient) -> None:
    failed = stored.get("/api/jobs", params={"status": "failed"}).json()["items"][0]
    answer = stored.post(f"/processamento/{failed['id']}/tentar-de-novo", follow_redirects=False)
    assert answer.status_code == 303
    assert "feito=" in answer.headers["location"]
    done = stored.get("/api/jobs", params={"status": "succeeded"}).json()["items"][0]
    refused = stored.post(f"/processamento/{done['id']}/tentar-de-novo")
    assert "só jobs com falha" in refused.text


def test_the_logout_button_shows_only_for_a_signed_in_user() -> None:
    """The contract with the auth layer: it sets request.state.user and the faturas_csrf cookie."""
    app = FastAPI()

    @app.get("/page")
    def page(request: Request, user: str = "") -> HTMLResponse:
        if user:
            request.state.user = user
        return templates.TemplateResponse(request, "upload.html", {"title": "Enviar faturas", "limit_mb": 1})

    with TestClient(app) as test_client:
        assert "Sair" not in test_client.get("/page").text
        test_client.cookies.set("faturas_csrf", "token-123")
        signed_in = test_client.get("/page", params={"user": "ana"}).text
        assert 'action="/logout"' in signed_in and 'name="csrf_token" value="token-123"' in signed_in


def test_a_conflicting_bill_replaces_the_stored_one_from_the_processing_page(client: TestClient) -> None:
    ingest(client, "first.pdf", installation="50", month="2024-06", total="10.00")
    conflict = ingest(client, "rebilling.pdf", installation="50", month="2024-06", total="12.00")
    assert (conflict["status"], conflict["duplicate_reason"]) == ("duplicate", "conflict")
    page = client.get("/processamento").text
    assert "refaturamento" in page and "Substituir pela nova" in page

    answer = client.post(f"/processamento/{conflict['id']}/substituir", follow_redirects=False)
    assert answer.status_code == 303
    for _ in range(400):
        if client.get(f"/api/jobs/{conflict['id']}").json()["status"] == "succeeded":
            break
        time.sleep(0.025)
    current = client.get("/api/invoices", params={"installation": "50"}).json()["items"]
    assert [invoice["total_amount"] for invoice in current] == ["12.00"]


def test_the_chart_library_is_served_locally_and_compressed(client: TestClient) -> None:
    answer = client.get("/vendor/plotly.min.js", headers={"Accept-Encoding": "gzip"})
    assert answer.status_code == 200
    assert answer.headers["content-encoding"] == "gzip"
    assert "max-age" in answer.headers["cache-control"]
    assert b"plotly" in answer.content[:2000].lower()
