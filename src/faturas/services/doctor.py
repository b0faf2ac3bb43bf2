"""examine() and repair(): the invariants that say nothing was lost or stored twice, on a live database.

Every accepted upload is a document with its file in the store and exactly one job, and that job is
either finished or on its way (queued where a worker will see it, or running under a live lease). An
invoice exists once per unit and month. Crashes between steps (file stored, row not committed; row
committed, job not enqueued; worker killed mid-job) leave the traces examine() looks for.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from faturas.db.models import Document, Invoice, Job, JobStatus, utcnow
from faturas.db.unit_of_work import database_errors
from faturas.errors import QueueUnavailable, StoredFileMissing
from faturas.services.context import ServiceContext

log = logging.getLogger(__name__)

#: A queued job younger than this may simply not have been enqueued *yet* (the upload is answering).
QUEUE_GRACE = timedelta(minutes=1)


class Check(StrEnum):
    ORPHAN_FILE = "orphan_file"
    MISSING_FILE = "missing_file"
    DOCUMENT_WITHOUT_JOB = "document_without_job"
    STUCK_JOB = "stuck_job"
    UNQUEUED_JOB = "unqueued_job"
    DUPLICATE_INVOICE = "duplicate_invoice"


#: What each check means, as the report says it (pt-BR), in the order the report shows them.
CHECK_TITLES: dict[Check, str] = {
    Check.ORPHAN_FILE: "arquivos no armazenamento sem documento",
    Check.MISSING_FILE: "documentos cujo arquivo sumiu do armazenamento",
    Check.DOCUMENT_WITHOUT_JOB: "documentos sem job",
    Check.STUCK_JOB: "jobs presos em 'running' além do prazo",
    Check.UNQUEUED_JOB: "jobs na fila do banco que faltam no Redis",
    Check.DUPLICATE_INVOICE: "faturas duplicadas (mesma instalação e mês, ou mesma chave de acesso)",
}

#: Checks whose findings repair() can fix without risk; the others need a person.
REPAIRABLE = frozenset({Check.ORPHAN_FILE, Check.DOCUMENT_WITHOUT_JOB, Check.STUCK_JOB, Check.UNQUEUED_JOB})


@dataclass(frozen=True)
class Finding:
    check: Check
    subject: str  # a storage key, a job id, a document id…
    detail: str  # pt-BR

    @property
    def repairable(self) -> bool:
        return self.check in REPAIRABLE


@dataclass
class Examination:
    findings: list[Finding] = field(default_factory=list)
    #: Files younger than the grace period with no document: probably an upload in flight; left alone.
    young_orphans: int = 0

    def of(self, check: Check) -> list[Finding]:
        return [finding for finding in self.findings if finding.check is check]


@dataclass(frozen=True)
class Repair:
    finding: Finding
    done: bool
    detail: str  # pt-BR: what was done, or why not


def examine(context: ServiceContext, orphan_grace: timedelta) -> Examination:
    """Look for every broken invariant; change nothing."""
    result = Examination()
    stored = set(context.store.keys())
    with database_errors(), context.uow_factory(read_only=True) as uow:
        session = uow.session
        documents = dict(session.execute(select(Document.storage_key, Document.id)).all())
        now = utcnow()
        for key in sorted(stored - documents.keys()):
            if _older_than(context, key, now - orphan_grace):
                result.findings.append(Finding(Check.ORPHAN_FILE, key, _orphan_detail(key)))
            else:
                result.young_orphans += 1
        for key, document_id in sorted(documents.items(), key=lambda item: item[1]):
            # Listed before the rows were read: an upload may have stored and committed in between.
            if key not in stored and not context.store.exists(key):
                detail = f"documento {document_id}: o arquivo {key} não está no armazenamento"
                result.findings.append(Finding(Check.MISSING_FILE, str(document_id), detail))
        without_job = select(Document.id).outerjoin(Job, Job.document_id == Document.id).where(Job.id.is_(None))
        for document_id in session.scalars(without_job.order_by(Document.id)):
            result.findings.append(Finding(Check.DOCUMENT_WITHOUT_JOB, str(document_id), "documento sem job"))
        expired = select(Job.id, Job.lease_expires_at).where(
            Job.status == JobStatus.RUNNING, (Job.lease_expires_at < now) | Job.lease_expires_at.is_(None)
        )
        running = list(session.execute(expired.order_by(Job.created_at)))
        queued = list(
            session.scalars(select(Job.id).where(Job.status == JobStatus.QUEUED, Job.available_at < now - QUEUE_GRACE))
        )
        result.findings += _duplicate_invoices(session)
    pending = _pending_probe(context)
    for job_id, lease in running:
        if pending is None or not pending(job_id):
            since = f"prazo vencido em {lease:%Y-%m-%d %H:%M:%S} UTC" if lease else "sem prazo"
            result.findings.append(Finding(Check.STUCK_JOB, job_id, f"em 'running' sem worker vivo ({since})"))
    if pending is not None:
        for job_id in queued:
            if not pending(job_id):
                result.findings.append(Finding(Check.UNQUEUED_JOB, job_id, "na fila do banco, ausente do Redis"))
    return result


def repair(context: ServiceContext, examination: Examination) -> list[Repair]:
    """Fix what is safe to fix: requeue, enqueue, create missing jobs, delete old orphan files."""
    repairs = []
    for finding in examination.findings:
        if not finding.repairable:
            repairs.append(Repair(finding, False, "precisa de análise manual; nada foi alterado"))
            continue
        action = _REPAIRS[finding.check]
        repairs.append(Repair(finding, *action(context, finding.subject)))
    return repairs


def _delete_orphan(context: ServiceContext, key: str) -> tuple[bool, str]:
    with database_errors(), context.uow_factory(read_only=True) as uow:
        claimed = uow.session.scalar(select(Document.id).where(Document.storage_key == key))
    if claimed is not None:  # an upload committed it since the examination
        return False, f"o arquivo agora pertence ao documento {claimed}; mantido"
    context.store.delete(key)
    return True, "arquivo apagado"


def _create_job(context: ServiceContext, document_id: str) -> tuple[bool, str]:
    job = Job(id=uuid.uuid4().hex, status=JobStatus.QUEUED, document_id=int(document_id))
    with database_errors(), context.uow_factory() as uow:
        try:
            uow.jobs.add(job)
            uow.commit()
        except IntegrityError:
            return False, "o documento já ganhou um job; nada a fazer"
    return True, f"job {job.id} criado; {_enqueue_now(context, job.id)}"


def _requeue(context: ServiceContext, job_id: str) -> tuple[bool, str]:
    with database_errors(), context.uow_factory() as uow:
        job = uow.jobs.get(job_id)
        if job is None or job.status != JobStatus.RUNNING:
            return False, "o job já saiu de 'running'; nada a fazer"
        job.status, job.available_at, job.lease_expires_at = JobStatus.QUEUED, utcnow(), None
        uow.commit()
    return True, f"job devolvido à fila; {_enqueue_now(context, job_id)}"


def _enqueue(context: ServiceContext, job_id: str) -> tuple[bool, str]:
    try:
        context.queue.enqueue(job_id)
    except QueueUnavailable as error:
        return False, error.message
    return True, "job enfileirado de novo"


def _enqueue_now(context: ServiceContext, job_id: str) -> str:
    try:
        context.queue.enqueue(job_id)
    except QueueUnavailable:
        return "a fila está indisponível: a varredura dos workers o enfileira quando ela voltar"
    return "enfileirado"


_REPAIRS: dict[Check, Callable[[ServiceContext, str], tuple[bool, str]]] = {
    Check.ORPHAN_FILE: _delete_orphan,
    Check.DOCUMENT_WITHOUT_JOB: _create_job,
    Check.STUCK_JOB: _requeue,
    Check.UNQUEUED_JOB: _enqueue,
}


def _orphan_detail(key: str) -> str:
    if key.rsplit("/", 1)[-1].startswith(".tmp-"):
        return "escrita interrompida: arquivo temporário abandonado"
    return "arquivo sem documento no banco"


def _older_than(context: ServiceContext, key: str, moment: datetime) -> bool:
    try:
        return context.store.modified_at(key) < moment
    except StoredFileMissing:
        return False  # gone since it was listed


def _pending_probe(context: ServiceContext) -> Callable[[str], bool] | None:
    """BullMQ mode: is the job waiting or running in Redis? Embedded mode: None (the table is the queue)."""
    if context.settings.embedded_queue:
        return None
    from faturas.queue.bullmq import BullMQQueue

    queue = context.queue
    return queue.is_pending if isinstance(queue, BullMQQueue) else None


def _duplicate_invoices(session: Session) -> list[Finding]:
    current = Invoice.superseded_at.is_(None)
    findings = []
    by_month = (
        select(Invoice.consumer_unit_id, Invoice.reference_month, func.count())
        .where(current)
        .group_by(Invoice.consumer_unit_id, Invoice.reference_month)
        .having(func.count() > 1)
    )
    for unit_id, month, count in session.execute(by_month):
        detail = f"{count} faturas atuais para a instalação (unidade {unit_id}) no mês {month}"
        findings.append(Finding(Check.DUPLICATE_INVOICE, f"unidade {unit_id} {month}", detail))
    # Sub-invoices of one collective bill may print one key: only keys in several documents count.
    documents = func.count(Invoice.document_id.distinct())
    by_key = (
        select(Invoice.access_key, documents)
        .where(current, Invoice.access_key.is_not(None))
        .group_by(Invoice.access_key)
        .having(documents > 1)
    )
    for access_key, count in session.execute(by_key):
        detail = f"{count} faturas atuais com a mesma chave de acesso"
        findings.append(Finding(Check.DUPLICATE_INVOICE, f"chave {access_key}", detail))
    return findings
