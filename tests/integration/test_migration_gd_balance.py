"""Migration 20261129_0004: invoices stored before it get their GD balance column filled from the stored JSON."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from sqlalchemy import Table, bindparam, create_engine, select, update

from faturas.config import Settings
from faturas.db.engine import upgrade_database
from faturas.db.migrations.versions.v2026_11_29_invoice_gd_balance import BATCH
from faturas.db.models import Invoice
from faturas.services.context import build_context
from faturas.services.dashboard import dashboard
from faturas.synthetic.database import fill_invoices


def test_the_backfill_reads_every_stored_balance_in_batches(database_url: str, tmp_path: Path) -> None:
    engine = create_engine(database_url)
    try:
        upgrade_database(engine, "20261129_0003")
        filled = fill_invoices(engine, units=60, months=25, items_per_invoice=0)
        assert filled.invoices > BATCH  # more than one batch
        table: Table = Invoice.__table__  # type: ignore[assignment]
        stored = {
            row_id: {"gd_balance_kwh": f"{row_id}.12345678"}
            if row_id % 3 == 0
            else {"gd_balance_kwh": None}
            if row_id % 3 == 1
            else {"energy_kwh": "100"}
            for row_id in range(1, filled.invoices + 1)
        }
        with engine.begin() as connection:
            connection.execute(
                update(table).where(table.c.id == bindparam("row_id")).values(extracted=bindparam("json")),
                [{"row_id": row_id, "json": json} for row_id, json in stored.items()],
            )

        upgrade_database(engine)

        with engine.connect() as connection:
            balances = dict(connection.execute(select(table.c.id, table.c.gd_balance_kwh)).all())
        expected = {
            row_id: Decimal(json["gd_balance_kwh"]) if json.get("gd_balance_kwh") else None
            for row_id, json in stored.items()
        }
        assert {key: None if value is None else Decimal(value) for key, value in balances.items()} == expected
        assert sum(value is not None for value in expected.values()) == filled.invoices // 3

        # The dashboard sums the column: per month, the balances the bills printed (none printed: none).
        with engine.connect() as connection:
            months = dict(connection.execute(select(table.c.id, table.c.reference_month)).all())
        sums: dict[str, Decimal | None] = {}
        for row_id, balance in expected.items():
            if balance is not None:
                sums[months[row_id]] = (sums.get(months[row_id]) or Decimal(0)) + balance
        context = build_context(Settings(data_dir=tmp_path / "data", database_url=database_url))
        try:
            series = dashboard(context).series
        finally:
            context.close()
        assert {row.month: row.gd_balance_kwh for row in series} == {
            month: None if month not in sums else sums[month].quantize(Decimal("0.001")) for month in filled.months
        }
    finally:
        engine.dispose()
