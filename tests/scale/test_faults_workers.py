"""Both BullMQ workers SIGKILLed in the middle of a batch: new workers finish every job, each bill stored once.

One worker killed with one job in hand is tests/scale/test_end_to_end.py; here several jobs are in flight
and the killed workers' BullMQ locks and database leases are all left behind.
"""

from __future__ import annotations

from pathlib import Path

from faturas.services.context import build_context
from faturas.synthetic import write_bills
from tests.reconcile import reconcile
from tests.scale.stack import Stack, upload, wait_for_all_jobs, wait_until

FINISHED = ("succeeded", "duplicate", "failed")


def test_every_job_of_a_batch_completes_once_after_both_workers_are_killed(stack: Stack, tmp_path: Path) -> None:
    bills = [(path.name, path.read_bytes()) for path in write_bills(tmp_path / "bills", 10, seed=53)]
    victims = [stack.start_worker(slow_seconds=0.4), stack.start_worker(slow_seconds=0.4)]
    with stack.api() as client:
        job_ids = [job["job_id"] for job in upload(client, bills)]

        def count(status: str) -> int:
            return int(client.get("/api/jobs", params={"status": status, "limit": 1}).json()["total"])

        wait_until(lambda: sum(count(s) for s in FINISHED) >= 2 and count("running") >= 1, "jobs in flight", 120)
        for victim in victims:
            victim.kill()  # SIGKILL: locks in Redis and leases in the database stay behind
            victim.wait()
        assert count("running") >= 1
        stack.start_worker()
        stack.start_worker()
        wait_for_all_jobs(client, stack, seconds=180)
    context = build_context(stack.settings, migrate=False)
    try:
        outcome = reconcile(context, job_ids)
    finally:
        context.close()
    assert outcome.by_status == {"succeeded": 10}
    assert outcome.invoices == 10


def test_a_job_committed_by_an_api_killed_before_enqueueing_is_swept_into_redis(stack: Stack, tmp_path: Path) -> None:
    from tests.integration.test_api_crash import upload_to_crashing_server

    [bill] = write_bills(tmp_path / "bills", 1, seed=59)
    upload_to_crashing_server(stack.env, "after_commit", bill.name, bill.read_bytes())
    stack.start_worker()  # its sweep finds the queued job Redis never heard of
    with stack.api() as client:
        wait_for_all_jobs(client, stack, seconds=120)
        jobs = client.get("/api/jobs").json()["items"]
    context = build_context(stack.settings, migrate=False)
    try:
        outcome = reconcile(context, [job["id"] for job in jobs])
    finally:
        context.close()
    assert outcome.by_status == {"succeeded": 1}
