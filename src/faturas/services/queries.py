"""Read-only queries shared by the API, the pages and the CLI: lists with filters, details, the dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import defer, joinedload, selectinload

from faturas.db.models import Client, ConsumerUnit, Invoice, Job, JobStatus
from faturas.db.unit_of_work import database_errors
from faturas.errors import NotFound
from faturas.services.context import ServiceContext
from faturas.services.views import (
    ClientOverview,
    ClientView,
    InvoiceDetail,
    InvoiceSummary,
    JobView,
    Page,
    QueueCounts,
    UnitView,
)


class InvoiceSort(StrEnum):
    MONTH = "reference_month"
    MONTH_DESC = "-reference_month"
    TOTAL = "total_amount"
    TOTAL_DESC = "-total_amount"
    DUE = "due_date"
    DUE_DESC = "-due_date"
    ID = "id"
    ID_DESC = "-id"
    CLIENT = "client_number"
    CLIENT_DESC = "-client_number"
    INSTALLATION = "installation_number"
    INSTALLATION_DESC = "-installation_number"
    CONSUMPTION = "consumption_kwh"
    CONSUMPTION_DESC = "-consumption_kwh"
    COMPENSATED = "compensated_kwh"
    COMPENSATED_DESC = "-compensated_kwh"
    SAVINGS = "gd_savings"
    SAVINGS_DESC = "-gd_savings"


@dataclass(frozen=True)
class InvoiceFilters:
    client_number: str | None = None
    installation_number: str | None = None
    distributor: str | None = None
    client_id: int | None = None
    month_from: str | None = None  # YYYY-MM, inclusive
    month_to: str | None = None
    needs_review: bool | None = None
    include_superseded: bool = False

    def conditions(self) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        # Client and installation numbers are looked up in their (small) tables, so the invoices are
        # reached through the consumer_unit_id index instead of a scan of every invoice.
        if self.client_number is not None:
            owners = select(Client.id).where(Client.client_number == self.client_number)
            numbered = select(ConsumerUnit.id).where(ConsumerUnit.client_id.in_(owners))
            conditions.append(Invoice.consumer_unit_id.in_(numbered))
        if self.installation_number is not None:
            installed = select(ConsumerUnit.id).where(ConsumerUnit.installation_number == self.installation_number)
            conditions.append(Invoice.consumer_unit_id.in_(installed))
        if self.distributor is not None:
            conditions.append(func.upper(Invoice.distributor) == self.distributor.upper())
        if self.client_id is not None:
            units = select(ConsumerUnit.id).where(ConsumerUnit.client_id == self.client_id)
            conditions.append(Invoice.consumer_unit_id.in_(units))
        if self.month_from is not None:
            conditions.append(Invoice.reference_month >= self.month_from)
        if self.month_to is not None:
            conditions.append(Invoice.reference_month <= self.month_to)
        if self.needs_review is not None:
            conditions.append(Invoice.needs_review.is_(self.needs_review))
        if not self.include_superseded:
            conditions.append(Invoice.superseded_at.is_(None))
        return conditions


def _page(context: ServiceContext, query: Select[Any], limit: int, offset: int) -> tuple[list[Any], int]:
    with context.uow_factory(read_only=True) as uow:
        rows = list(uow.session.scalars(query.limit(limit).offset(offset)))
        if len(rows) < limit and (rows or offset == 0):
            # A page that is not full is the last one: the total is known without counting.
            return rows, offset + len(rows)
        total = uow.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
        return rows, int(total)


def list_jobs(context: ServiceContext, status: JobStatus | None, limit: int, offset: int) -> Page[JobView]:
    # Each job has exactly one document: joined in the same query rather than fetched by a second one.
    query = select(Job).options(joinedload(Job.document)).order_by(Job.created_at.desc(), Job.id)
    if status is not None:
        query = query.where(Job.status == status)
    with database_errors():
        rows, total = _page(context, query, limit, offset)
    return Page[JobView](items=[JobView.of(row) for row in rows], total=total, limit=limit, offset=offset)


def queue_counts(context: ServiceContext) -> QueueCounts:
    query = select(Job.status, func.count(Job.id)).group_by(Job.status)
    with database_errors(), context.uow_factory(read_only=True) as uow:
        counts = {str(status): int(count) for status, count in uow.session.execute(query).all()}
    return QueueCounts(**{status.value: counts.get(status.value, 0) for status in JobStatus})


def get_job(context: ServiceContext, job_id: str) -> JobView:
    with database_errors(), context.uow_factory(read_only=True) as uow:
        job = uow.jobs.get(job_id)
        if job is None:
            raise NotFound("Job", job_id)
        return JobView.of(job)


def list_clients(context: ServiceContext, limit: int, offset: int) -> Page[ClientView]:
    query = select(Client).options(selectinload(Client.units)).order_by(Client.id)
    with database_errors():
        rows, total = _page(context, query, limit, offset)
    return Page[ClientView](items=[ClientView.of(row) for row in rows], total=total, limit=limit, offset=offset)


def list_client_overviews(
    context: ServiceContext, client_number: str | None, limit: int, offset: int
) -> Page[ClientOverview]:
    """Clients with their units and current invoices' figures; the figures are summed for this page only."""
    query = select(Client).options(selectinload(Client.units)).order_by(Client.id)
    if client_number:
        query = query.where(Client.client_number == client_number)
    with database_errors():
        clients, total = _page(context, query, limit, offset)
        figures = _client_figures(context, [client.id for client in clients])
    items = [
        ClientOverview(**ClientView.of(client).model_dump(), **figures.get(client.id, _NO_FIGURES))
        for client in clients
    ]
    return Page[ClientOverview](items=items, total=total, limit=limit, offset=offset)


