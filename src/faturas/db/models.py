"""The tables. Unique constraints are how races are settled: the loser reads the winner's row."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, Date, DateTime, Dialect, ForeignKey, Index, Integer, Numeric, String, Text, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every database (SQLite keeps no zone: store UTC, read it back as UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        value = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    DUPLICATE = "duplicate"


#: States a job leaves only by retry or replace.
FINISHED_STATUSES = frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.DUPLICATE})


class DuplicateReason(StrEnum):
    SAME_BILL = "same_bill"  # the same bill in other bytes: same NF3e key, or same unit, month and total
    CONFLICT = "conflict"  # a different bill for a unit and month already stored (a rebilling)


Money = Numeric(14, 2)
Quantity = Numeric(20, 8)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class Client(Base):
    __tablename__ = "clients"
    __table_args__ = (Index("uq_clients_distributor_number", "distributor", "client_number", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    distributor: Mapped[str] = mapped_column(String(40))
    client_number: Mapped[str] = mapped_column(String(40))
    holder_name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    units: Mapped[list[ConsumerUnit]] = relationship(back_populates="client", order_by="ConsumerUnit.id")


class ConsumerUnit(Base):
    __tablename__ = "consumer_units"
    __table_args__ = (Index("uq_units_distributor_installation", "distributor", "installation_number", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    distributor: Mapped[str] = mapped_column(String(40))
    installation_number: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    client: Mapped[Client] = relationship(back_populates="units")


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    original_name: Mapped[str] = mapped_column(String(255))
    size_bytes: Mapped[int] = mapped_column(Integer)
    page_count: Mapped[int | None] = mapped_column(Integer)
    storage_key: Mapped[str] = mapped_column(String(255))
    #: Kept so workers and reprocessing can open protected PDFs (usually the holder's CPF).
    password: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Job(Base):
    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_status_available", "status", "available_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    #: One job per document: the same file uploaded again is answered with this job.
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), unique=True)
    status: Mapped[str] = mapped_column(String(16), default=JobStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    replace_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    duplicate_reason: Mapped[str | None] = mapped_column(String(16))
    error_code: Mapped[str | None] = mapped_column(String(40))
    error_message: Mapped[str | None] = mapped_column(Text)
    invoice_ids: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    #: Embedded queue: a queued job runs from this time on (exponential backoff after transient errors).
    available_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    #: Embedded queue: a running job whose lease expired belongs to a dead worker and is taken up again.
    lease_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    document: Mapped[Document] = relationship()


class Invoice(Base):
    __tablename__ = "invoices"
    __table_args__ = (
        # One current invoice per unit and month; superseded versions (replaced rebillings) stay.
        Index(
            "uq_invoices_current_unit_month",
            "consumer_unit_id",
            "reference_month",
            unique=True,
            sqlite_where=text("superseded_at IS NULL"),
            postgresql_where=text("superseded_at IS NULL"),
        ),
        Index("ix_invoices_reference_month", "reference_month"),
        # The library's "needs review" filter, newest first, without reading every (wide) invoice row.
        Index("ix_invoices_needs_review_month", "needs_review", "reference_month"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consumer_unit_id: Mapped[int] = mapped_column(ForeignKey("consumer_units.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    reference_month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    superseded_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"))
    #: Position in a collective bill (0 for an ordinary bill).
    sub_index: Mapped[int] = mapped_column(Integer, default=0)
    collective_account: Mapped[str | None] = mapped_column(String(40))

    distributor: Mapped[str] = mapped_column(String(40))
    layout: Mapped[str] = mapped_column(String(60))
    client_number: Mapped[str | None] = mapped_column(String(40))
    installation_number: Mapped[str] = mapped_column(String(40))
    holder_name: Mapped[str | None] = mapped_column(String(200))
    access_key: Mapped[str | None] = mapped_column(String(60), index=True)
    nota_fiscal_number: Mapped[str | None] = mapped_column(String(40))
    due_date: Mapped[date | None] = mapped_column(Date)
    issue_date: Mapped[date | None] = mapped_column(Date)
    total_amount: Mapped[Decimal] = mapped_column(Money)
    energy_kwh: Mapped[Decimal | None] = mapped_column(Quantity)
    scee_kwh: Mapped[Decimal | None] = mapped_column(Quantity)
    compensated_kwh: Mapped[Decimal | None] = mapped_column(Quantity)
    public_lighting_amount: Mapped[Decimal | None] = mapped_column(Money)
    consumption_kwh: Mapped[Decimal | None] = mapped_column(Quantity)
    total_without_gd: Mapped[Decimal] = mapped_column(Money)
    gd_savings: Mapped[Decimal] = mapped_column(Money)
    #: The GD credit balance the bill prints (also in ``extracted``): a column so the dashboard sums it fast.
    gd_balance_kwh: Mapped[Decimal | None] = mapped_column(Quantity)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    warnings: Mapped[list[Any]] = mapped_column(default=list)
    #: Every extracted field (readings, taxes, history, payment line…), as invoice_to_dict gives it.
    extracted: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)

    unit: Mapped[ConsumerUnit] = relationship()
    document: Mapped[Document] = relationship()
    items: Mapped[list[InvoiceItem]] = relationship(
        back_populates="invoice", order_by="InvoiceItem.position", cascade="all, delete-orphan"
    )


class InvoiceItem(Base):
    __tablename__ = "invoice_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(20))
    unit: Mapped[str | None] = mapped_column(String(20))
    quantity: Mapped[Decimal | None] = mapped_column(Quantity)
    unit_price: Mapped[Decimal | None] = mapped_column(Quantity)
    amount: Mapped[Decimal] = mapped_column(Money)

    invoice: Mapped[Invoice] = relationship(back_populates="items")
