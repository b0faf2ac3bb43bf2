"""End to end at scale: uploads through the API, PostgreSQL, BullMQ, S3 (moto) and two worker processes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from faturas.db.engine import make_engine
from faturas.db.models import Client, ConsumerUnit, Invoice
from faturas.errors import FaturasError
from faturas.extraction.extract import extract_invoice
from faturas.services.extract_document import extract_document
from tests.scale.private_services import PrivateRedis
from tests.scale.stack import Stack, build_stack, job_status, upload, wait_for_all_jobs, wait_until

BYTE_VARIANT = "cemig/invoice-sample_3001116735-01-2024_bytevariant.pdf"
SCREENSHOT = "cemig/Pai_CEMIG_17112022.pdf"


def expected_invoices(path: Path) -> list[tuple[str, str, str]]:
    """(distributor, installation, month) of each invoice extract_invoice reads in the file; [] if unreadable."""
    try:
        invoice = extract_document(path.read_bytes(), None, 200).invoice  # what the workers run
    except FaturasError:
        return []
    parts = invoice.sub_invoices or (invoice,)
    return [(part.distributor, part.installation_number, str(part.reference_month)) for part in parts]


def stored_invoices(database_url: str) -> list[tuple[str, str, str]]:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                select(Invoice.distributor, ConsumerUnit.installation_number, Invoice.reference_month)
                .join(ConsumerUnit, Invoice.consumer_unit_id == ConsumerUnit.id)
                .where(Invoice.superseded_at.is_(None))
            )
            return sorted((str(a), str(b), str(c)) for a, b, c in rows)
    finally:
        engine.dispose()


def count_rows(database_url: str, model: type[Client] | type[ConsumerUnit] | type[Invoice]) -> int:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(model)).scalar_one())
    finally:
        engine.dispose()


@pytest.mark.corpus
def test_every_readable_corpus_bill_becomes_exactly_one_invoice_with_two_workers(
    stack: Stack, corpus_dir: Path, fresh_database: str
) -> None:
    paths = sorted(corpus_dir.rglob("*.pdf"))
    expected = {path: expected_invoices(path) for path in paths}
    stack.start_worker()
    stack.start_worker()
    with stack.api() as client:
        jobs = {}
        for path in paths:
            (accepted,) = upload(client, [(path.name, path.read_bytes())])
            jobs[path.relative_to(corpus_dir).as_posix()] = accepted["job_id"]
        wait_for_all_jobs(client, stack)
        statuses = {name: job_status(client, job_id) for name, job_id in jobs.items()}

    by_key: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for path, keys in expected.items():
        for key in keys:
            by_key[key].append(path.relative_to(corpus_dir).as_posix())
    stored = stored_invoices(fresh_database)
    assert len(stored) == len(set(stored)), "one current invoice per unit and month"
    assert {(d, i, m) for d, i, m in stored} >= {(d, i, m) for d, i, m in by_key}, "every readable bill is stored"
    assert len(stored) == len(by_key)

    assert statuses[SCREENSHOT]["status"] == "failed"
    assert statuses[SCREENSHOT]["error"]["message"]
    if expected[corpus_dir / BYTE_VARIANT]:
        original = statuses["cemig/3001116735-01-2024.pdf"]
        variant = statuses[BYTE_VARIANT]
        assert sorted([original["status"], variant["status"]]) == ["duplicate", "succeeded"]
    for name, status in statuses.items():
        if expected[corpus_dir / name]:
            assert status["status"] in ("succeeded", "duplicate"), (name, status)
        else:
            assert status["status"] == "failed", (name, status)


def first_readable_bill(corpus_dir: Path | None) -> tuple[str, bytes]:
    """A bill today's templates read: a synthetic CEMIG one if it reads, else a corpus bill."""
    import random

    from faturas.synthetic import random_bill, render_cemig_danf3e

    candidates: list[tuple[str, bytes]] = [("synthetic.pdf", render_cemig_danf3e(random_bill(random.Random(7))))]
    if corpus_dir is not None and corpus_dir.is_dir():
        candidates += [(path.name, path.read_bytes()) for path in sorted(corpus_dir.rglob("*.pdf"))]
    for name, data in candidates:
        try:
            extract_invoice(data)
        except FaturasError:
            continue
        return name, data
    pytest.fail("no bill is readable by the distributor templates")


def test_a_job_whose_worker_is_killed_mid_job_completes_after_a_worker_restarts(
    stack: Stack, fresh_database: str
) -> None:
    from tests.conftest import shared_dir

    name, data = first_readable_bill(shared_dir() / "corpus")
    victim = stack.start_worker(slow_seconds=60)
    with stack.api() as client:
        (accepted,) = upload(client, [(name, data)])
        job_id = accepted["job_id"]
        wait_until(lambda: job_status(client, job_id)["status"] == "running", "the slow worker took the job", 60)
        victim.kill()  # SIGKILL: no chance to clean up, its lock in Redis and lease in the database stay
        victim.wait()
        assert job_status(client, job_id)["status"] == "running"

        stack.start_worker()
        wait_until(lambda: job_status(client, job_id)["status"] not in ("queued", "running"), "the job finished")
        final = job_status(client, job_id)
    assert final["status"] == "succeeded", final
    assert final["attempts"] == 2
    assert len(final["invoice_ids"]) == 1
    assert count_rows(fresh_database, Invoice) == 1


def test_jobs_accepted_while_redis_restarts_are_not_lost(
    tmp_path: Path,
    fresh_database: str,
    queue_name: str,
    s3_endpoint: str,
    make_bucket: Callable[[], str],
    private_redis: PrivateRedis,
) -> None:
    from faturas.synthetic import write_bills

    stack = build_stack(tmp_path, fresh_database, private_redis.url, queue_name, s3_endpoint, make_bucket())
    bills = [(path.name, path.read_bytes()) for path in write_bills(tmp_path / "bills", 6, seed=11)]
    try:
        with stack.api() as client:
            job_ids = [job["job_id"] for job in upload(client, bills[:2])]  # in Redis, no worker yet
            private_redis.stop()
            job_ids += [job["job_id"] for job in upload(client, bills[2:4])]  # accepted while Redis is down
            private_redis.start()  # empty: the first two jobs are gone from Redis
            job_ids += [job["job_id"] for job in upload(client, bills[4:])]
            stack.start_worker()
            stack.start_worker()
            wait_for_all_jobs(client, stack)
            statuses = [job_status(client, job_id)["status"] for job_id in job_ids]
    finally:
        stack.stop_workers()
    assert len(set(job_ids)) == 6
    # Distinct bills: each one the templates read is stored, none is left behind.
    expected = ["succeeded" if expected_invoices(tmp_path / "bills" / name) else "failed" for name, _ in bills]
    assert statuses == expected
