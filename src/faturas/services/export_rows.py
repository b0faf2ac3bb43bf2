"""What an export holds: the fields of an invoice row and of a line-item row, read in batches.

Rows are streamed from one read-only query (``yield_per``: a server-side cursor on PostgreSQL, stepped
rows on SQLite), so exporting 100,000 invoices holds one batch in memory, never the whole result.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, select

from faturas.db.models import Invoice, InvoiceItem
from faturas.db.unit_of_work import database_errors
from faturas.services.context import ServiceContext
from faturas.services.queries import InvoiceFilters, InvoiceSort

#: Rows fetched from the database at a time.
BATCH_SIZE = 2000


class ExportKind(StrEnum):
    INVOICES = "invoices"  # one row per invoice, with its derived figures
    ITEMS = "items"  # one row per line item, with its invoice's identification


class FieldType(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    MONEY = "money"  # R$, 2 decimals
    QUANTITY = "quantity"  # kWh and unit prices, up to 8 decimals
    DATE = "date"
    BOOLEAN = "boolean"


@dataclass(frozen=True)
class Field:
    name: str
    type: FieldType
    column: ColumnElement[Any]


def _field(column: Any, kind: FieldType, name: str | None = None) -> Field:
    return Field(name or column.key, kind, column)


F = FieldType

INVOICE_FIELDS: tuple[Field, ...] = (
    _field(Invoice.id, F.INTEGER, "invoice_id"),
    _field(Invoice.reference_month, F.TEXT),
    _field(Invoice.distributor, F.TEXT),
    _field(Invoice.client_number, F.TEXT),
    _field(Invoice.installation_number, F.TEXT),
    _field(Invoice.holder_name, F.TEXT),
    _field(Invoice.due_date, F.DATE),
    _field(Invoice.issue_date, F.DATE),
    _field(Invoice.total_amount, F.MONEY),
    _field(Invoice.total_without_gd, F.MONEY),
    _field(Invoice.gd_savings, F.MONEY),
    _field(Invoice.consumption_kwh, F.QUANTITY),
    _field(Invoice.compensated_kwh, F.QUANTITY),
    _field(Invoice.energy_kwh, F.QUANTITY),
    _field(Invoice.scee_kwh, F.QUANTITY),
    _field(Invoice.public_lighting_amount, F.MONEY),
    _field(Invoice.needs_review, F.BOOLEAN),
    _field(Invoice.superseded_at.is_not(None), F.BOOLEAN, "superseded"),
    _field(Invoice.access_key, F.TEXT),
    _field(Invoice.nota_fiscal_number, F.TEXT),
    _field(Invoice.layout, F.TEXT),
    _field(Invoice.collective_account, F.TEXT),
    _field(Invoice.sub_index, F.INTEGER),
    _field(Invoice.document_id, F.INTEGER),
)

ITEM_FIELDS: tuple[Field, ...] = (
    _field(InvoiceItem.invoice_id, F.INTEGER),
    _field(Invoice.reference_month, F.TEXT),
    _field(Invoice.distributor, F.TEXT),
    _field(Invoice.client_number, F.TEXT),
    _field(Invoice.installation_number, F.TEXT),
    _field(InvoiceItem.position, F.INTEGER),
    _field(InvoiceItem.description, F.TEXT),
    _field(InvoiceItem.kind, F.TEXT),
    _field(InvoiceItem.unit, F.TEXT),
    _field(InvoiceItem.quantity, F.QUANTITY),
    _field(InvoiceItem.unit_price, F.QUANTITY),
    _field(InvoiceItem.amount, F.MONEY),
)


def fields_of(kind: ExportKind) -> tuple[Field, ...]:
    return INVOICE_FIELDS if kind is ExportKind.INVOICES else ITEM_FIELDS


def export_query(kind: ExportKind, filters: InvoiceFilters, sort: InvoiceSort | None = None) -> Select[Any]:
    """The rows of an export, in ``sort`` order (then by id, so the order is total), invoices by id by default."""
    fields = fields_of(kind)
    query = select(*(field.column.label(field.name) for field in fields)).where(*filters.conditions())
    order: list[Any] = []
    if sort is not None:
        column = getattr(Invoice, sort.value.lstrip("-"))
        order.append(column.desc() if sort.value.startswith("-") else column.asc())
    order.append(Invoice.id)
    if kind is ExportKind.ITEMS:
        query = query.join(Invoice, InvoiceItem.invoice_id == Invoice.id)
        order.append(InvoiceItem.position)
    return query.order_by(*order)


def export_batches(
    context: ServiceContext,
    kind: ExportKind,
    filters: InvoiceFilters,
    sort: InvoiceSort | None = None,
    batch_size: int = BATCH_SIZE,
) -> Iterator[Sequence[tuple[Any, ...]]]:
    """The export's rows, ``batch_size`` at a time, as tuples in the order of ``fields_of(kind)``."""
    query = export_query(kind, filters, sort).execution_options(yield_per=batch_size)
    with database_errors(), context.uow_factory(read_only=True) as uow:
        result = uow.session.execute(query)
        for partition in result.partitions():
            yield [tuple(row) for row in partition]
