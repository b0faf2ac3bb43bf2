"""Jobs BullMQ hands out together: claimed by id in one statement, then run as a claimed batch."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from faturas.db.models import Job, JobStatus, utcnow
from faturas.errors import QueueUnavailable, ServiceUnavailable
from faturas.services.context import ServiceContext
from faturas.worker.bullmq_worker import errors_of, process_batch_in_pool
from faturas.worker.pool import ExtractionPool
from tests.ingest_support import ContextFactory, fake_extract
from tests.integration.test_claimed_batch import job_state
from tests.integration.test_job_statements import counted, upload


def claim_listed(context: ServiceContext, job_ids: list[str]) -> list[str]:
    now = utcnow()
    with context.uow_factory() as uow:
        taken = uow.jobs.claim_listed(job_ids, now, now + timedelta(seconds=60), context.settings.job_max_attempts)
        uow.commit()
    return taken


def set_job(context: ServiceContext, job_id: str, **values: object) -> None:
    with context.uow_factory() as uow:
        uow.session.execute(update(Job).where(Job.id == job_id).values(**values))
        uow.commit()


def test_the_listed_jobs_with_attempts_left_are_taken_in_one_statement(make_context: ContextFactory) -> None:
    context = make_context(job_max_attempts=3)
    queued, stalled, exhausted, finished = (
        upload(context, client=f"74{n}", installation=f"34{n}", month="2024-03") for n in range(4)
    )
    set_job(context, stalled, status=JobStatus.RUNNING, attempts=2)  # its worker died: handed out again
    set_job(context, exhausted, status=JobStatus.RUNNING, attempts=3)
    set_job(context, finished, status=JobStatus.SUCCEEDED, attempts=1)
    listed = [finished, stalled, "unknown-job", exhausted, queued]
    with counted(context) as tally:
        assert claim_listed(context, listed) == [stalled, queued]  # in the order listed
    assert tally.verbs() == ["UPDATE jobs SET"]
    assert job_state(context, queued) == (JobStatus.RUNNING, None, 1)
    assert job_state(context, stalled) == (JobStatus.RUNNING, None, 3)
    assert job_state(context, exhausted) == (JobStatus.RUNNING, None, 3)
    assert job_state(context, finished) == (JobStatus.SUCCEEDED, None, 1)


def test_a_batch_handed_out_together_ends_each_job_as_one_by_one(make_context: ContextFactory) -> None:
    """Claimed and saved together; the jobs the claim could not take end as process_job ends them."""
    context = make_context(job_max_attempts=2)
    good = [upload(context, client=f"75{n}", installation=f"35{n}", month="2024-03") for n in range(3)]
    unreadable = upload(context, reject="não é uma fatura")
    exhausted = upload(context, client="7599", installation="3599", month="2024-03")
    done = upload(context, client="7598", installation="3598", month="2024-03")
    set_job(context, exhausted, status=JobStatus.RUNNING, attempts=2)
    set_job(context, done, status=JobStatus.DUPLICATE, attempts=1)
    batch = [*good, unreadable, exhausted, done]
    pool = ExtractionPool(1, 30, fake_extract)
    try:
        outcomes = process_batch_in_pool(context, pool, batch)
    finally:
        pool.close()
    assert outcomes == {
        **dict.fromkeys(good, JobStatus.SUCCEEDED),
        unreadable: JobStatus.FAILED,
        exhausted: JobStatus.FAILED,
        done: JobStatus.DUPLICATE,
    }
    assert errors_of(outcomes) == dict.fromkeys(batch)  # every one ends its BullMQ job: none is retried
    assert job_state(context, unreadable)[1] == "not_a_bill"
    assert job_state(context, exhausted)[1] == "interrupted"
    assert all(job_state(context, job_id) == (JobStatus.SUCCEEDED, None, 1) for job_id in good)


def test_a_job_whose_dependency_failed_is_retried_by_bullmq_and_an_error_fails_its_job() -> None:
    bug = RuntimeError("a bug")
    errors = errors_of({"done": JobStatus.SUCCEEDED, "down": None, "bug": bug, "gone": QueueUnavailable("x")})
    assert errors["done"] is None
    assert isinstance(errors["down"], ServiceUnavailable)  # BullMQ retries it
    assert errors["bug"] is bug
    assert isinstance(errors["gone"], QueueUnavailable)
