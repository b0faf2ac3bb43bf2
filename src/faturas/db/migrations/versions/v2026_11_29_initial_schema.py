"""initial schema: clients, units, documents, jobs, invoices

Revision ID: 20261129_0001
Revises: (none)
Create Date: 2026-11-29 03:06:05.050676
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261129_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "clients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("distributor", sa.String(length=40), nullable=False),
        sa.Column("client_number", sa.String(length=40), nullable=False),
        sa.Column("holder_name", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.create_index("uq_clients_distributor_number", ["distributor", "client_number"], unique=True)

    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=True),
        sa.Column("storage_key", sa.String(length=255), nullable=False),
        sa.Column("password", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sha256"),
    )
    op.create_table(
        "consumer_units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("distributor", sa.String(length=40), nullable=False),
        sa.Column("installation_number", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("consumer_units", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consumer_units_client_id"), ["client_id"], unique=False)
        batch_op.create_index("uq_units_distributor_installation", ["distributor", "installation_number"], unique=True)

    op.create_table(
        "jobs",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("replace_requested", sa.Boolean(), nullable=False),
        sa.Column("duplicate_reason", sa.String(length=16), nullable=True),
        sa.Column("error_code", sa.String(length=40), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("invoice_ids", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("available_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_id"),
    )
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.create_index("ix_jobs_status_available", ["status", "available_at"], unique=False)

    op.create_table(
        "invoices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consumer_unit_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("reference_month", sa.String(length=7), nullable=False),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("superseded_by_id", sa.Integer(), nullable=True),
        sa.Column("sub_index", sa.Integer(), nullable=False),
        sa.Column("collective_account", sa.String(length=40), nullable=True),
        sa.Column("distributor", sa.String(length=40), nullable=False),
        sa.Column("layout", sa.String(length=60), nullable=False),
        sa.Column("client_number", sa.String(length=40), nullable=True),
        sa.Column("installation_number", sa.String(length=40), nullable=False),
        sa.Column("holder_name", sa.String(length=200), nullable=True),
        sa.Column("access_key", sa.String(length=60), nullable=True),
        sa.Column("nota_fiscal_number", sa.String(length=40), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("issue_date", sa.Date(), nullable=True),
        sa.Column("total_amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("energy_kwh", sa.Numeric(precision=20, scale=8), nullable=True),
        sa.Column("scee_kwh", sa.Numeric(precision=20, scale=8), nullable=True),
        sa.Column("compensated_kwh", sa.Numeric(precision=20, scale=8), nullable=True),
        sa.Column("public_lighting_amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("consumption_kwh", sa.Numeric(precision=20, scale=8), nullable=True),
        sa.Column("total_without_gd", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("gd_savings", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("needs_review", sa.Boolean(), nullable=False),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.Column("extracted", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["consumer_unit_id"],
            ["consumer_units.id"],
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
        ),
        sa.ForeignKeyConstraint(
            ["superseded_by_id"],
            ["invoices.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invoices_access_key"), ["access_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_invoices_consumer_unit_id"), ["consumer_unit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_invoices_document_id"), ["document_id"], unique=False)
        batch_op.create_index("ix_invoices_reference_month", ["reference_month"], unique=False)
        batch_op.create_index(
            "uq_invoices_current_unit_month",
            ["consumer_unit_id", "reference_month"],
            unique=True,
            sqlite_where=sa.text("superseded_at IS NULL"),
            postgresql_where=sa.text("superseded_at IS NULL"),
        )

    op.create_table(
        "invoice_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=True),
        sa.Column("quantity", sa.Numeric(precision=20, scale=8), nullable=True),
        sa.Column("unit_price", sa.Numeric(precision=20, scale=8), nullable=True),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoices.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("invoice_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invoice_items_invoice_id"), ["invoice_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("invoice_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invoice_items_invoice_id"))

    op.drop_table("invoice_items")
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_invoices_current_unit_month",
            sqlite_where=sa.text("superseded_at IS NULL"),
            postgresql_where=sa.text("superseded_at IS NULL"),
        )
        batch_op.drop_index("ix_invoices_reference_month")
        batch_op.drop_index(batch_op.f("ix_invoices_document_id"))
        batch_op.drop_index(batch_op.f("ix_invoices_consumer_unit_id"))
        batch_op.drop_index(batch_op.f("ix_invoices_access_key"))

    op.drop_table("invoices")
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_jobs_status_available")

    op.drop_table("jobs")
    with op.batch_alter_table("consumer_units", schema=None) as batch_op:
        batch_op.drop_index("uq_units_distributor_installation")
        batch_op.drop_index(batch_op.f("ix_consumer_units_client_id"))

    op.drop_table("consumer_units")
    op.drop_table("documents")
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.drop_index("uq_clients_distributor_number")

    op.drop_table("clients")
