"""Announce changes as outbox events, inside the unit of work that makes the change.

The event row, and a pending delivery for each subscription that wants it, are added to the
same session as the change: they commit with it or roll back with it. Nothing is sent here; the
dispatcher (a worker thread) sends deliveries after the commit.

Payloads carry ids, the distributor, client and installation numbers, the month, the totals and the
derived figures, never the holder's name, CPF or address (nor the uploaded file's name).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from faturas.db.models import Invoice, Job, JobStatus
from faturas.db.models_webhooks import EventType, OutboxEvent, WebhookDelivery, WebhookSubscription
from faturas.db.unit_of_work import UnitOfWork
from faturas.domain.serialization import to_jsonable
from faturas.services.save_invoice import SavedInvoice, SaveOutcome

#: Invoice columns a payload carries (the holder's name is deliberately absent).
INVOICE_FIELDS = (
    "distributor",
    "layout",
    "client_number",
    "installation_number",
    "reference_month",
    "sub_index",
    "collective_account",
    "access_key",
    "nota_fiscal_number",
    "due_date",
    "issue_date",
    "total_amount",
    "energy_kwh",
    "scee_kwh",
    "compensated_kwh",
    "consumption_kwh",
    "public_lighting_amount",
    "total_without_gd",
    "gd_savings",
    "needs_review",
    "warnings",
)


def emit_event(uow: UnitOfWork, event_type: EventType, payload: dict[str, Any]) -> OutboxEvent:
    """Add the event and its deliveries to the unit of work (the caller commits, once)."""
    event = OutboxEvent(id=uuid.uuid4().hex, type=event_type.value, payload=payload)
    uow.session.add(event)
    # Disabled subscriptions get their deliveries too: they wait, and go out once it is enabled again.
    subscriptions = uow.session.scalars(select(WebhookSubscription))
    for subscription in subscriptions:
        if event_type.value in subscription.events:
            uow.session.add(WebhookDelivery(id=uuid.uuid4().hex, event_id=event.id, subscription_id=subscription.id))
    uow.session.flush()
    return event


def announce_job_outcome(uow: UnitOfWork, job: Job, results: list[SavedInvoice]) -> None:
    """Events for a job that saved its invoices: stored / replaced / needs_review, or job.duplicate."""
    for result in results:
        if result.outcome not in (SaveOutcome.CREATED, SaveOutcome.REPLACED):
            continue
        invoice = result.row if result.row is not None else uow.session.get(Invoice, result.invoice_id)
        if invoice is None:
            continue
        payload = invoice_payload(invoice, job)
        if result.outcome is SaveOutcome.REPLACED:
            emit_event(uow, EventType.INVOICE_REPLACED, payload | {"replaced_invoice_id": result.replaced_id})
        else:
            emit_event(uow, EventType.INVOICE_STORED, payload)
        if invoice.needs_review:
            emit_event(uow, EventType.INVOICE_NEEDS_REVIEW, payload)
    if job.status == JobStatus.DUPLICATE:
        emit_event(uow, EventType.JOB_DUPLICATE, job_payload(job))


def announce_job_failed(uow: UnitOfWork, job: Job) -> None:
    emit_event(uow, EventType.JOB_FAILED, job_payload(job))


def invoice_payload(invoice: Invoice, job: Job) -> dict[str, Any]:
    payload: dict[str, Any] = {"invoice_id": invoice.id, "job_id": job.id, "document_id": invoice.document_id}
    payload.update({name: to_jsonable(getattr(invoice, name)) for name in INVOICE_FIELDS})
    return payload


def job_payload(job: Job) -> dict[str, Any]:
    return {
        "job_id": job.id,
        "status": job.status,
        "document_id": job.document_id,
        "document_sha256": job.document.sha256,
        "attempts": job.attempts,
        "error_code": job.error_code,
        "error_message": job.error_message,
        "duplicate_reason": job.duplicate_reason,
        "invoice_ids": list(job.invoice_ids),
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }
