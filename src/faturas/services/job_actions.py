"""Actions on finished jobs: retry a failed one, replace a stored invoice with a conflicting bill."""

from __future__ import annotations

from faturas.db.models import DuplicateReason, Job, JobStatus, utcnow
from faturas.db.unit_of_work import UnitOfWork, database_errors
from faturas.errors import JobStateConflict, NotFound
from faturas.services.accept_upload import enqueue_job
from faturas.services.context import ServiceContext


def retry_job(context: ServiceContext, job_id: str) -> str:
    with database_errors(), context.uow_factory() as uow:
        job = _get(uow, job_id)
        if job.status != JobStatus.FAILED:
            raise JobStateConflict(job_id, job.status, "tentar de novo (só jobs com falha)")
        _requeue(job)
        uow.commit()
    enqueue_job(context, job_id)
    return job_id


def retry_all_failed(context: ServiceContext) -> list[str]:
    with database_errors(), context.uow_factory(read_only=True) as uow:
        job_ids = uow.jobs.ids_with_status(JobStatus.FAILED)
    return [retry_job(context, job_id) for job_id in job_ids]


def replace_job(context: ServiceContext, job_id: str) -> str:
    """Run a conflicting bill again, this time making it the current invoice (the old one is kept)."""
    with database_errors(), context.uow_factory() as uow:
        job = _get(uow, job_id)
        if job.status != JobStatus.DUPLICATE or job.duplicate_reason != DuplicateReason.CONFLICT:
            raise JobStateConflict(job_id, job.status, "substituir (só jobs em conflito com outra fatura)")
        _requeue(job)
        job.replace_requested = True
        uow.commit()
    enqueue_job(context, job_id)
    return job_id


def _get(uow: UnitOfWork, job_id: str) -> Job:
    job = uow.jobs.get(job_id)
    if job is None:
        raise NotFound("Job", job_id)
    return job


def _requeue(job: Job) -> None:
    job.status = JobStatus.QUEUED
    job.attempts = 0
    job.error_code = job.error_message = job.duplicate_reason = None
    job.available_at = utcnow()
    job.finished_at = job.lease_expires_at = None


def queued_job_ids(context: ServiceContext) -> list[str]:
    """Jobs the database holds as queued (for a BullMQ sweep: those missing from Redis are enqueued again)."""
    with database_errors(), context.uow_factory(read_only=True) as uow:
        return uow.jobs.ids_with_status(JobStatus.QUEUED)
