"""accept_upload(): store each file, record a document and a job, enqueue after the commit.

Nothing is parsed here: the request only checks that the bytes look like a PDF or a bill image (JPG, PNG,
WebP) of acceptable size.
The same file again (same sha256) creates nothing and answers with the job that already exists.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from dataclasses import dataclass, replace
from typing import Any, cast

from sqlalchemy import Insert, Table, bindparam, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from faturas.db.models import Document, Job, JobStatus, utcnow
from faturas.db.models_auth import AuditAction
from faturas.db.unit_of_work import UnitOfWork, database_errors
from faturas.errors import (
    EncryptedPdf,
    FaturasError,
    NoFilesUploaded,
    QueueUnavailable,
    StorageUnavailable,
    UploadTooLarge,
)
from faturas.extraction.image.formats import check_is_bill_file
from faturas.observability import job_metrics, log_context
from faturas.services.audit import Actor, add_entry, record
from faturas.services.context import ServiceContext
from faturas.services.file_names import display_name

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes
    password: str | None = None


@dataclass(frozen=True)
class AcceptedUpload:
    name: str
    job_id: str
    document_id: int
    status: JobStatus
    #: True when the same file had been uploaded before: no new document or job was created.
    existing: bool


def storage_key(sha256: str) -> str:
    return f"documents/{sha256[:2]}/{sha256}.pdf"


def check_upload(upload: Upload, max_bytes: int) -> None:
    """Refuse what is plainly not a bill upload (empty, too large, neither PDF nor image) before storing it."""
    if len(upload.data) > max_bytes:
        raise UploadTooLarge(upload.name, max_bytes)
    check_is_bill_file(upload.data)


def accept_upload(context: ServiceContext, uploads: list[Upload], actor: Actor | None = None) -> list[AcceptedUpload]:
    """Store the files; ``actor``: record the upload in the audit log, in the last file's transaction
    when that file is new (its own transaction otherwise), once every file is accepted."""
    # Names are what clients chose: shown to people, never used as paths. Keep only what is safe to show.
    uploads = [replace(upload, name=display_name(upload.name, n)) for n, upload in enumerate(uploads, start=1)]
    try:
        if not uploads:
            raise NoFilesUploaded()
        for upload in uploads:
            check_upload(upload, context.settings.max_upload_bytes)
    except FaturasError as error:
        job_metrics.upload_refused(error.code)
        raise
    accepted: list[AcceptedUpload] = []
    stored: set[str] = set()  # the keys put in the store already by _accept_together
    if len(uploads) > 1:
        together = _accept_together(context, uploads, actor, stored)
        if together is not None:
            return together
    try:
        for index, upload in enumerate(uploads, start=1):
            audit = actor if index == len(uploads) else None
            item = _accept_one(context, upload, audit, [known.document_id for known in accepted], stored)
            accepted.append(item)
            job_metrics.upload_accepted(existing=item.existing)
        if actor is not None and accepted[-1].existing:  # no transaction of ours to ride along in
            record(context.uow_factory, actor, AuditAction.UPLOAD, "document", [a.document_id for a in accepted])
    finally:
        # Only after the commit: a worker must never see a job whose row is not there yet. Files
        # committed before a later one failed (say, the store filled up) are enqueued all the same.
        enqueue_new_jobs(context, [item.job_id for item in accepted if not item.existing])
    return accepted


def _accept_together(
    context: ServiceContext, uploads: list[Upload], actor: Actor | None, stored: set[str]
) -> list[AcceptedUpload] | None:
    """Several files of one request in one transaction: their documents in one INSERT, their jobs in
    another, the audit entry with them (per file, fewer statements and one commit instead of one each).

    None when a file cannot be stored (a full store, say): the files then go one by one, so those
    stored before it are kept (``stored``: their keys, not written again) and the error is the one a
    single file would get.
    """
    hashes = [hashlib.sha256(upload.data).hexdigest() for upload in uploads]
    try:
        for upload, sha256 in zip(uploads, hashes, strict=True):
            if storage_key(sha256) not in stored:
                context.store.put(storage_key(sha256), upload.data)  # before the rows, as for one file
                stored.add(storage_key(sha256))
    except StorageUnavailable:
        return None
    documents = [
        {
            "sha256": sha256,
            "original_name": upload.name[:255],
            "size_bytes": len(upload.data),
            "storage_key": storage_key(sha256),
            "password": upload.password,
        }
        for upload, sha256 in zip(uploads, hashes, strict=True)
    ]
    with database_errors(), context.uow_factory() as uow:
        inserted = {
            sha256: document_id
            for document_id, sha256 in uow.session.execute(_insert_documents(uow), _first_of_each(documents))
        }
        jobs = {sha256: uuid.uuid4().hex for sha256 in inserted}
        if jobs:
            rows = [
                {"id": job_id, "document_id": inserted[sha256], "status": JobStatus.QUEUED}
                for sha256, job_id in jobs.items()
            ]
            uow.session.execute(_INSERT_JOB, rows)
        known = {}
        if len(inserted) < len(set(hashes)):  # files stored before: their documents and jobs as they are
            known = {
                row.sha256: row for row in uow.session.execute(_KNOWN, {"hashes": sorted(set(hashes) - set(inserted))})
            }
        accepted: list[AcceptedUpload] = []
        answered: set[str] = set()
        for upload, sha256 in zip(uploads, hashes, strict=True):
            if sha256 in inserted and sha256 not in answered:
                item = AcceptedUpload(upload.name, jobs[sha256], inserted[sha256], JobStatus.QUEUED, existing=False)
            elif sha256 in inserted:  # the same file twice in one request: the second is the first's job
                item = AcceptedUpload(upload.name, jobs[sha256], inserted[sha256], JobStatus.QUEUED, existing=True)
            elif sha256 in known:
                row = known[sha256]
                item = AcceptedUpload(upload.name, row.job_id, row.document_id, JobStatus(row.status), existing=True)
            else:
                raise LookupError(f"document {sha256} neither inserted nor found with its job")
            answered.add(sha256)
            accepted.append(item)
        if actor is not None:
            add_entry(uow, actor, AuditAction.UPLOAD, "document", [item.document_id for item in accepted])
        uow.commit()
    enqueue_new_jobs(context, list(jobs.values()))  # only after the commit, as for one file
    for index, (item, upload, sha256) in enumerate(zip(accepted, uploads, hashes, strict=True)):
        with log_context.bound(document=log_context.document_label(sha256), job_id=item.job_id):
            log.info("upload %s (%d bytes)", "already stored" if item.existing else "accepted", len(upload.data))
        job_metrics.upload_accepted(existing=item.existing)
        if item.existing and sha256 in known:
            accepted[index] = _retry_with_password(context, item, upload.password)
    return accepted


def _first_of_each(documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per file content (the same file twice in a request is one document)."""
    seen: dict[str, dict[str, Any]] = {}
    for document in documents:
        seen.setdefault(document["sha256"], document)
    return list(seen.values())


