"""The database work of one processed job is pinned: a new query per job is a conscious choice, not a drift.

A worker's throughput is bounded by its round trips and ORM work per job as much as by parsing, so
the number of statements and commits each job costs is a specification, counted on SQLite and
PostgreSQL alike (transaction control statements aside: SQLite's BEGIN is a statement, PostgreSQL's
is implicit).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import Connection, event

from faturas.db.models import JobStatus, utcnow
from faturas.services.accept_upload import Upload, accept_upload
from faturas.services.context import ServiceContext
from faturas.services.process_job import process_job
from tests.ingest_support import ContextFactory, fake_extract, fake_pdf


@dataclass
class Tally:
    statements: list[str] = field(default_factory=list)
    commits: int = 0

    def verbs(self) -> list[str]:
        return [" ".join(statement.split()[:3]) for statement in self.statements]


@contextmanager
def counted(context: ServiceContext) -> Iterator[Tally]:
    tally = Tally()

    def on_execute(_conn: Connection, _cursor: object, statement: str, *_args: object) -> None:
        if statement.split()[0].upper() not in ("BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT"):
            tally.statements.append(statement)

    def on_commit(_conn: Connection) -> None:
        tally.commits += 1

    event.listen(context.engine, "before_cursor_execute", on_execute)
    event.listen(context.engine, "commit", on_commit)
    try:
        yield tally
    finally:
        event.remove(context.engine, "before_cursor_execute", on_execute)
        event.remove(context.engine, "commit", on_commit)


def upload(context: ServiceContext, **fields: str) -> str:
    return accept_upload(context, [Upload("bill.pdf", fake_pdf(**fields))])[0].job_id


def test_a_bill_of_a_new_client_costs_eleven_statements_and_two_commits(make_context: ContextFactory) -> None:
    context = make_context()
    job_id = upload(context, client="7201", installation="3201", month="2024-03", access_key="3124" * 11)
    with counted(context) as tally:
        assert process_job(context, job_id, fake_extract) == JobStatus.SUCCEEDED
    assert sorted(tally.verbs()) == sorted(
        [
            # begin: mark it running, if it may run, reading its document's key in the same statement
            "UPDATE jobs SET",
            # save: the job again (another worker may have finished it), the page count
            "SELECT jobs.status, jobs.replace_requested,",
            "UPDATE documents SET",
            # one look-up (ids, no row loaded as an object): the invoice of the same NF3e key, the
            # client, the unit and its current invoice of the month
            "SELECT (SELECT invoices.id",
            # the client and the unit not found: one INSERT … ON CONFLICT DO NOTHING each
            "INSERT INTO clients",
            "INSERT INTO consumer_units",
            # the new invoice, all its items in one INSERT
            "INSERT INTO invoices",
            "INSERT INTO invoice_items",
            # the outcome, and its webhook event with a delivery per subscription
            "UPDATE jobs SET",
            "INSERT INTO outbox_events",
            "SELECT webhook_subscriptions.id, webhook_subscriptions.events",
        ]
    )
    assert tally.commits == 2


def test_a_bill_of_a_known_client_and_unit_costs_two_statements_less(make_context: ContextFactory) -> None:
    context = make_context()
    process_job(context, upload(context, client="7202", installation="3202", month="2024-03"), fake_extract)
    job_id = upload(context, client="7202", installation="3202", month="2024-04")
    with counted(context) as tally:
        assert process_job(context, job_id, fake_extract) == JobStatus.SUCCEEDED
    verbs = tally.verbs()
    assert not [verb for verb in verbs if verb.startswith(("INSERT INTO clients", "INSERT INTO consumer_units"))]
    assert len(verbs) == 9
    assert tally.commits == 2


def test_the_items_of_an_invoice_are_inserted_in_one_statement(make_context: ContextFactory) -> None:
    context = make_context()
    job_id = upload(context, client="7203", installation="3203", month="2024-03")
    with counted(context) as tally:
        process_job(context, job_id, fake_extract)
    assert [verb for verb in tally.verbs() if verb.startswith("INSERT INTO invoice_items")] == [
        "INSERT INTO invoice_items"
    ]


def claim(context: ServiceContext, job_id: str) -> None:
    """What the embedded worker does: the conditional UPDATE that takes the job and starts its attempt."""
    now = utcnow()
    with context.uow_factory() as uow:
        assert uow.jobs.claim_next(now, now + timedelta(seconds=60)) == job_id
        uow.commit()


def test_a_job_claimed_by_the_embedded_worker_begins_with_a_read_and_commits_once(
    make_context: ContextFactory,
) -> None:
    context = make_context()
    job_id = upload(context, client="7204", installation="3204", month="2024-03")
    claim(context, job_id)
    with counted(context) as tally:
        assert process_job(context, job_id, fake_extract, claimed=True) == JobStatus.SUCCEEDED
    assert tally.verbs().count("UPDATE jobs SET") == 1  # the outcome; the claim started the job
    assert len(tally.verbs()) == 11  # an unclaimed job of a new client too: its begin is one UPDATE
    assert tally.commits == 1
    with context.uow_factory() as uow:
        job = uow.jobs.get(job_id)
        assert job is not None and job.attempts == 1 and job.started_at is not None


def test_a_claimed_job_whose_worker_died_on_every_attempt_fails_as_interrupted(make_context: ContextFactory) -> None:
    context = make_context(job_max_attempts=2)
    job_id = upload(context, client="7205", installation="3205", month="2024-03")
    for _ in range(2):  # two workers took it and died (their leases then expired)
        claim(context, job_id)
        with context.uow_factory() as uow:
            job = uow.jobs.get(job_id)
            assert job is not None
            job.lease_expires_at = utcnow() - timedelta(seconds=1)
            uow.commit()
    claim(context, job_id)
    assert process_job(context, job_id, fake_extract, claimed=True) == JobStatus.FAILED
    with context.uow_factory() as uow:
        job = uow.jobs.get(job_id)
        assert job is not None
        assert (job.error_code, job.attempts) == ("interrupted", 2)
        assert job.error_message == "O processamento foi interrompido 2 vezes; desistimos desta fatura."


def test_a_job_begun_without_a_claim_starts_only_when_it_may(make_context: ContextFactory) -> None:
    """process_job's begin is one conditional UPDATE: a finished job is left as it is, a running one
    whose worker died starts again while attempts remain, then fails as interrupted."""
    context = make_context(job_max_attempts=2)
    done = upload(context, client="7206", installation="3206", month="2024-03")
    assert process_job(context, done, fake_extract) == JobStatus.SUCCEEDED
    with counted(context) as tally:
        assert process_job(context, done, fake_extract) == JobStatus.SUCCEEDED
    assert tally.verbs() == ["UPDATE jobs SET", "SELECT jobs.status, jobs.attempts,"]  # not started: read
    assert tally.commits == 0

    dying = upload(context, client="7207", installation="3207", month="2024-03")
    with context.uow_factory() as uow:  # a worker began it and died (BullMQ hands it out again)
        job = uow.jobs.get(dying)
        assert job is not None
        job.status, job.attempts = JobStatus.RUNNING, 1
        uow.commit()
    with counted(context) as tally:
        assert process_job(context, dying, fake_extract) == JobStatus.SUCCEEDED
    assert tally.verbs()[0] == "UPDATE jobs SET" and "SELECT jobs.status, jobs.attempts," not in tally.verbs()
    with context.uow_factory() as uow:
        job = uow.jobs.get(dying)
        assert job is not None and (job.status, job.attempts) == (JobStatus.SUCCEEDED, 2)
        job.status, job.attempts = JobStatus.RUNNING, 2  # died again, on its last attempt
        uow.commit()
    assert process_job(context, dying, fake_extract) == JobStatus.FAILED
    with context.uow_factory() as uow:
        job = uow.jobs.get(dying)
        assert job is not None and (job.status, job.error_code, job.attempts) == (JobStatus.FAILED, "interrupted", 2)
