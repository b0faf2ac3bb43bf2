"""Exports of a small generated database in every format, read back and compared with the database."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from faturas.api.app import create_app
from faturas.cli import app as cli_app
from faturas.db.models import Invoice, InvoiceItem
from faturas.services.context import ServiceContext
from faturas.services.export_formats import ExportFormat
from faturas.services.export_rows import ExportKind, fields_of
from faturas.services.export_stream import ExportRequest, write_export_file
from faturas.services.queries import InvoiceFilters
from faturas.synthetic.database import client_number, fill_invoices
from tests.ingest_support import ContextFactory

UNITS, MONTHS, ITEMS = 12, 5, 3
CENT, KWH = Decimal("0.01"), Decimal("0.00000001")


@pytest.fixture
def context(make_context: ContextFactory) -> ServiceContext:
    context = make_context()
    fill_invoices(context.engine, UNITS, MONTHS, ITEMS, seed=3)
    return context


ALL = InvoiceFilters()


def expected_invoices(context: ServiceContext, filters: InvoiceFilters = ALL) -> list[dict[str, Any]]:
    """What the database says, read through the ORM (not the export's query)."""
    with context.uow_factory(read_only=True) as uow:
        rows = uow.session.scalars(select(Invoice).where(*filters.conditions()).order_by(Invoice.id))
        return [
            {
                "invoice_id": row.id,
                "reference_month": row.reference_month,
                "client_number": row.client_number,
                "installation_number": row.installation_number,
                "distributor": row.distributor,
                "due_date": row.due_date,
                "total_amount": row.total_amount.quantize(CENT),
                "total_without_gd": row.total_without_gd.quantize(CENT),
                "gd_savings": row.gd_savings.quantize(CENT),
                "consumption_kwh": row.consumption_kwh,
                "compensated_kwh": row.compensated_kwh,
                "needs_review": row.needs_review,
            }
            for row in rows
        ]


def expected_items(context: ServiceContext) -> list[tuple[int, int, str, Decimal | None, Decimal]]:
    with context.uow_factory(read_only=True) as uow:
        rows = uow.session.scalars(select(InvoiceItem).order_by(InvoiceItem.invoice_id, InvoiceItem.position))
        return [(r.invoice_id, r.position, r.description, r.quantity, r.amount.quantize(CENT)) for r in rows]


def export(context: ServiceContext, fmt: ExportFormat, tmp_path: Path, **request: Any) -> Path:
    path = tmp_path / f"export.{fmt.value}"
    with path.open("wb") as out:
        write_export_file(context, ExportRequest(fmt, **request), out)
    return path


def read_back(fmt: ExportFormat, path: Path) -> list[dict[str, Any]]:
    """Rows as each format's own reader gives them, converted to the database's Python types."""
    if fmt is ExportFormat.CSV:
        return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    if fmt is ExportFormat.JSONL:
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    if fmt is ExportFormat.PARQUET:
        rows: list[dict[str, Any]] = pq.read_table(path).to_pylist()
        return rows
    sheet = openpyxl.load_workbook(path, read_only=True).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def normalise(fmt: ExportFormat, row: dict[str, Any]) -> dict[str, Any]:
    def number(value: Any, step: Decimal) -> Decimal | None:
        if value in (None, ""):
            return None
        return (Decimal(str(value)) if not isinstance(value, Decimal) else value).quantize(step)

    def day(value: Any) -> date | None:
        if value in (None, ""):
            return None
        if isinstance(value, datetime):
            return value.date()
        return value if isinstance(value, date) else date.fromisoformat(value)

    review = row["needs_review"]
    return {
        "invoice_id": int(row["invoice_id"]),
        "reference_month": row["reference_month"],
        "client_number": str(row["client_number"]),
        "installation_number": str(row["installation_number"]),
        "distributor": row["distributor"],
        "due_date": day(row["due_date"]),
        "total_amount": number(row["total_amount"], CENT),
        "total_without_gd": number(row["total_without_gd"], CENT),
        "gd_savings": number(row["gd_savings"], CENT),
        "consumption_kwh": number(row["consumption_kwh"], KWH),
        "compensated_kwh": number(row["compensated_kwh"], KWH),
        "needs_review": review == "true" if isinstance(review, str) else bool(review),
    }


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_every_invoice_is_exported_with_its_figures_and_read_back_equal(
    context: ServiceContext, fmt: ExportFormat, tmp_path: Path
) -> None:
    rows = read_back(fmt, export(context, fmt, tmp_path))
    assert list(rows[0]) == [field.name for field in fields_of(ExportKind.INVOICES)]
    expected = expected_invoices(context)
    for row in expected:
        for name in ("consumption_kwh", "compensated_kwh"):
            row[name] = None if row[name] is None else row[name].quantize(KWH)
    assert [normalise(fmt, row) for row in rows] == expected
    assert len(rows) == UNITS * MONTHS
    assert any(row["needs_review"] for row in expected) and any(row["compensated_kwh"] is None for row in expected)


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_the_items_export_has_one_row_per_line_item(context: ServiceContext, fmt: ExportFormat, tmp_path: Path) -> None:
    rows = read_back(fmt, export(context, fmt, tmp_path, kind=ExportKind.ITEMS))
    assert list(rows[0]) == [field.name for field in fields_of(ExportKind.ITEMS)]
    got = [
        (
            int(row["invoice_id"]),
            int(row["position"]),
            row["description"],
            None if row["quantity"] in (None, "") else Decimal(str(row["quantity"])).quantize(KWH),
            Decimal(str(row["amount"])).quantize(CENT),
        )
        for row in rows
    ]
    expected = [(i, p, d, None if q is None else q.quantize(KWH), a) for i, p, d, q, a in expected_items(context)]
    assert got == expected
    assert len(got) == UNITS * MONTHS * ITEMS


def test_filters_select_a_client_and_a_range_of_months(context: ServiceContext, tmp_path: Path) -> None:
    filters = InvoiceFilters(client_number=client_number(4), month_from="2024-02", month_to="2024-04")
    rows = read_back(ExportFormat.JSONL, export(context, ExportFormat.JSONL, tmp_path, filters=filters))
    assert [(row["client_number"], row["reference_month"]) for row in rows] == [
        (client_number(4), month) for month in ("2024-02", "2024-03", "2024-04")
    ]
    assert [row["invoice_id"] for row in rows] == [row["invoice_id"] for row in expected_invoices(context, filters)]


def test_an_empty_selection_gives_a_header_only_file(context: ServiceContext, tmp_path: Path) -> None:
    filters = InvoiceFilters(client_number="0")
    for fmt in ExportFormat:
        path = export(context, fmt, tmp_path, filters=filters)
        if fmt is ExportFormat.PARQUET:
            assert pq.read_table(path).num_rows == 0
        elif fmt is ExportFormat.CSV:
            assert path.read_text().strip() == ",".join(field.name for field in fields_of(ExportKind.INVOICES))
        elif fmt is ExportFormat.JSONL:
            assert path.read_bytes() == b""


def test_the_api_streams_exports_with_filters_and_kind(context: ServiceContext) -> None:
    with TestClient(create_app(context.settings, context=context, run_worker=False)) as client:
        answer = client.get(
            "/api/invoices/export",
            params={"format": "jsonl", "kind": "items", "client_number": client_number(2), "month_from": "2024-05"},
        )
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("application/x-ndjson")
        assert "faturas-itens.jsonl" in answer.headers["content-disposition"]
        rows = [json.loads(line) for line in answer.text.splitlines()]
        assert len(rows) == ITEMS and {row["reference_month"] for row in rows} == {"2024-05"}
        parquet = client.get("/api/invoices/export", params={"format": "parquet"})
        assert parquet.status_code == 200
        assert pq.read_table(io.BytesIO(parquet.content)).num_rows == UNITS * MONTHS
        assert client.get("/api/invoices/export", params={"format": "pdf"}).status_code in (400, 422)


def test_the_cli_exports_to_a_file_or_to_standard_output(
    context: ServiceContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FATURAS_DATABASE_URL", context.settings.resolved_database_url)
    monkeypatch.setenv("FATURAS_DATA_DIR", str(context.settings.data_dir))
    runner = CliRunner()
    target = tmp_path / "out" / "faturas.parquet"
    target.parent.mkdir()
    done = runner.invoke(cli_app, ["export", "--format", "parquet", "--items", "--output", str(target)])
    assert done.exit_code == 0, done.output
    assert pq.read_table(target).num_rows == UNITS * MONTHS * ITEMS
    assert [p.name for p in target.parent.iterdir()] == ["faturas.parquet"]  # no temporary left behind
    printed = runner.invoke(cli_app, ["export", "--client", client_number(1), "--from", "2024-03", "--to", "2024-03"])
    assert printed.exit_code == 0, printed.output
    lines = printed.stdout.strip().splitlines()
    assert len(lines) == 2 and lines[1].split(",")[1] == "2024-03"
    refused = runner.invoke(cli_app, ["export", "--from", "março"])
    assert refused.exit_code == 2 and "AAAA-MM" in refused.output
