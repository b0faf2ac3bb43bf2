"""Announce changes as outbox events, inside the unit of work that makes the change.

The event row, and a pending delivery for each subscription that wants it, are added to the
same session as the change: they commit with it or roll back with it. Nothing is sent here; the
dispatcher (a worker thread) sends deliveries after the commit.

Payloads carry ids, the distributor, client and installation numbers, the month, the totals and the
derived figures, never the holder's name, CPF or address (nor the uploaded file's name).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, insert, select

from faturas.db.models import Invoice, Job, JobStatus
from faturas.db.models_webhooks import EventType, OutboxEvent, WebhookDelivery, WebhookSubscription
from faturas.db.unit_of_work import UnitOfWork
from faturas.domain.serialization import to_jsonable
from faturas.services.save_invoice import SavedInvoice, SaveOutcome

# Every finished job writes an event: plain statements, built once.
_INSERT_EVENT = insert(cast(Table, OutboxEvent.__table__))
_INSERT_DELIVERIES = insert(cast(Table, WebhookDelivery.__table__))
_SUBSCRIPTION_TABLE = cast(Table, WebhookSubscription.__table__)
_SUBSCRIPTIONS = select(_SUBSCRIPTION_TABLE.c.id, _SUBSCRIPTION_TABLE.c.events)


@dataclass(frozen=True)
class JobFacts:
    """What a job event says of the job, as it is once this transaction commits."""

    id: str
    status: str
    document_id: int
    document_sha256: str
    attempts: int
    error_code: str | None
    error_message: str | None
    duplicate_reason: str | None
    invoice_ids: Sequence[int]
    finished_at: datetime | None

    @classmethod
    def of(cls, job: Job) -> JobFacts:
        return cls(
            job.id,
            job.status,
            job.document_id,
            job.document.sha256,
            job.attempts,
            job.error_code,
            job.error_message,
            job.duplicate_reason,
            list(job.invoice_ids),
            job.finished_at,
        )


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


def emit_event(
    uow: UnitOfWork,
    event_type: EventType,
    payload: dict[str, Any],
    subscriptions: Sequence[tuple[int, list[Any]]] | None = None,
) -> str:
    """Add the event and its deliveries to the unit of work (the caller commits, once); its id.

    ``subscriptions``: (id, event types) of every subscription, when the caller has read them already.
    """
    event_id = uuid.uuid4().hex
    uow.execute_later(_INSERT_EVENT, {"id": event_id, "type": event_type.value, "payload": payload})
    if subscriptions is None:
        subscriptions = list_subscriptions(uow)
    # Disabled subscriptions get their deliveries too: they wait, and go out once it is enabled again.
    deliveries = [
        {"id": uuid.uuid4().hex, "event_id": event_id, "subscription_id": subscription_id}
        for subscription_id, events in subscriptions
        if event_type.value in events
    ]
    if deliveries:
        uow.execute_later(_INSERT_DELIVERIES, deliveries)
    return event_id


def list_subscriptions(uow: UnitOfWork) -> list[tuple[int, list[Any]]]:
    return [(subscription_id, events) for subscription_id, events in uow.session.execute(_SUBSCRIPTIONS)]


def announce_job_outcome(
    uow: UnitOfWork,
    job: JobFacts,
    results: list[SavedInvoice],
    subscriptions: Sequence[tuple[int, list[Any]]] | None = None,
) -> None:
    """Events for a job that saved its invoices: stored / replaced / needs_review, or job.duplicate.

    ``subscriptions``: (id, event types) of every subscription, when the caller has read them already.
    """
    for result in results:
        if result.outcome not in (SaveOutcome.CREATED, SaveOutcome.REPLACED):
            continue
        values = result.values if result.values is not None else _stored_values(uow, result.invoice_id)
        if values is None:
            continue
        subscriptions = subscriptions if subscriptions is not None else list_subscriptions(uow)
        payload = invoice_payload(values, job.id)
        if result.outcome is SaveOutcome.REPLACED:
            replaced = payload | {"replaced_invoice_id": result.replaced_id}
            emit_event(uow, EventType.INVOICE_REPLACED, replaced, subscriptions)
        else:
            emit_event(uow, EventType.INVOICE_STORED, payload, subscriptions)
        if values["needs_review"]:
            emit_event(uow, EventType.INVOICE_NEEDS_REVIEW, payload, subscriptions)
    if job.status == JobStatus.DUPLICATE:
        emit_event(uow, EventType.JOB_DUPLICATE, job_payload(job), subscriptions)


def _stored_values(uow: UnitOfWork, invoice_id: int) -> dict[str, Any] | None:
    """The column values of an invoice stored before (a re-run of the job that created it)."""
    invoice = uow.session.get(Invoice, invoice_id)
    if invoice is None:
        return None
    names = ("id", "document_id", *INVOICE_FIELDS)
    return {name: getattr(invoice, name) for name in names}


def announce_job_failed(uow: UnitOfWork, job: Job) -> None:
    emit_event(uow, EventType.JOB_FAILED, job_payload(JobFacts.of(job)))


def invoice_payload(invoice: Mapping[str, Any], job_id: str) -> dict[str, Any]:
    """``invoice``: the invoice's column values (with its id)."""
    payload: dict[str, Any] = {"invoice_id": invoice["id"], "job_id": job_id, "document_id": invoice["document_id"]}
    payload.update({name: to_jsonable(invoice[name]) for name in INVOICE_FIELDS})
    return payload


def job_payload(job: JobFacts) -> dict[str, Any]:
    return {
        "job_id": job.id,
        "status": job.status,
        "document_id": job.document_id,
        "document_sha256": job.document_sha256,
        "attempts": job.attempts,
        "error_code": job.error_code,
        "error_message": job.error_message,
        "duplicate_reason": job.duplicate_reason,
        "invoice_ids": list(job.invoice_ids),
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }
