"""PostgreSQL restarted (crashed, even) while bills are being processed: the API and workers recover.

While the database is down an upload is answered 503 with Retry-After (nothing is stored); jobs in
flight fail transiently and run again. Afterwards every accepted upload has one document and a final
state, and no invoice is stored twice. A private cluster is restarted, never the shared one.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from faturas.api.app import create_app
from faturas.config import Settings
from faturas.services.context import build_context
from faturas.services.extract_document import Extraction
from faturas.synthetic import write_bills
from tests.ingest_support import fake_extract, fake_pdf
from tests.reconcile import reconcile
from tests.scale.private_services import PrivatePostgres
from tests.scale.stack import Stack, build_stack, job_status, wait_for_all_jobs, wait_until

FINISHED = {"succeeded", "duplicate", "failed"}


def post(client: TestClient, name: str, data: bytes) -> Any:
    return client.post("/api/uploads", files=[("files", (name, data, "application/pdf"))])


def accepted_id(client: TestClient, name: str, data: bytes) -> str:
    response = post(client, name, data)
    assert response.status_code == 202, response.text
    return str(response.json()["jobs"][0]["job_id"])


def finished(client: TestClient, job_ids: list[str]) -> int:
    return sum(job_status(client, job_id)["status"] in FINISHED for job_id in job_ids)


def crash_and_come_back(server: PrivatePostgres, client: TestClient, name: str, data: bytes) -> None:
    """Crash the database; an upload meanwhile is refused with a retry hint; then start it again."""
    server.stop("immediate")
    try:
        response = post(client, name, data)
        assert response.status_code == 503, response.text
        assert response.json()["code"] == "database_unavailable"
        assert int(response.headers["retry-after"]) > 0
    finally:
        server.start()


def slow_fake_extract(pdf: bytes, password: str | None, max_pages: int) -> Extraction:
    time.sleep(0.2)  # long enough for the restart to land in the middle of the jobs
    return fake_extract(pdf, password, max_pages)


def test_embedded_mode_on_postgresql_recovers_from_a_crash_during_processing(
    private_postgres: PrivatePostgres, tmp_path: Path
) -> None:
    url = private_postgres.create_database(f"embedded_{uuid.uuid4().hex[:8]}")
    settings = Settings(
        data_dir=tmp_path / "data",
        database_url=url,
        workers=2,
        job_lease_seconds=2,
        poll_interval_seconds=0.05,
        retry_base_seconds=0.2,
    )
    context = build_context(settings)
    bills = [(f"conta-{month}.pdf", fake_pdf(month=f"2024-{month:02d}")) for month in range(1, 13)]
    try:
        with TestClient(create_app(settings, extractor=slow_fake_extract, context=context)) as client:
            job_ids = [accepted_id(client, name, data) for name, data in bills[:10]]
            wait_until(lambda: finished(client, job_ids) >= 2, "some jobs finished before the crash", 60)
            crash_and_come_back(private_postgres, client, *bills[10])
            job_ids += [accepted_id(client, name, data) for name, data in bills[10:]]
            wait_until(lambda: finished(client, job_ids) == len(job_ids), "every job finished", 120)
        outcome = reconcile(context, job_ids)
    finally:
        context.close()
    assert outcome.by_status == {"succeeded": 12}
    assert outcome.invoices == 12


@pytest.fixture
def stack_on_private_postgres(
    tmp_path: Path,
    private_postgres: PrivatePostgres,
    redis_url: str,
    queue_name: str,
    s3_endpoint: str,
    make_bucket: Callable[[], str],
) -> Iterator[Stack]:
    from faturas.queue.bullmq import BullMQQueue

    database = private_postgres.create_database(f"scale_{uuid.uuid4().hex[:8]}")
    stack = build_stack(tmp_path, database, redis_url, queue_name, s3_endpoint, make_bucket())
    try:
        yield stack
    finally:
        stack.stop_workers()
        queue = BullMQQueue(redis_url, queue_name=queue_name)
        queue.obliterate()
        queue.close()


def test_bullmq_workers_and_the_api_recover_from_a_postgres_crash_during_processing(
    stack_on_private_postgres: Stack, private_postgres: PrivatePostgres, tmp_path: Path
) -> None:
    stack = stack_on_private_postgres
    bills = [(path.name, path.read_bytes()) for path in write_bills(tmp_path / "bills", 12, seed=31)]
    stack.start_worker(slow_seconds=0.3)
    stack.start_worker(slow_seconds=0.3)
    with stack.api() as client:
        job_ids = [accepted_id(client, name, data) for name, data in bills[:10]]
        wait_until(lambda: finished(client, job_ids) >= 2, "some jobs finished before the crash", 120)
        crash_and_come_back(private_postgres, client, *bills[10])
        job_ids += [accepted_id(client, name, data) for name, data in bills[10:]]
        wait_for_all_jobs(client, stack, seconds=180)
    context = build_context(stack.settings, migrate=False)
    try:
        outcome = reconcile(context, job_ids)
    finally:
        context.close()
    assert outcome.by_status == {"succeeded": 12}, stack.worker_logs()[-3000:]
    assert outcome.invoices == 12
