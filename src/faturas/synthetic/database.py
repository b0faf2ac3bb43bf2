"""A database full of invented invoices, inserted in bulk: for export tests and benchmarks.

Rows are built and inserted a chunk at a time with plain INSERTs (no ORM objects), so filling
100,000 invoices takes seconds and little memory. Values are invented; nothing comes from a real bill.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, insert

from faturas.db.models import Client, ConsumerUnit, Document, Invoice, InvoiceItem
from faturas.domain.reference_month import ReferenceMonth

#: Rows per INSERT statement batch.
CHUNK = 5000
DISTRIBUTORS = ("CEMIG", "ENERGISA", "COPEL")


@dataclass(frozen=True)
class FilledDatabase:
    invoices: int
    items: int
    months: tuple[str, ...]


def fill_invoices(
    engine: Engine, units: int, months: int, items_per_invoice: int = 3, seed: int = 0, first_month: str = "2024-01"
) -> FilledDatabase:
    """``units`` consumer units (one client each) with one invoice per month for ``months`` months."""
    rng = random.Random(seed)
    start = ReferenceMonth.parse(first_month)
    month_labels = tuple(str(start.shift(offset)) for offset in range(months))
    now = datetime.now(UTC).replace(tzinfo=None)
    with engine.begin() as connection:
        for chunk in _chunks(range(1, units + 1)):
            connection.execute(insert(Client), [_client(unit, now) for unit in chunk])
            connection.execute(insert(ConsumerUnit), [_unit(unit, now) for unit in chunk])
    invoice_id = item_id = 0
    with engine.begin() as connection:
        for chunk in _chunks(range(units * months)):
            documents, invoices, items = [], [], []
            for index in chunk:
                unit, month = index // months + 1, month_labels[index % months]
                invoice_id += 1
                documents.append(_document(invoice_id, now))
                invoice = _invoice(rng, invoice_id, unit, month, now)
                invoices.append(invoice)
                for position in range(items_per_invoice):
                    item_id += 1
                    items.append(_item(rng, item_id, invoice, position))
            connection.execute(insert(Document), documents)
            connection.execute(insert(Invoice), invoices)
            if items:
                connection.execute(insert(InvoiceItem), items)
    return FilledDatabase(invoice_id, item_id, month_labels)


def _chunks(values: range) -> Iterator[range]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def client_number(unit: int) -> str:
    return f"{7_000_000_000 + unit}"


def _client(unit: int, now: datetime) -> dict[str, Any]:
    distributor = DISTRIBUTORS[unit % len(DISTRIBUTORS)]
    return {"id": unit, "distributor": distributor, "client_number": client_number(unit),
            "holder_name": f"Titular Inventado {unit}", "created_at": now}  # fmt: skip


def _unit(unit: int, now: datetime) -> dict[str, Any]:
    distributor = DISTRIBUTORS[unit % len(DISTRIBUTORS)]
    return {"id": unit, "client_id": unit, "distributor": distributor,
            "installation_number": f"{3_000_000_000 + unit}", "created_at": now}  # fmt: skip


def _document(invoice_id: int, now: datetime) -> dict[str, Any]:
    sha = f"{invoice_id:064x}"
    return {"id": invoice_id, "sha256": sha, "original_name": f"fatura-{invoice_id}.pdf", "size_bytes": 1000,
            "page_count": 1, "storage_key": f"documents/{sha[:2]}/{sha}.pdf", "created_at": now}  # fmt: skip


def _invoice(rng: random.Random, invoice_id: int, unit: int, month: str, now: datetime) -> dict[str, Any]:
    reference = ReferenceMonth.parse(month)
    consumption = Decimal(rng.randint(80, 2500))
    compensated = Decimal(rng.randint(0, int(consumption))) if rng.random() < 0.6 else None
    total = (consumption * Decimal("0.95")).quantize(Decimal("0.01"))
    savings = (compensated * Decimal("0.72")).quantize(Decimal("0.01")) if compensated else Decimal("0.00")
    needs_review = rng.random() < 0.05
    return {
        "id": invoice_id, "consumer_unit_id": unit, "document_id": invoice_id, "reference_month": month,
        "sub_index": 0, "distributor": DISTRIBUTORS[unit % len(DISTRIBUTORS)], "layout": "synthetic",
        "client_number": client_number(unit), "installation_number": f"{3_000_000_000 + unit}",
        "holder_name": f"Titular Inventado {unit}", "access_key": None, "nota_fiscal_number": str(invoice_id),
        "due_date": date(reference.year, reference.month, 20), "issue_date": date(reference.year, reference.month, 5),
        "total_amount": total, "energy_kwh": consumption, "scee_kwh": compensated, "compensated_kwh": compensated,
        "public_lighting_amount": Decimal("12.34") if unit % 2 else None, "consumption_kwh": consumption,
        "total_without_gd": total + savings, "gd_savings": savings, "needs_review": needs_review,
        "warnings": [{"check": "items_sum"}] if needs_review else [], "extracted": {}, "created_at": now,
        "updated_at": now,
    }  # fmt: skip


def _item(rng: random.Random, item_id: int, invoice: dict[str, Any], position: int) -> dict[str, Any]:
    quantity = Decimal(rng.randint(1, 900)) if position < 2 else None
    price = Decimal(rng.randint(10_000_000, 99_999_999)).scaleb(-8) if quantity is not None else None
    amount = (
        (quantity * price).quantize(Decimal("0.01")) if quantity is not None and price is not None else Decimal("9.99")
    )
    return {
        "id": item_id, "invoice_id": invoice["id"], "position": position,
        "description": ("Energia Elétrica", "Energia compensada GD I", "Contrib Ilum Publica")[position % 3],
        "kind": ("energy", "compensated", "public_lighting")[position % 3], "unit": "kWh" if quantity else None,
        "quantity": quantity, "unit_price": price, "amount": amount,
    }  # fmt: skip
