"""The reconciliation every fault test ends with: nothing lost, nothing stored twice, doctor has nothing to say.

- every accepted upload (job id answered with 202) has its job, its document and the document's file;
- every job is in a final state (succeeded, duplicate or failed), and a succeeded one points to invoices;
- one job per document, and no document without a job;
- one current invoice per unit and month, and no access key stored twice;
- ``faturas doctor`` (examine) finds nothing, with no grace period for orphan files.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select

from faturas.db.models import FINISHED_STATUSES, Document, Invoice, Job, JobStatus
from faturas.services.context import ServiceContext
from faturas.services.doctor import examine


@dataclass(frozen=True)
class Reconciliation:
    accepted: int
    documents: int
    jobs: int
    invoices: int
    by_status: dict[str, int]


def reconcile(context: ServiceContext, accepted_job_ids: Iterable[str]) -> Reconciliation:
    accepted = set(accepted_job_ids)
    with context.uow_factory(read_only=True) as uow:
        session = uow.session
        for job_id in sorted(accepted):
            job = uow.jobs.get(job_id)
            assert job is not None, f"accepted job {job_id} is lost"
            assert job.status in FINISHED_STATUSES, f"job {job_id} did not finish: {job.status}"
            assert context.store.exists(job.document.storage_key), f"job {job_id}: its file is gone"
            if job.status == JobStatus.SUCCEEDED:
                assert job.invoice_ids, f"job {job_id} succeeded without an invoice"
                pointed = select(func.count()).select_from(Invoice).where(Invoice.id.in_(job.invoice_ids))
                stored = session.scalar(pointed)
                assert stored == len(job.invoice_ids), f"job {job_id} points to invoices that are not there"
        documents = session.scalar(select(func.count()).select_from(Document)) or 0
        jobs = session.scalar(select(func.count()).select_from(Job)) or 0
        invoices = session.scalar(select(func.count()).select_from(Invoice)) or 0
        by_status = dict(session.execute(select(Job.status, func.count()).group_by(Job.status)).all())
    assert jobs == documents, f"{documents} documents but {jobs} jobs"
    examination = examine(context, orphan_grace=timedelta(0))
    assert examination.findings == [], examination.findings
    return Reconciliation(len(accepted), documents, jobs, invoices, {str(k): int(v) for k, v in by_status.items()})
