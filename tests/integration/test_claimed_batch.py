"""Jobs the embedded worker claims together: one claim, one read and one commit for them all, same outcomes."""

from __future__ import annotations

from datetime import timedelta

from faturas.db.models import JobStatus, utcnow
from faturas.services.context import ServiceContext
from faturas.services.process_job import process_claimed_jobs
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
    # Once for all: the jobs to read, the jobs to save, the webhook subscriptions; and, one
    # executemany each for the four, the page counts, the outcomes and their events. Per bill: client
    # and unit (look-up and insert each), the current invoice, the invoice and its items (a job
    # claimed alone costs 13: see test_job_statements).
    assert verbs.count("SELECT webhook_subscriptions.id, webhook_subscriptions.events") == 1
    assert verbs.count("INSERT INTO outbox_events") == 1
    assert len(verbs) == 3 + 3 + 4 * 7
    assert tally.commits == 1
    assert all(job_state(context, job_id)[2] == 1 for job_id in claimed)


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


def test_a_thread_claims_a_fair_share_of_what_waits(make_context: ContextFactory) -> None:
    context = make_context()
    worker = EmbeddedWorker(context, 2, fake_extract)
    assert worker._claim() == []  # nothing waits: nothing taken (and no write lock)
    for n in range(3):
        upload(context, client=f"76{n}", installation=f"36{n}", month="2024-03")
    assert len(worker._claim()) == 1  # 3 waiting, 2 threads: the other thread gets the rest
    for n in range(10):
        upload(context, client=f"77{n}", installation=f"37{n}", month="2024-03")
    assert len(worker._claim()) == CLAIM_BATCH
