"""Read-only queries shared by the API, the pages and the CLI: lists with filters, details, the dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import selectinload

from faturas.db.models import Client, ConsumerUnit, Invoice, Job, JobStatus
from faturas.db.unit_of_work import database_errors
from faturas.errors import NotFound
from faturas.services.context import ServiceContext
from faturas.services.views import ClientView, InvoiceDetail, InvoiceSummary, JobView, Page, UnitView


class InvoiceSort(StrEnum):
    MONTH = "reference_month"
    MONTH_DESC = "-reference_month"
    TOTAL = "total_amount"
    TOTAL_DESC = "-total_amount"
    DUE = "due_date"
    DUE_DESC = "-due_date"
    ID = "id"
    ID_DESC = "-id"


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
        if self.client_number is not None:
            conditions.append(Invoice.client_number == self.client_number)
        if self.installation_number is not None:
            conditions.append(Invoice.installation_number == self.installation_number)
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
        total = uow.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
        rows = list(uow.session.scalars(query.limit(limit).offset(offset)))
        return rows, int(total)


def list_jobs(context: ServiceContext, status: JobStatus | None, limit: int, offset: int) -> Page[JobView]:
    query = select(Job).options(selectinload(Job.document)).order_by(Job.created_at.desc(), Job.id)
    if status is not None:
        query = query.where(Job.status == status)
    with database_errors():
        rows, total = _page(context, query, limit, offset)
    return Page[JobView](items=[JobView.of(row) for row in rows], total=total, limit=limit, offset=offset)


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


def list_invoices(
    context: ServiceContext, filters: InvoiceFilters, sort: InvoiceSort, limit: int, offset: int
) -> Page[InvoiceSummary]:
    column = getattr(Invoice, sort.value.lstrip("-"))
    order = column.desc() if sort.value.startswith("-") else column.asc()
    query = select(Invoice).where(*filters.conditions()).order_by(order, Invoice.id)
    with database_errors():
        rows, total = _page(context, query, limit, offset)
    items = [InvoiceSummary.of(row) for row in rows]
    return Page[InvoiceSummary](items=items, total=total, limit=limit, offset=offset)


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
