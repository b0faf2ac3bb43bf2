"""How the results of saving a bill's invoices become the job's final state and message."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, bindparam, update

from faturas.db.models import DuplicateReason, Job, JobStatus, utcnow
from faturas.db.unit_of_work import UnitOfWork
from faturas.services.save_invoice import SavedInvoice, SaveOutcome
from faturas.services.webhook_events import JobFacts, announce_job_outcome

_JOBS = cast(Table, Job.__table__)
#: Every job ends with this statement, built once (the columns it sets are the parameters' names).
_FINISH = update(_JOBS).where(_JOBS.c.id == bindparam("job_id"))


def outcome_values(results: list[SavedInvoice]) -> dict[str, Any]:
    """The job's columns once its invoices are saved: status, reason, message, invoice ids."""
    outcomes = {result.outcome for result in results}
    values: dict[str, Any] = {
        "invoice_ids": [result.invoice_id for result in results],
        "error_code": None,
        "finished_at": utcnow(),
        "lease_expires_at": None,
    }
    if SaveOutcome.CONFLICT in outcomes:
        conflicting = [str(r.invoice_id) for r in results if r.outcome is SaveOutcome.CONFLICT]
        values["status"], values["duplicate_reason"] = JobStatus.DUPLICATE, DuplicateReason.CONFLICT
        values["error_message"] = (
            f"Já existe outra fatura para a mesma instalação e mês (fatura {', '.join(conflicting)}), "
            "com valores diferentes (refaturamento?). Os dois documentos foram guardados; "
            "use “substituir” para tornar esta a fatura atual."
        )
    elif outcomes == {SaveOutcome.SAME_BILL}:
        values["status"], values["duplicate_reason"] = JobStatus.DUPLICATE, DuplicateReason.SAME_BILL
        existing = ", ".join(str(result.invoice_id) for result in results)
        values["error_message"] = f"Esta fatura já estava armazenada (fatura {existing})."
    else:
        values["status"], values["duplicate_reason"], values["error_message"] = JobStatus.SUCCEEDED, None, None
    return values


def record_outcome(
    uow: UnitOfWork,
    job_id: str,
    document: tuple[int, str],
    attempts: int,
    results: list[SavedInvoice],
    subscriptions: Sequence[tuple[int, list[Any]]] | None = None,
) -> JobFacts:
    """Finish the job (``document``: its id and sha256) and announce it, in the caller's transaction.

    ``subscriptions``: the webhook subscriptions, when the caller has read them already (a batch).
    """
    values = outcome_values(results)
    uow.execute_later(_FINISH, {"job_id": job_id, **values})
    facts = JobFacts(
        job_id,
        values["status"],
        document[0],
        document[1],
        attempts,
        None,
        values["error_message"],
        values["duplicate_reason"],
        values["invoice_ids"],
        values["finished_at"],
    )
    announce_job_outcome(uow, facts, results, subscriptions)  # the outbox: committed with the outcome, or not at all
    return facts
