"""Repositories: named look-ups and add-and-flush. They never commit; the service does, once."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import ColumnElement, Table, bindparam, func, or_, select, update
from sqlalchemy.orm import Session, joinedload, selectinload

from faturas.db.models import Client, ConsumerUnit, Document, Invoice, Job, JobStatus, UtcDateTime


class _Repository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _add(self, row: object) -> None:
        self.session.add(row)
        self.session.flush()


class ClientRepository(_Repository):
    def add(self, client: Client) -> None:
        self._add(client)

    def get(self, client_id: int) -> Client | None:
        return self.session.get(Client, client_id)

    def get_by_number(self, distributor: str, client_number: str) -> Client | None:
        query = select(Client).where(Client.distributor == distributor, Client.client_number == client_number)
        return self.session.scalars(query).one_or_none()


class UnitRepository(_Repository):
    def add(self, unit: ConsumerUnit) -> None:
        self._add(unit)

    def get(self, unit_id: int) -> ConsumerUnit | None:
        return self.session.get(ConsumerUnit, unit_id)

    def get_by_installation(self, distributor: str, installation_number: str) -> ConsumerUnit | None:
        query = select(ConsumerUnit).where(
            ConsumerUnit.distributor == distributor, ConsumerUnit.installation_number == installation_number
        )
        return self.session.scalars(query).one_or_none()


class DocumentRepository(_Repository):
    def add(self, document: Document) -> None:
        self._add(document)

    def get(self, document_id: int) -> Document | None:
        return self.session.get(Document, document_id)

    def get_by_sha256(self, sha256: str) -> Document | None:
        return self.session.scalars(select(Document).where(Document.sha256 == sha256)).one_or_none()


class JobRepository(_Repository):
    def add(self, job: Job) -> None:
        self._add(job)

    def get(self, job_id: str) -> Job | None:
        return self.session.get(Job, job_id)

    def get_with_document(self, job_id: str) -> Job | None:
        """The job and its document in one query (a worker needs both)."""
        return self.session.get(Job, job_id, options=[joinedload(Job.document)])

    def get_by_document(self, document_id: int) -> Job | None:
        return self.session.scalars(select(Job).where(Job.document_id == document_id)).one_or_none()

    def ids_with_status(self, *statuses: JobStatus) -> list[str]:
        query = select(Job.id).where(Job.status.in_(statuses)).order_by(Job.created_at)
        return list(self.session.scalars(query))

    def next_claimable_id(self, now: datetime) -> str | None:
        return self.session.scalars(_NEXT_CLAIMABLE, {"now": now}).first()

    def claim_next(self, now: datetime, lease_until: datetime) -> str | None:
        """Take the next claimable job in one conditional UPDATE: its id, or None.

        Of two workers one wins (the loser gets None and looks again); PostgreSQL skips rows another
        transaction is claiming (SKIP LOCKED), SQLite writers are serialized already. The claim
        starts the attempt too (``attempts`` + 1, ``started_at``), so the worker needs no second
        write before it reads the bill (``process_job(..., claimed=True)``).
        """
        return self.session.scalars(_CLAIM_NEXT, {"now": now, "lease_until": lease_until}).first()

    def count_claimable(self, now: datetime, cap: int) -> int:
        """How many jobs could be claimed now, counting up to ``cap`` (a read: no write lock)."""
        return int(self.session.scalar(_COUNT_CLAIMABLE, {"now": now, "cap": cap}) or 0)

    def claim_batch(self, now: datetime, lease_until: datetime, limit: int) -> list[str]:
        """Take up to ``limit`` claimable jobs in one conditional UPDATE, as ``claim_next`` takes one."""
        values = {"now": now, "lease_until": lease_until, "limit": limit}
        return list(self.session.scalars(_CLAIM_BATCH, values))

    def claim_listed(self, job_ids: list[str], now: datetime, lease_until: datetime, max_attempts: int) -> list[str]:
        """Take the listed jobs a queue handed out (BullMQ) in one UPDATE, starting their attempts as
        ``claim_batch`` does: those that may start (MAY_START), in the order listed. The others
        (finished, out of attempts, unknown) are not taken."""
        values = {"job_ids": job_ids, "now": now, "lease_until": lease_until, "max_attempts": max_attempts}
        taken = set(self.session.scalars(_CLAIM_LISTED, values))
        return [job_id for job_id in job_ids if job_id in taken]


def _claimable(now: ColumnElement[datetime]) -> ColumnElement[bool]:
    queued = (_JOBS.c.status == JobStatus.QUEUED) & (_JOBS.c.available_at <= now)
    abandoned = (_JOBS.c.status == JobStatus.RUNNING) & (_JOBS.c.lease_expires_at < now)
    return or_(queued, abandoned)


# The claim statements run in every worker loop: built once (building one costs more than running it),
# on the table rather than the mapped class (no ORM bookkeeping for a statement that loads no object).
_JOBS = cast(Table, Job.__table__)
_NOW = bindparam("now", type_=UtcDateTime())
_NEXT_CLAIMABLE = select(_JOBS.c.id).where(_claimable(_NOW)).order_by(_JOBS.c.available_at, _JOBS.c.created_at).limit(1)
#: What taking a job writes, whether one job or a batch is taken.
_CLAIMED = {
    "status": JobStatus.RUNNING,
    "attempts": _JOBS.c.attempts + 1,
    "started_at": _NOW,
    "lease_expires_at": bindparam("lease_until", type_=UtcDateTime()),
    "updated_at": _NOW,
}
_CLAIM_NEXT = (
    update(_JOBS)
    .where(_JOBS.c.id == _NEXT_CLAIMABLE.with_for_update(skip_locked=True).scalar_subquery(), _claimable(_NOW))
    .values(_CLAIMED)
    .returning(_JOBS.c.id)
)

#: The jobs to take, chosen once: in PostgreSQL a LIMIT subquery inside ``IN`` may be run again for
#: each row it is compared with (and then take more than ``limit`` rows); a CTE is evaluated once.
_PICKED = (
    select(_JOBS.c.id)
    .where(_claimable(_NOW))
    .order_by(_JOBS.c.available_at, _JOBS.c.created_at)
    .limit(bindparam("limit"))
    .with_for_update(skip_locked=True)
    .cte("picked")
)
_CLAIM_BATCH = (
    update(_JOBS).where(_JOBS.c.id.in_(select(_PICKED.c.id)), _claimable(_NOW)).values(_CLAIMED).returning(_JOBS.c.id)
)
#: A job a queue handed out may start: queued, or running with attempts left (its worker died and
#: the queue handed it out again). ``max_attempts``: a bind parameter.
MAY_START = or_(
    _JOBS.c.status == JobStatus.QUEUED,
    (_JOBS.c.status == JobStatus.RUNNING) & (_JOBS.c.attempts < bindparam("max_attempts")),
)
_CLAIM_LISTED = (
    update(_JOBS)
    .where(_JOBS.c.id.in_(bindparam("job_ids", expanding=True)), MAY_START)
    .values(_CLAIMED)
    .returning(_JOBS.c.id)
)
_COUNT_CLAIMABLE = select(func.count()).select_from(
    select(_JOBS.c.id).where(_claimable(_NOW)).limit(bindparam("cap")).subquery()
)


class InvoiceRepository(_Repository):
    def add(self, invoice: Invoice) -> None:
        self._add(invoice)

    def get(self, invoice_id: int) -> Invoice | None:
        query = select(Invoice).where(Invoice.id == invoice_id).options(selectinload(Invoice.items))
        return self.session.scalars(query).one_or_none()

    def get_current(self, unit_id: int, reference_month: str) -> Invoice | None:
        query = select(Invoice).where(
            Invoice.consumer_unit_id == unit_id,
            Invoice.reference_month == reference_month,
            Invoice.superseded_at.is_(None),
        )
        return self.session.scalars(query).one_or_none()

    def get_by_access_key(self, access_key: str) -> Invoice | None:
        query = (
            select(Invoice)
            .where(Invoice.access_key == access_key)
            .order_by(Invoice.superseded_at.is_not(None), Invoice.id)
        )
        return self.session.scalars(query).first()

    def list_for_document(self, document_id: int) -> list[Invoice]:
        query = select(Invoice).where(Invoice.document_id == document_id).order_by(Invoice.sub_index)
        return list(self.session.scalars(query.options(selectinload(Invoice.items))))
