"""Redis stopped while uploads keep coming: every upload is still accepted and none is lost.

The choice (README, "Faults"): the API does not refuse uploads when the queue is down. A job is
committed as ``queued`` before it is enqueued, so the jobs table is the outbox: when Redis cannot be
reached (or comes back empty) the row waits, and the workers' sweep enqueues every queued job Redis
does not know. ``faturas doctor`` reports such jobs older than a minute and ``--repair`` enqueues them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from faturas.db.models import Job, utcnow
from faturas.services.context import build_context
from faturas.services.doctor import Check, examine, repair
from faturas.synthetic import write_bills
from tests.reconcile import reconcile
from tests.scale.private_services import PrivateRedis
from tests.scale.stack import Stack, build_stack, upload, wait_for_all_jobs


@pytest.fixture
def stack(
    tmp_path: Path,
    fresh_database: str,
    private_redis: PrivateRedis,
    queue_name: str,
    s3_endpoint: str,
    make_bucket: Callable[[], str],
) -> Iterator[Stack]:
    built = build_stack(tmp_path, fresh_database, private_redis.url, queue_name, s3_endpoint, make_bucket())
    try:
        yield built
    finally:
        # SIGKILL: the results are checked already, and a worker that lived through a Redis restart
        # may take a while to close its connections politely.
        for worker in built.workers:
            worker.kill()
            worker.wait()


def test_uploads_during_a_redis_outage_are_accepted_and_all_processed_once(
    stack: Stack, private_redis: PrivateRedis, tmp_path: Path
) -> None:
    bills = [(path.name, path.read_bytes()) for path in write_bills(tmp_path / "bills", 30, seed=41)]
    stack.start_worker()
    stack.start_worker()
    job_ids: list[str] = []
    sent_while_down: list[int] = []
    redis_down = threading.Event()
    with stack.api() as client:

        def keep_uploading() -> None:
            for index, bill in enumerate(bills):
                job_ids.extend(job["job_id"] for job in upload(client, [bill]))  # asserts 202
                if redis_down.is_set():
                    sent_while_down.append(index)
                time.sleep(0.1)

        uploader = threading.Thread(target=keep_uploading)
        uploader.start()
        time.sleep(1)
        private_redis.stop()
        redis_down.set()
        time.sleep(2)
        redis_down.clear()
        private_redis.start()  # empty: whatever was waiting in Redis is gone
        uploader.join(timeout=120)
        assert not uploader.is_alive()
        wait_for_all_jobs(client, stack, seconds=180)

    assert sent_while_down, "some uploads must have been sent while Redis was down"
    assert len(job_ids) == len(set(job_ids)) == 30
    context = build_context(stack.settings, migrate=False)
    try:
        outcome = reconcile(context, job_ids)
    finally:
        context.close()
    assert outcome.by_status == {"succeeded": 30}, stack.worker_logs()[-3000:]
    assert outcome.invoices == 30


def test_doctor_enqueues_queued_jobs_that_redis_lost(stack: Stack, private_redis: PrivateRedis, tmp_path: Path) -> None:
    bills = [(path.name, path.read_bytes()) for path in write_bills(tmp_path / "bills", 2, seed=43)]
    with stack.api() as client:
        job_ids = [job["job_id"] for job in upload(client, bills)]  # no worker: they wait in Redis
    private_redis.stop()
    private_redis.start()  # and now they do not
    context = build_context(stack.settings, migrate=False)
    try:
        with context.uow_factory() as uow:  # queued long enough ago to be past the doctor's grace
            uow.session.execute(update(Job).values(available_at=utcnow() - timedelta(minutes=5)))
            uow.commit()
        examination = examine(context, orphan_grace=timedelta(0))
        assert sorted((f.check, f.subject) for f in examination.findings) == [
            (Check.UNQUEUED_JOB, job_id) for job_id in sorted(job_ids)
        ]
        assert all(item.done for item in repair(context, examination))
        assert examine(context, orphan_grace=timedelta(0)).findings == []

        stack.start_worker()
        with stack.api() as client:
            wait_for_all_jobs(client, stack, seconds=120)
        assert reconcile(context, job_ids).by_status == {"succeeded": 2}
    finally:
        context.close()
