"""How the results of saving a bill's invoices become the job's final state and message."""

from __future__ import annotations

from faturas.db.models import DuplicateReason, Job, JobStatus, utcnow
from faturas.db.unit_of_work import UnitOfWork
from faturas.services.save_invoice import SavedInvoice, SaveOutcome
from faturas.services.webhook_events import announce_job_outcome


def record_outcome(uow: UnitOfWork, job: Job, results: list[SavedInvoice]) -> JobStatus:
    outcomes = {result.outcome for result in results}
    job.invoice_ids = [result.invoice_id for result in results]
    job.error_code = None
    job.finished_at, job.lease_expires_at = utcnow(), None
    if SaveOutcome.CONFLICT in outcomes:
        conflicting = [str(r.invoice_id) for r in results if r.outcome is SaveOutcome.CONFLICT]
        job.status, job.duplicate_reason = JobStatus.DUPLICATE, DuplicateReason.CONFLICT
        job.error_message = (
            f"Já existe outra fatura para a mesma instalação e mês (fatura {', '.join(conflicting)}), "
            "com valores diferentes (refaturamento?). Os dois documentos foram guardados; "
            "use “substituir” para tornar esta a fatura atual."
        )
    elif outcomes == {SaveOutcome.SAME_BILL}:
        job.status, job.duplicate_reason = JobStatus.DUPLICATE, DuplicateReason.SAME_BILL
        existing = ", ".join(str(result.invoice_id) for result in results)
        job.error_message = f"Esta fatura já estava armazenada (fatura {existing})."
    else:
        job.status, job.duplicate_reason, job.error_message = JobStatus.SUCCEEDED, None, None
    announce_job_outcome(uow, job, results)  # the outbox: committed with the outcome, or not at all
    uow.session.flush()
    return JobStatus(job.status)