_NO_FIGURES: dict[str, Any] = {"invoices": 0, "last_month": None, "total_amount": Decimal(0), "gd_savings": Decimal(0)}


def _client_figures(context: ServiceContext, client_ids: list[int]) -> dict[int, dict[str, Any]]:
    if not client_ids:
        return {}
    query = (
        select(
            ConsumerUnit.client_id,
            func.count(Invoice.id),
            func.max(Invoice.reference_month),
            func.coalesce(func.sum(Invoice.total_amount), 0),
            func.coalesce(func.sum(Invoice.gd_savings), 0),
        )
        .join(ConsumerUnit, Invoice.consumer_unit_id == ConsumerUnit.id)
        .where(ConsumerUnit.client_id.in_(client_ids), Invoice.superseded_at.is_(None))
        .group_by(ConsumerUnit.client_id)
    )
    with context.uow_factory(read_only=True) as uow:
        rows = uow.session.execute(query).all()
    return {
        client_id: {
            "invoices": count,
            "last_month": last,
            "total_amount": _cents(total),
            "gd_savings": _cents(savings),
        }
        for client_id, count, last, total, savings in rows
    }


def _cents(value: object) -> Decimal:
    # SQLite sums numerics as floats: back to cents.
    return Decimal(str(value)).quantize(Decimal("0.01"))


def get_client(context: ServiceContext, client_id: int) -> ClientView:
    with database_errors(), context.uow_factory(read_only=True) as uow:
        client = uow.clients.get(client_id)
        if client is None:
            raise NotFound("Cliente", client_id)
        return ClientView.of(client)


def list_units(context: ServiceContext, client_id: int | None, limit: int, offset: int) -> Page[UnitView]:
    query = select(ConsumerUnit).order_by(ConsumerUnit.id)
    if client_id is not None:
        query = query.where(ConsumerUnit.client_id == client_id)
    with database_errors():
        rows, total = _page(context, query, limit, offset)
    return Page[UnitView](items=[UnitView.of(row) for row in rows], total=total, limit=limit, offset=offset)


_WITHOUT_WIDE_COLUMNS = (defer(Invoice.extracted), defer(Invoice.warnings))


def list_invoices(
    context: ServiceContext, filters: InvoiceFilters, sort: InvoiceSort, limit: int, offset: int
) -> Page[InvoiceSummary]:
    # Page through narrow (id, sort column) rows first, then load only those invoices: sorting wide rows
    # (every extracted field is stored with the invoice) would cost a pass over the whole table.
    ids_query = select(Invoice.id).where(*filters.conditions()).order_by(*order_by(sort))
    with database_errors():
        ids, total = _page(context, ids_query, limit, offset)
        with context.uow_factory(read_only=True) as uow:
            query = select(Invoice).where(Invoice.id.in_(ids)).options(*_WITHOUT_WIDE_COLUMNS)
            by_id = {row.id: InvoiceSummary.of(row) for row in uow.session.scalars(query)}
    return Page[InvoiceSummary](items=[by_id[id_] for id_ in ids], total=total, limit=limit, offset=offset)


def order_by(sort: InvoiceSort) -> tuple[Any, ...]:
    """The sort column, then the id, so pages never overlap or skip rows that tie."""
    column = getattr(Invoice, sort.value.lstrip("-"))
    return (column.desc() if sort.value.startswith("-") else column.asc(), Invoice.id)


def get_invoice(context: ServiceContext, invoice_id: int) -> InvoiceDetail:
    with database_errors(), context.uow_factory(read_only=True) as uow:
        invoice = uow.invoices.get(invoice_id)
        if invoice is None:
            raise NotFound("Fatura", invoice_id)
        return InvoiceDetail.of(invoice)


def invoice_pdf(context: ServiceContext, invoice_id: int) -> tuple[str, bytes]:
    """The original file an invoice was read from: (file name, bytes)."""
    with database_errors(), context.uow_factory(read_only=True) as uow:
        invoice = uow.invoices.get(invoice_id)
        if invoice is None:
            raise NotFound("Fatura", invoice_id)
        name, key = invoice.document.original_name, invoice.document.storage_key
    return name, context.store.get(key)
