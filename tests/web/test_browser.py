"""The pages in a real browser (Debian's Chromium, headless, through Playwright) against a real server.

Each test saves a screenshot of the page it checks; run with ``-s`` to see where they are.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fpdf import FPDF

from faturas.synthetic import SyntheticBill, random_bill, render_cemig_danf3e
from tests.web.conftest import LiveServer

Shoot = Callable[[Any, str], Path]


@pytest.fixture(scope="module")
def live(start_server: Callable[..., LiveServer]) -> LiveServer:
    return start_server()


@pytest.fixture(scope="module")
def bills(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[SyntheticBill, Path]]:
    """Two synthetic CEMIG bills of different clients, written to files."""
    folder = tmp_path_factory.mktemp("bills")
    rng = random.Random(4)
    made = []
    for index in range(2):
        bill = random_bill(rng)
        path = folder / f"conta-{index + 1}.pdf"
        path.write_bytes(render_cemig_danf3e(bill))
        made.append((bill, path))
    return made


@pytest.fixture(scope="module")
def not_a_bill(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    for line in ("Ata da reuniao do condominio", "Pauta: pintura da fachada", "Aprovada por unanimidade"):
        pdf.cell(text=line, new_x="LMARGIN", new_y="NEXT")
    path = tmp_path_factory.mktemp("other") / "ata-da-reuniao.pdf"
    path.write_bytes(bytes(pdf.output()))
    return path


def _ingest(live: LiveServer, path: Path) -> dict[str, Any]:
    """Through the API: the same file sent again answers with its existing job, so tests stay independent."""
    answer = live.client.post("/api/uploads", files=[("files", (path.name, path.read_bytes(), "application/pdf"))])
    assert answer.status_code == 202, answer.text
    return live.wait_for_job(answer.json()["jobs"][0]["job_id"])


def test_two_bills_uploaded_through_the_page_reach_stored(
    page: Any, live: LiveServer, bills: list[tuple[SyntheticBill, Path]], screenshots: Shoot
) -> None:
    page.goto("/enviar")
    page.set_input_files("#files", [str(path) for _bill, path in bills])
    for _bill, path in bills:
        row = page.locator(f'#uploads tr[data-file="{path.name}"]')
        row.and_(page.locator('[data-status="succeeded"]')).wait_for(timeout=60_000)
        assert "Armazenada" in row.inner_text()
    summary = page.locator('#summary[data-done="true"]')
    summary.wait_for()
    assert "Concluído: 2 armazenada(s), 0 duplicada(s), 0 com falha" in summary.inner_text()
    screenshots(page, "enviar-faturas")


def test_a_non_bill_uploaded_through_the_page_shows_why_it_failed(
    page: Any, live: LiveServer, not_a_bill: Path, screenshots: Shoot
) -> None:
    page.goto("/enviar")
    page.set_input_files("#files", [str(not_a_bill)])
    row = page.locator(f'#uploads tr[data-file="{not_a_bill.name}"][data-status="failed"]')
    row.wait_for(timeout=60_000)
    job_id = live.get("/api/jobs", status="failed")["items"][0]["id"]
    reason = live.get(f"/api/jobs/{job_id}")["error"]["message"]
    assert reason and reason in row.inner_text()
    assert "Falhou" in row.inner_text()
    screenshots(page, "enviar-faturas-falha")


def test_the_library_finds_a_bill_by_client_number_and_month_and_downloads_its_pdf(
    page: Any, live: LiveServer, bills: list[tuple[SyntheticBill, Path]], screenshots: Shoot
) -> None:
    for _bill, path in bills:
        assert _ingest(live, path)["status"] == "succeeded"
    bill, path = bills[1]
    month = str(bill.reference_month)
    page.goto("/faturas")
    page.get_by_label("Nº do cliente").fill(bill.client_number)
    page.get_by_label("Mês inicial").fill(month)
    page.get_by_label("Mês final").fill(month)
    page.get_by_role("button", name="Filtrar").click()
    rows = page.locator("#invoice-table tbody tr")
    assert rows.count() == 1
    assert bill.reference_month.label in rows.first.inner_text()
    screenshots(page, "faturas")

    rows.first.get_by_role("link", name=bill.reference_month.label, exact=True).click()
    page.wait_for_url("**/faturas/*")
    fields = page.locator("#invoice-fields").inner_text()
    assert bill.installation_number in fields and bill.client_number in fields
    assert page.locator("#items tbody tr").count() >= 1
    assert page.locator("iframe[src$='/pdf']").count() == 1
    screenshots(page, "fatura")

    with page.expect_download() as download_info:
        page.locator("#download-pdf").click()
    downloaded = Path(download_info.value.path()).read_bytes()
    assert downloaded == path.read_bytes()


def test_the_dashboard_of_a_client_charts_the_stored_figures(
    page: Any, browser: Any, live: LiveServer, bills: list[tuple[SyntheticBill, Path]], screenshots: Shoot
) -> None:
    for _bill, path in bills:
        _ingest(live, path)
    bill, _path = bills[0]
    stored = live.get("/api/invoices", client_number=bill.client_number)["items"]
    assert len(stored) == 1
    page.goto(f"/dashboard?client_number={bill.client_number}")
    page.locator("#chart-energy .main-svg").first.wait_for()
    page.locator("#chart-money .main-svg").first.wait_for()
    shown = page.evaluate(
        """() => {
            const traces = (id) => document.getElementById(id).data.map((t) => ({name: t.name, x: t.x, y: t.y}));
            return {
                embedded: JSON.parse(document.getElementById("dashboard-data").textContent),
                energy: traces("chart-energy"), money: traces("chart-money"), balance: traces("chart-balance"),
            };
        }"""
    )
    api = live.get("/api/dashboard", client_number=bill.client_number)
    assert shown["embedded"] == api
    invoice = stored[0]
    assert [trace["x"] for trace in shown["energy"]] == [[bill.reference_month.label]] * 2
    consumption, compensated = (trace["y"][0] for trace in shown["energy"])
    without_gd, savings = (trace["y"][0] for trace in shown["money"])
    assert Decimal(str(consumption)) == Decimal(invoice["consumption_kwh"] or 0)
    assert Decimal(str(compensated)) == Decimal(invoice["compensated_kwh"] or 0)
    assert Decimal(str(without_gd)) == Decimal(invoice["total_without_gd"])
    assert Decimal(str(savings)) == Decimal(invoice["gd_savings"])
    detail = live.get(f"/api/invoices/{invoice['id']}")
    balance = detail["extracted"]["gd_balance_kwh"]
    assert shown["balance"][0]["y"] == [None if balance is None else float(balance)]
    cards = page.locator("#cards").inner_text()
    assert "R$" in cards and "kWh" in cards
    screenshots(page, "dashboard")
    phone = browser.new_context(base_url=live.url, viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        on_phone = phone.new_page()
        on_phone.goto(f"/dashboard?client_number={bill.client_number}")
        on_phone.locator("#chart-energy .main-svg").first.wait_for()
        assert on_phone.evaluate("() => document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
        screenshots(on_phone, "dashboard-celular")
    finally:
        phone.close()

    page.goto(f"/clientes?client_number={bill.client_number}")
    screenshots(page, "clientes")
    page.get_by_role("link", name=bill.client_number).first.click()
    page.locator("#chart-energy .main-svg").first.wait_for()
    client_data = page.evaluate("() => JSON.parse(document.getElementById('dashboard-data').textContent)")
    assert client_data["series"] == api["series"]
    screenshots(page, "cliente")


def test_a_failed_job_is_retried_from_the_processing_page(
    page: Any, live: LiveServer, not_a_bill: Path, screenshots: Shoot
) -> None:
    failed = _ingest(live, not_a_bill)
    assert failed["status"] == "failed"
    page.goto("/processamento")
    row = page.locator(f'#failed-jobs tr[data-job-id="{failed["id"]}"]')
    assert failed["error"]["message"] in row.inner_text()
    screenshots(page, "processamento")
    row.get_by_role("button", name="Tentar de novo").click()
    page.get_by_text("Job enviado de novo para a fila.").wait_for()
    again = live.wait_for_job(failed["id"])
    assert again["status"] == "failed"
    assert again["finished_at"] > failed["finished_at"]


def test_every_page_works_with_an_empty_database(
    browser: Any, start_server: Callable[..., LiveServer], screenshots: Shoot
) -> None:
    empty = start_server()
    context = browser.new_context(base_url=empty.url, locale="pt-BR")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    expected = {
        "/enviar": "Arraste os PDFs",
        "/faturas": "Ainda não há faturas armazenadas",
        "/clientes": "Ainda não há clientes",
        "/dashboard": "Ainda não há faturas armazenadas",
        "/processamento": "Nada foi enviado ainda",
    }
    try:
        for path, text in expected.items():
            answer = page.goto(path)
            assert answer is not None and answer.status == 200, path
            assert text in page.locator("main").inner_text(), path
            screenshots(page, f"vazio{path.replace('/', '-')}")
    finally:
        context.close()
    assert errors == []
