"""The schema and the worker's sweep query on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import inspect

from faturas.db.engine import make_engine, upgrade_database
from faturas.db.models import Document, Job, JobStatus, utcnow
from faturas.db.unit_of_work import unit_of_work_factory
from faturas.worker.bullmq_worker import unqueued_job_ids


def test_migrations_build_the_schema_on_postgresql_and_match_the_models(fresh_database: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from faturas.db.models import Base

    engine = make_engine(fresh_database)
    try:
        upgrade_database(engine)
        upgrade_database(engine)  # a second upgrade is a no-op
        tables = set(inspect(engine).get_table_names())
        assert {"clients", "consumer_units", "documents", "jobs", "invoices", "invoice_items"} <= tables
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert differences == []
    finally:
        engine.dispose()


def test_the_sweep_takes_due_queued_jobs_and_abandoned_running_ones(fresh_database: str) -> None:
    engine = make_engine(fresh_database)
    try:
        upgrade_database(engine)
        uow_factory = unit_of_work_factory(engine)
        now = utcnow()
        rows = {
            "due": {"status": JobStatus.QUEUED, "available_at": now - timedelta(seconds=1)},
            "backing-off": {"status": JobStatus.QUEUED, "available_at": now + timedelta(minutes=5)},
            "abandoned": {"status": JobStatus.RUNNING, "lease_expires_at": now - timedelta(seconds=1)},
            "leased": {"status": JobStatus.RUNNING, "lease_expires_at": now + timedelta(minutes=5)},
            "done": {"status": JobStatus.SUCCEEDED},
            "failed": {"status": JobStatus.FAILED},
        }
        with uow_factory() as uow:
            for index, (job_id, fields) in enumerate(rows.items()):
                document = Document(
                    sha256=f"{index:064d}", original_name=f"{job_id}.pdf", size_bytes=1, storage_key=job_id
                )
                uow.documents.add(document)
                uow.jobs.add(Job(id=job_id, document_id=document.id, **fields))
            uow.commit()
        assert sorted(unqueued_job_ids(uow_factory)) == ["abandoned", "due"]
    finally:
        engine.dispose()
