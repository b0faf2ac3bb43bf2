"""invoices.gd_balance_kwh: the GD credit balance as a column (the dashboard sums it), filled from the stored JSON;
an index for the library's "needs review" filter

Revision ID: 20261129_0004
Revises: 20261129_0003
Create Date: 2026-11-29 08:20:00
"""

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "20261129_0004"
down_revision: str | None = "20261129_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Rows read and written per round trip of the backfill: memory stays flat on large databases.
BATCH = 1000

_invoices = sa.table(
    "invoices",
    sa.column("id", sa.Integer()),
    sa.column("extracted", sa.JSON()),
    sa.column("gd_balance_kwh", sa.Numeric(20, 8)),
)


def upgrade() -> None:
    with op.batch_alter_table("invoices") as batch:
        batch.add_column(sa.Column("gd_balance_kwh", sa.Numeric(precision=20, scale=8), nullable=True))
    op.create_index("ix_invoices_needs_review_month", "invoices", ["needs_review", "reference_month"])
    _backfill(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_invoices_needs_review_month", table_name="invoices")
    with op.batch_alter_table("invoices") as batch:
        batch.drop_column("gd_balance_kwh")


def _backfill(connection: sa.Connection) -> None:
    last_id = 0
    update = (
        sa.update(_invoices)
        .where(_invoices.c.id == sa.bindparam("row_id"))
        .values(gd_balance_kwh=sa.bindparam("balance"))
    )
    while True:
        rows = connection.execute(
            sa.select(_invoices.c.id, _invoices.c.extracted)
            .where(_invoices.c.id > last_id)
            .order_by(_invoices.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        last_id = rows[-1][0]
        values = [
            {"row_id": row_id, "balance": balance}
            for row_id, extracted in rows
            if (balance := _balance(extracted)) is not None
        ]
        if values:
            connection.execute(update, values)


def _balance(extracted: Any) -> Decimal | None:
    """The balance as invoice_to_dict stored it (a decimal string); anything unreadable stays empty."""
    value = extracted.get("gd_balance_kwh") if isinstance(extracted, dict) else None
    if value is None or isinstance(value, bool):
        return None
    try:
        balance = Decimal(str(value))
    except InvalidOperation:
        return None
    return balance if balance.is_finite() else None