def _accept_one(
    context: ServiceContext, upload: Upload, audit: Actor | None, earlier_ids: list[int], stored: set[str]
) -> AcceptedUpload:
    sha256 = hashlib.sha256(upload.data).hexdigest()
    with log_context.bound(document=log_context.document_label(sha256)):
        accepted = _store(context, upload, sha256, audit, earlier_ids, key_stored=storage_key(sha256) in stored)
        # The file name is not logged: people name bills after their holder. The document id is enough.
        with log_context.bound(job_id=accepted.job_id):
            log.info("upload %s (%d bytes)", "already stored" if accepted.existing else "accepted", len(upload.data))
    return accepted


def _store(
    context: ServiceContext,
    upload: Upload,
    sha256: str,
    audit: Actor | None,
    earlier_ids: list[int],
    *,
    key_stored: bool = False,
) -> AcceptedUpload:
    key = storage_key(sha256)
    with database_errors():
        # Stored before the row is committed (content-addressed, so a repeat write is harmless):
        # a committed document always has its file. A new file (the usual case) costs one
        # transaction; the same file again is told by the unique hash, and answered from its rows.
        try:
            if not key_stored:
                context.store.put(key, upload.data)
        except StorageUnavailable:
            # A full (or unreachable) store still answers a file it holds already with its job.
            known = _existing(context, upload.name, sha256)
            if known is None:
                raise
            return _retry_with_password(context, known, upload.password)
        job_id = uuid.uuid4().hex
        with context.uow_factory() as uow:
            document = {
                "sha256": sha256,
                "original_name": upload.name[:255],
                "size_bytes": len(upload.data),
                "storage_key": key,
                "password": upload.password,
            }
            # Core statements on the session's connection: the ORM session's execute() costs more than
            # these plain statements themselves (nothing is pending in this fresh session to flush).
            connection = uow.session.connection()
            document_id = connection.scalar(_insert_document(connection.dialect.name), document)
            if document_id is not None:
                connection.execute(_INSERT_JOB, {"id": job_id, "document_id": document_id, "status": JobStatus.QUEUED})
                if audit is not None:
                    add_entry(uow, audit, AuditAction.UPLOAD, "document", [*earlier_ids, document_id])
                uow.commit()
                return AcceptedUpload(upload.name, job_id, document_id, JobStatus.QUEUED, existing=False)
        existing = _existing(context, upload.name, sha256)
        if existing is None:
            # The same file's document is there, its job is not (it would have been committed with it).
            raise LookupError(f"document {sha256} neither inserted nor found with its job")
        return _retry_with_password(context, existing, upload.password)


