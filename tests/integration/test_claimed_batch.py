"""Jobs the embedded worker claims together: one claim, one read and one commit for them all, same outcomes."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import text

from faturas.db.models import JobStatus, utcnow
from faturas.services.context import ServiceContext
from faturas.services.process_job import process_claimed_jobs, process_job
from faturas.worker.embedded import CLAIM_BATCH, EmbeddedWorker
from tests.ingest_support import ContextFactory, fake_extract
from tests.integration.test_job_statements import counted, upload


def claim_batch(context: ServiceContext, limit: int) -> list[str]:
    now = utcnow()
    with context.uow_factory() as uow:
        job_ids = uow.jobs.claim_batch(now, now + timedelta(seconds=60), limit)
        uow.commit()
    return job_ids


def job_state(context: ServiceContext, job_id: str) -> tuple[JobStatus, str | None, int]:
    with context.uow_factory() as uow:
        job = uow.jobs.get(job_id)
        assert job is not None
        return JobStatus(job.status), job.error_code, job.attempts


def test_jobs_claimed_together_are_read_once_and_saved_in_one_commit(make_context: ContextFactory) -> None:
    context = make_context()
    uploaded = [upload(context, client=f"73{n}", installation=f"33{n}", month="2024-03") for n in range(4)]
    claimed = claim_batch(context, 4)
    assert sorted(claimed) == sorted(uploaded)
    with counted(context) as tally:
        statuses = process_claimed_jobs(context, claimed, fake_extract)
    assert statuses == dict.fromkeys(claimed, JobStatus.SUCCEEDED)
    verbs = tally.verbs()
    # Once for all: the jobs to read, the jobs to save, the webhook subscriptions, the clients and
    # the units the bills name (none known: no current invoice to look up), the new clients and the
    # new units (one multi-row INSERT each), the ids of the new invoices; one executemany each for
    # the four invoices, their items, page counts, outcomes and events. Nothing per bill (a job
    # claimed alone costs 13: see test_job_statements).
    assert verbs.count("SELECT webhook_subscriptions.id, webhook_subscriptions.events") == 1
    assert verbs.count("INSERT INTO outbox_events") == 1
    assert verbs.count("INSERT INTO clients") == 1
    assert verbs.count("INSERT INTO invoices") == 1
    assert len(verbs) == 5 + 2 + 1 + 5
    assert tally.commits == 1
    assert all(job_state(context, job_id)[2] == 1 for job_id in claimed)


def test_a_batch_meets_what_is_stored_already_as_jobs_one_by_one_do(make_context: ContextFactory) -> None:
    """The batch reads its clients, units and current invoices at once (units and current invoices in
    one query): the duplicate and conflict rules still see what was stored before it, and what the
    batch itself stores."""
    context = make_context()
    first = upload(context, client="7601", installation="3601", month="2024-03", access_key="3176" * 11)
    assert process_job(context, first, fake_extract) == JobStatus.SUCCEEDED
    jobs = {
        "same key": upload(
            context, client="7601", installation="3601", month="2024-03", access_key="3176" * 11, note="2"
        ),
        "rebilled": upload(context, client="7601", installation="3601", month="2024-03", total="150.00"),
        "next month": upload(context, client="7601", installation="3601", month="2024-04"),
        "new unit": upload(context, client="7601", installation="3602", month="2024-04"),
        "scanned again": upload(context, client="7601", installation="3601", month="2024-04", note="scan"),
    }
    claimed = claim_batch(context, 5)
    assert sorted(claimed) == sorted(jobs.values())
    with counted(context) as tally:
        statuses = process_claimed_jobs(context, claimed, fake_extract)
    assert tally.commits == 1  # saved together, not one by one after a failure
    reads = [verb for verb in tally.verbs() if verb.startswith("SELECT")]
    # the jobs (to read, to save), the subscriptions, the invoices of the NF3e keys, the clients, the
    # units with their current invoices of the months (one query), the ids of the new invoices
    assert len(reads) == 7
    assert reads.count("SELECT consumer_units.id AS") == 1
    assert {name: statuses[job_id] for name, job_id in jobs.items()} == {
        "same key": JobStatus.DUPLICATE,
        "rebilled": JobStatus.DUPLICATE,
        "next month": JobStatus.SUCCEEDED,
        "new unit": JobStatus.SUCCEEDED,
        "scanned again": JobStatus.DUPLICATE,
    }
    with context.uow_factory(read_only=True) as uow:
        reasons = {name: uow.jobs.get(job_id).duplicate_reason for name, job_id in jobs.items()}  # type: ignore[union-attr]
        counts = {
            table: uow.session.scalar(text(f"SELECT count(*) FROM {table}"))
            for table in ("clients", "consumer_units", "invoices")
        }
    assert reasons["rebilled"] == "conflict"
    assert reasons["same key"] == reasons["scanned again"] == "same_bill"
    assert counts == {"clients": 1, "consumer_units": 2, "invoices": 3}


def test_when_saving_together_fails_each_job_is_saved_on_its_own(make_context: ContextFactory) -> None:
    context = make_context()
    good = [upload(context, client=f"74{n}", installation=f"34{n}", month="2024-03") for n in range(2)]
    bad = upload(context, client="7499", installation="", month="2024-03")  # no installation: refused when saved
    claimed = claim_batch(context, 3)
    statuses = process_claimed_jobs(context, claimed, fake_extract)
    assert statuses == {good[0]: JobStatus.SUCCEEDED, good[1]: JobStatus.SUCCEEDED, bad: JobStatus.FAILED}
    assert job_state(context, bad)[:2] == (JobStatus.FAILED, "fields_missing")


def test_the_same_bill_twice_in_one_batch_is_stored_once(make_context: ContextFactory) -> None:
    context = make_context()
    first = upload(context, client="7501", installation="3501", month="2024-03")
    again = upload(context, client="7501", installation="3501", month="2024-03", note="another scan")
    statuses = process_claimed_jobs(context, claim_batch(context, 2), fake_extract)
    assert sorted(statuses.values()) == sorted([JobStatus.SUCCEEDED, JobStatus.DUPLICATE])
    assert {first, again} == set(statuses)


def test_a_batch_replaces_an_invoice_it_stored_itself(make_context: ContextFactory) -> None:
    """The batch writes its invoices at the end: one it stored is written before another supersedes it."""
    context = make_context()
    first = upload(context, client="7801", installation="3801", month="2024-03")
    rebilled = upload(context, client="7801", installation="3801", month="2024-03", total="150.00")
    with context.uow_factory() as uow:
        job = uow.jobs.get(rebilled)
        assert job is not None
        job.replace_requested = True
        uow.commit()
    assert sorted(claim_batch(context, 2)) == sorted([first, rebilled])
    with counted(context) as tally:
        statuses = process_claimed_jobs(context, [first, rebilled], fake_extract)
    assert tally.commits == 1  # saved together, not one by one after a failure
    assert statuses == {first: JobStatus.SUCCEEDED, rebilled: JobStatus.SUCCEEDED}
    with context.uow_factory(read_only=True) as uow:
        old_id, new_id = (uow.jobs.get(job_id).invoice_ids[0] for job_id in (first, rebilled))  # type: ignore[union-attr]
        old, new = uow.invoices.get(old_id), uow.invoices.get(new_id)
        assert old is not None and new is not None
        assert (old.superseded_by_id, old.superseded_at is not None) == (new_id, True)
        assert (new.superseded_by_id, new.superseded_at, new.total_amount) == (None, None, Decimal("150.00"))


def test_invoices_saved_together_take_new_ids_and_jobs_alone_go_on_after_them(make_context: ContextFactory) -> None:
    """A batch takes its invoices' ids before writing them (after the highest, or from PostgreSQL's
    sequence): each job, its invoice and its items agree, and a job saved alone later takes another id."""
    context = make_context()
    before = upload(context, client="7901", installation="3900", month="2024-03")
    assert process_job(context, before, fake_extract) == JobStatus.SUCCEEDED
    batch = [upload(context, client=f"79{n}", installation=f"39{n}", month="2024-03") for n in range(1, 4)]
    assert process_claimed_jobs(context, claim_batch(context, 3), fake_extract) == dict.fromkeys(
        batch, JobStatus.SUCCEEDED
    )
    after = upload(context, client="7999", installation="3999", month="2024-03")
    assert process_job(context, after, fake_extract) == JobStatus.SUCCEEDED
    with context.uow_factory(read_only=True) as uow:
        ids = {}
        for job_id in [before, *batch, after]:
            job = uow.jobs.get(job_id)
            assert job is not None and len(job.invoice_ids) == 1
            invoice = uow.invoices.get(job.invoice_ids[0])
            assert invoice is not None and invoice.document_id == job.document_id
            assert [item.position for item in invoice.items] == [0, 1]
            ids[job_id] = invoice.id
    assert len(set(ids.values())) == 5
    assert ids[before] < min(ids[job_id] for job_id in batch) <= max(ids[job_id] for job_id in batch) < ids[after]


def test_a_thread_claims_a_fair_share_of_what_waits(make_context: ContextFactory) -> None:
    context = make_context()
    worker = EmbeddedWorker(context, 2, fake_extract)
    assert worker._claim() == []  # nothing waits: nothing taken (and no write lock)
    for n in range(3):
        upload(context, client=f"76{n}", installation=f"36{n}", month="2024-03")
    assert len(worker._claim()) == 1  # 3 waiting, 2 threads: the other thread gets the rest
    for n in range(2 * CLAIM_BATCH):
        upload(context, client=f"77{n}", installation=f"37{n}", month="2024-03")
    assert len(worker._claim()) == CLAIM_BATCH
