"""save_invoice(): store one extracted invoice once, by the duplicate and conflict rules.

- same NF3e access key, or same unit + month + total: the same bill again (``same_bill``);
- a different bill for a unit and month already stored (a rebilling): ``conflict``, unless the job
  asked to replace, in which case the old invoice stays as a superseded version.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import Table, insert

from faturas.db.models import Document, InvoiceItem, utcnow
from faturas.db.models import Invoice as InvoiceRow
from faturas.db.unit_of_work import UnitOfWork
from faturas.domain.invoice import Invoice
from faturas.domain.serialization import invoice_to_dict, to_jsonable
from faturas.errors import FieldsMissing
from faturas.services.find_or_create_client import find_or_create_client, find_or_create_unit


class SaveOutcome(StrEnum):
    CREATED = "created"
    SAME_BILL = "same_bill"
    CONFLICT = "conflict"
    REPLACED = "replaced"


@dataclass(frozen=True)
class SavedInvoice:
    outcome: SaveOutcome
    invoice_id: int
    #: For ``replaced``: the invoice this one superseded.
    replaced_id: int | None = None
    #: For ``created`` and ``replaced``: the new row, so announcing it needs no query (the session's
    #: identity map holds rows only while someone references them).
    row: InvoiceRow | None = field(default=None, compare=False, repr=False)


def invoices_to_store(invoice: Invoice) -> list[tuple[int, Invoice]]:
    """A collective bill is stored as its sub-invoices (numbered from 1); any other bill as itself."""
    if invoice.sub_invoices:
        return list(enumerate(invoice.sub_invoices, start=1))
    return [(0, invoice)]


def save_invoice(
    uow: UnitOfWork,
    document: Document,
    invoice: Invoice,
    *,
    sub_index: int = 0,
    collective_account: str | None = None,
    replace: bool = False,
) -> SavedInvoice:
    installation, reference_month = invoice.installation_number, invoice.reference_month
    if not installation or reference_month is None:
        missing = [name for name in ("installation_number", "reference_month") if not getattr(invoice, name)]
        raise FieldsMissing(missing, invoice.layout)
    if invoice.access_key:
        same = uow.invoices.get_by_access_key(invoice.access_key)
        if same is not None:
            return SavedInvoice(SaveOutcome.SAME_BILL, same.id)
    # Distributors that print only the installation: it is the client's registration number too.
    client_number = invoice.client_number or installation
    client = find_or_create_client(uow, invoice.distributor, client_number, invoice.holder_name)
    unit = find_or_create_unit(uow, client, installation)
    month = str(reference_month)

    current = uow.invoices.get_current(unit.id, month)
    if current is not None and current.document_id == document.id and current.sub_index == sub_index:
        return SavedInvoice(SaveOutcome.CREATED, current.id)  # this job stored it already (a re-run)
    if current is not None and current.total_amount == invoice.total_amount:
        return SavedInvoice(SaveOutcome.SAME_BILL, current.id)
    if current is not None and not replace:
        return SavedInvoice(SaveOutcome.CONFLICT, current.id)
    if current is not None:
        # Supersede first: the partial unique index allows one current invoice per unit and month.
        current.superseded_at = utcnow()
        uow.session.flush()

    row = InvoiceRow(
        consumer_unit_id=unit.id,
        document_id=document.id,
        reference_month=month,
        sub_index=sub_index,
        collective_account=collective_account,
    )
    fill_invoice_fields(row, invoice)
    uow.invoices.add(row)
    # The line items in one multi-row INSERT, not one ORM insert (and round trip) per item.
    if invoice.items:
        uow.session.execute(
            insert(cast(Table, InvoiceItem.__table__)),
            [{"invoice_id": row.id, **item} for item in item_values(invoice)],
        )
    if current is not None:
        current.superseded_by_id = row.id
        return SavedInvoice(SaveOutcome.REPLACED, row.id, replaced_id=current.id, row=row)
    return SavedInvoice(SaveOutcome.CREATED, row.id, row=row)


def fill_invoice_row(row: InvoiceRow, invoice: Invoice) -> None:
    """Copy every extracted field and the line items onto the row (reprocess updates invoices so)."""
    fill_invoice_fields(row, invoice)
    row.items = [InvoiceItem(**item) for item in item_values(invoice)]


def fill_invoice_fields(row: InvoiceRow, invoice: Invoice) -> None:
    """Copy every extracted field, but not the line items, onto the row."""
    row.distributor = invoice.distributor
    row.layout = invoice.layout
    row.client_number = invoice.client_number
    row.installation_number = invoice.installation_number or ""
    row.holder_name = invoice.holder_name
    row.access_key = invoice.access_key
    row.nota_fiscal_number = invoice.nota_fiscal_number
    row.due_date = invoice.due_date
    row.issue_date = invoice.issue_date
    row.total_amount = invoice.total_amount
    row.energy_kwh = invoice.energy_kwh
    row.scee_kwh = invoice.scee_kwh
    row.compensated_kwh = invoice.compensated_kwh
    row.public_lighting_amount = invoice.public_lighting_amount
    row.consumption_kwh = invoice.consumption_kwh
    row.total_without_gd = invoice.total_without_gd
    row.gd_savings = invoice.gd_savings
    row.gd_balance_kwh = invoice.gd_balance_kwh
    row.needs_review = invoice.needs_review
    row.warnings = to_jsonable(invoice.warnings)
    extracted = invoice_to_dict(invoice)
    extracted.pop("sub_invoices", None)
    row.extracted = extracted


def item_values(invoice: Invoice) -> list[dict[str, Any]]:
    """The invoice's line items as invoice_items column values (without the invoice id)."""
    return [
        {
            "position": position,
            "description": item.description,
            "kind": item.kind.value,
            "unit": item.unit,
            "quantity": item.quantity,
            "unit_price": item.unit_price,
            "amount": item.amount,
        }
        for position, item in enumerate(invoice.items)
    ]
