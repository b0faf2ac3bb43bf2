"""The invoice page's "every field" section speaks pt-BR: months as "MAR/2024", dates as "05/04/2024"."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from faturas.api.app import create_app
from faturas.config import Settings
from faturas.web.templating import plain
from tests.ingest_support import fake_extract, fake_pdf


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path / "data", database_url=f"sqlite:///{tmp_path / 'f.db'}")
    with TestClient(create_app(settings, extractor=fake_extract)) as test_client:
        yield test_client


def test_stored_iso_months_and_dates_are_shown_as_people_in_brazil_read_them() -> None:
    assert plain("2024-03", "reference_month") == "MAR/2024"
    assert plain("2023-12", "month") == "DEZ/2023"
    assert plain("2024-04-05", "due_date") == "05/04/2024"
    # Not a month field, or not a month at all: shown as stored.
    assert plain("2024-03", "installation_number") == "2024-03"
    assert plain("2024-13", "month") == "2024-13"
    assert plain("2024-02-30", "issue_date") == "2024-02-30"


def test_the_every_field_section_shows_the_reference_month_in_portuguese(client: TestClient) -> None:
    files = [("files", ("bill.pdf", fake_pdf(month="2024-03"), "application/pdf"))]
    job_id = client.post("/api/uploads", files=files).json()["jobs"][0]["job_id"]
    for _ in range(400):
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["status"] != "queued" and job["status"] != "running":
            break
        time.sleep(0.025)
    assert job["status"] == "succeeded"
    page = client.get(f"/faturas/{job['invoice_ids'][0]}").text
    every_field = page.split('id="all-title"', 1)[1]
    assert "<dt>Mês de referência</dt><dd>MAR/2024</dd>" in every_field
    assert "2024-03" not in every_field
