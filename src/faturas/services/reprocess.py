"""reprocess(): read stored documents again (after a template improves) and update their invoices in place."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select

from faturas.db.models import Document, Invoice
from faturas.db.unit_of_work import database_errors
from faturas.errors import FaturasError
from faturas.services.context import ServiceContext
from faturas.services.extract_document import Extractor, extract_document
from faturas.services.save_invoice import fill_invoice_row, invoices_to_store


@dataclass
class Reprocessed:
    document_id: int
    name: str
    #: invoice id -> {field: (before, after)}; empty when nothing changed.
    changes: dict[int, dict[str, tuple[Any, Any]]] = field(default_factory=dict)
    error: str | None = None

    @property
    def changed(self) -> bool:
        return any(self.changes.values())


def documents_to_reprocess(context: ServiceContext, distributor: str | None, since: date | None) -> list[int]:
    """Documents that produced current invoices, optionally of one distributor or uploaded since a day."""
    query = select(Document.id).join(Invoice, Invoice.document_id == Document.id).where(Invoice.superseded_at.is_(None))
    if distributor is not None:
        query = query.where(func.upper(Invoice.distributor) == distributor.upper())
    if since is not None:
        query = query.where(Document.created_at >= datetime(since.year, since.month, since.day, tzinfo=UTC))
    with database_errors(), context.uow_factory(read_only=True) as uow:
        return sorted(set(uow.session.scalars(query)))


def reprocess_document(
    context: ServiceContext, document_id: int, extractor: Extractor = extract_document
) -> Reprocessed:
    with database_errors(), context.uow_factory() as uow:
        document = uow.documents.get(document_id)
        if document is None:
            return Reprocessed(document_id, "?", error="documento não encontrado")
        result = Reprocessed(document_id, document.original_name)
        try:
            data = context.store.get(document.storage_key)
            extraction = extractor(data, document.password, context.settings.max_pages)
        except FaturasError as error:
            result.error = error.message  # the stored invoices stay as they are
            return result
        stored = {row.sub_index: row for row in uow.invoices.list_for_document(document_id)}
        for sub_index, invoice in invoices_to_store(extraction.invoice):
            row = stored.get(sub_index)
            if row is None or row.superseded_at is not None:
                continue
            if (invoice.installation_number, str(invoice.reference_month)) != (
                row.installation_number,
                row.reference_month,
            ):
                result.error = (
                    f"a fatura {row.id} agora é lida como instalação {invoice.installation_number}, "
                    f"mês {invoice.reference_month}: não foi alterada (revise manualmente)"
                )
                continue
            before = dict(row.extracted)
            fill_invoice_row(row, invoice)
            result.changes[row.id] = _differences(before, row.extracted)
        uow.commit()
        return result


def _differences(before: dict[str, Any], after: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {
        key: (before.get(key), after.get(key))
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }
