"""The CPU a worker spends per bill outside extraction: reading its jobs and its file, saving the invoice.

The bills are extracted first (not measured); then their jobs run as the workers run them (claimed
``CLAIM_BATCH`` at a time, ``process_claimed_jobs``) or, with ``--one-by-one``, as ``process_job`` runs
a job alone (a job retried, or a batch that could not be saved together), on SQLite in a temporary
folder or, with ``--postgres SERVER_URL``, on a database made for the run on that server and dropped
after it. CPU time of this process only (not the
database server's); on a shared machine take the least of a few runs.

    python bench/save_cpu.py --n 400 [--one-by-one] [--postgres postgresql+psycopg://postgres@127.0.0.1/test]
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from faturas.config import Settings
from faturas.db.models import JobStatus, utcnow
from faturas.services.accept_upload import Upload, accept_upload
from faturas.services.context import ServiceContext, build_context
from faturas.services.extract_document import Extraction, extract_document
from faturas.services.process_job import process_claimed_jobs, process_job
from faturas.synthetic import write_bills
from faturas.worker.embedded import CLAIM_BATCH

#: Bills run before the measured ones: statements compiled, connections open, as in a worker at work.
WARM_UP = 2 * CLAIM_BATCH


@contextmanager
def postgres_database(server_url: str) -> Iterator[str]:
    """The URL of a new database on the server of ``server_url``, dropped when the block ends."""
    name = f"bench_save_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def run(context: ServiceContext, extractions: dict[bytes, Extraction], one_by_one: bool) -> float:
    """CPU seconds to run every queued job, extraction answered from ``extractions``."""

    def extracted(data: bytes, _password: str | None, _max_pages: int) -> Extraction:
        return extractions[data]

    began = time.process_time()
    if one_by_one:
        with context.uow_factory(read_only=True) as uow:
            job_ids = uow.jobs.ids_with_status(JobStatus.QUEUED)
        for job_id in job_ids:
            process_job(context, job_id, extracted)
        return time.process_time() - began
    while True:
        with context.uow_factory() as uow:
            now = utcnow()
            job_ids = uow.jobs.claim_batch(now, now + timedelta(seconds=60), CLAIM_BATCH)
            uow.commit()
        if not job_ids:
            return time.process_time() - began
        process_claimed_jobs(context, job_ids, extracted)


def measure(n: int, one_by_one: bool, database_url: str | None, folder: Path) -> float:
    context = build_context(Settings(data_dir=folder / "data", auth="off", database_url=database_url))
    try:
        paths = write_bills(folder / "bills", WARM_UP + n, seed=7)
        max_pages = context.settings.max_pages
        extractions = {data: extract_document(data, None, max_pages) for data in map(Path.read_bytes, paths)}
        for group in (paths[:WARM_UP], paths[WARM_UP:]):
            for path in group:
                accept_upload(context, [Upload(path.name, path.read_bytes())])
            seconds = run(context, extractions, one_by_one)
        return seconds
    finally:
        context.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--one-by-one", action="store_true", help="process_job per job, as a job runs alone")
    parser.add_argument("--postgres", metavar="SERVER_URL", help="a PostgreSQL server (a database is made there)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        if args.postgres:
            with postgres_database(args.postgres) as url:
                seconds = measure(args.n, args.one_by_one, url, Path(folder))
        else:
            seconds = measure(args.n, args.one_by_one, None, Path(folder))
    mode = "one by one" if args.one_by_one else f"claimed {CLAIM_BATCH} at a time"
    database = "PostgreSQL" if args.postgres else "SQLite"
    print(f"{database}, {mode}: {seconds * 1000 / args.n:.3f} CPU ms per bill outside extraction")


if __name__ == "__main__":
    main()
