"""Shared test support for ingestion: databases (SQLite, and PostgreSQL when configured) and fake bills.

Fake bills are tiny PDFs-by-header whose body is JSON; ``fake_extract`` turns them into invoices, so
the pipeline is tested independently of the distributor templates.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from faturas.config import Settings
from faturas.domain.invoice import Invoice, ItemKind, LineItem
from faturas.domain.reference_month import ReferenceMonth
from faturas.errors import NotABill
from faturas.services.context import ServiceContext, build_context
from faturas.services.extract_document import Extraction

FAKE_MARKER = b"\n%FAKE-BILL\n"


def fake_pdf(**fields: Any) -> bytes:
    """A 'PDF' that only fake_extract can read. Distinct fields give distinct bytes."""
    return b"%PDF-1.4" + FAKE_MARKER + json.dumps(fields, sort_keys=True).encode()


def _invoice(fields: dict[str, Any]) -> Invoice:
    total = Decimal(fields.get("total", "100.00"))
    invoice = Invoice(
        distributor=fields.get("distributor", "CEMIG"),
        layout="fake",
        installation_number=fields.get("installation", "3000000001"),
        client_number=fields.get("client", "7000000001"),
        reference_month=ReferenceMonth.parse(fields.get("month", "2024-01")),
        due_date=None,
        total_amount=total,
        access_key=fields.get("access_key"),
        energy_kwh=Decimal(fields.get("kwh", "100")),
        compensated_kwh=Decimal(fields.get("compensated", "40")),
        items=(
            LineItem("Energia Elétrica", total + Decimal(20), "kWh", Decimal(100), None, ItemKind.ENERGY),
            LineItem("Energia compensada GD I", Decimal(-20), "kWh", Decimal(40), None, ItemKind.COMPENSATED),
        ),
    )
    subs = fields.get("subs")
    if subs:
        return replace(invoice, sub_invoices=tuple(_invoice(sub) for sub in subs), collective_account="999")
    return invoice


def fake_extract(pdf: bytes, password: str | None, max_pages: int) -> Extraction:
    if FAKE_MARKER not in pdf:
        raise NotABill("não é uma fatura de teste")
    fields = json.loads(pdf.split(FAKE_MARKER, 1)[1])
    if fields.get("reject"):
        raise NotABill(fields["reject"])
    return Extraction(_invoice(fields), 1)


def _postgres_schema_url(base: str, schema: str) -> str:
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Every test using this runs on SQLite, and on PostgreSQL when FATURAS_TEST_DATABASE_URL is set."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'faturas.db'}"
        return
    base = os.environ.get("FATURAS_TEST_DATABASE_URL")
    if not base:
        pytest.skip("FATURAS_TEST_DATABASE_URL is not set (PostgreSQL tests)")
    schema = f"test_{uuid.uuid4().hex[:12]}"  # a schema per test: runs never see each other's rows
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _postgres_schema_url(base, schema)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


ContextFactory = Callable[..., ServiceContext]


@pytest.fixture
def make_context(database_url: str, tmp_path: Path) -> Iterator[ContextFactory]:
    """Build service contexts on the test database; settings may be overridden per call."""
    contexts: list[ServiceContext] = []

    def factory(**overrides: Any) -> ServiceContext:
        values: dict[str, Any] = {"data_dir": tmp_path / "data", "database_url": database_url}
        values.update(overrides)
        context = build_context(Settings(**values))
        contexts.append(context)
        return context

    yield factory
    for context in contexts:
        context.close()