_DOCUMENTS = cast(Table, Document.__table__)
#: Every upload runs these: built once (building a statement costs more CPU than running it).
_INSERT_DOCUMENTS: dict[str, Insert] = {
    dialect: module.insert(_DOCUMENTS).on_conflict_do_nothing().returning(_DOCUMENTS.c.id)
    for dialect, module in (("postgresql", postgresql), ("sqlite", sqlite))
}
_INSERT_JOB = insert(cast(Table, Job.__table__))
#: Several files of one request: the documents in one INSERT, each new one's id with its hash.
_INSERT_MANY_DOCUMENTS: dict[str, Insert] = {
    dialect: module.insert(_DOCUMENTS).on_conflict_do_nothing().returning(_DOCUMENTS.c.id, _DOCUMENTS.c.sha256)
    for dialect, module in (("postgresql", postgresql), ("sqlite", sqlite))
}
_JOBS = cast(Table, Job.__table__)
#: The documents (with their jobs) of files stored before, by hash.
_KNOWN = (
    select(_DOCUMENTS.c.sha256, _DOCUMENTS.c.id.label("document_id"), _JOBS.c.id.label("job_id"), _JOBS.c.status)
    .join(_JOBS, _JOBS.c.document_id == _DOCUMENTS.c.id)
    .where(_DOCUMENTS.c.sha256.in_(bindparam("hashes", expanding=True)))
)


def _insert_document(dialect: str) -> Insert:
    """INSERT … ON CONFLICT DO NOTHING RETURNING id: no id back when the same file is stored already."""
    return _INSERT_DOCUMENTS["postgresql" if dialect == "postgresql" else "sqlite"]


def _insert_documents(uow: UnitOfWork) -> Insert:
    dialect = uow.session.get_bind().dialect.name
    return _INSERT_MANY_DOCUMENTS["postgresql" if dialect == "postgresql" else "sqlite"]


def _existing(context: ServiceContext, name: str, sha256: str) -> AcceptedUpload | None:
    with context.uow_factory(read_only=True) as uow:
        document = uow.documents.get_by_sha256(sha256)
        job = uow.jobs.get_by_document(document.id) if document is not None else None
        if document is None or job is None:
            return None
        return AcceptedUpload(name, job.id, document.id, JobStatus(job.status), existing=True)


def _retry_with_password(context: ServiceContext, existing: AcceptedUpload, password: str | None) -> AcceptedUpload:
    """The same locked file sent again with a password, after it failed for want of one: read it again."""
    if password is None or existing.status != JobStatus.FAILED:
        return existing
    with context.uow_factory() as uow:
        job = uow.jobs.get(existing.job_id)
        if job is None or job.status != JobStatus.FAILED or job.error_code != EncryptedPdf.code:
            return existing
        job.document.password = password
        job.status, job.attempts, job.error_code, job.error_message = JobStatus.QUEUED, 0, None, None
        job.available_at, job.finished_at, job.lease_expires_at = utcnow(), None, None
        uow.commit()
    enqueue_job(context, existing.job_id)
    return replace(existing, status=JobStatus.QUEUED)


def enqueue_new_jobs(context: ServiceContext, job_ids: list[str]) -> None:
    """Hand jobs just inserted to the queue, together, without waiting for it (BullMQ: a round trip to
    Redis, which then carries the jobs of every upload meanwhile); if the queue is down they stay
    queued for the sweep."""
    if job_ids:
        context.queue.enqueue_new_soon(job_ids)


def enqueue_job(context: ServiceContext, job_id: str) -> None:
    """Hand a committed job to the queue; if the queue is down the job stays queued for the sweep."""
    try:
        context.queue.enqueue(job_id)
    except QueueUnavailable as error:
        # The row stays queued and the next sweep enqueues it: the upload is accepted all the same.
        log.warning("job %s not enqueued yet: %s", job_id, error.message)
