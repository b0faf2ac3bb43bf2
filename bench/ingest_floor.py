"""The floor under bench/ingest.py: what the issue's own stack costs per bill with nothing of faturas in
it, beside the budget the 60% target leaves.

At 60% of raw extraction throughput on the same cores, with both cores busy all the time, everything a
bill costs outside extraction must fit in ``raw × (1/0.6 − 1)`` milliseconds of CPU. This script
measures the least each step of the chosen stack (FastAPI on uvicorn, SQLAlchemy, SQLite or PostgreSQL,
BullMQ on Redis, processes for parsing) can cost per bill, each with the bare library and minimal
tables, and adds them up per mode:

- an upload request: a bare FastAPI route that reads the file and answers 202 (server CPU);
- accepting it: the file written, a document row and a job row inserted in one transaction;
- a bill handed to an extraction process and a result handed back;
- saving: jobs marked running, an invoice row and its line items inserted, jobs marked done, eight bills
  to a transaction (claim, client, unit and duplicate checks left out);
- scale mode only: a BullMQ job added and run by a worker that does nothing.

Database and Redis server CPU is counted (they share the cores). What is left out (access control,
logging, the client and unit look-ups, duplicate checks, retries) only adds to the floor, so the
ceiling it prints is an upper bound of what any code on this stack can reach.

    python bench/ingest_floor.py [--n 600] [--postgres postgresql+psycopg://postgres@127.0.0.1/test]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import psutil
from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    create_engine,
    event,
    insert,
    text,
    update,
)
from sqlalchemy.engine import Connection, Engine

sys.path.insert(0, str(Path(__file__).resolve().parent))
from faturas.domain.invoice import Invoice, LineItem
from faturas.services.extract_document import extract_document
from faturas.synthetic import write_bills
from ingest_processes import free_port
from save_cpu import postgres_database
from upload_client import Uploader, multipart_body

TARGET_RATIO = 0.60
SAVE_BATCH = 8
UPLOAD_CLIENTS = 4
BENCH_DIR = Path(__file__).resolve().parent

metadata = MetaData()
documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sha256", String(64), unique=True, nullable=False),
    Column("original_name", String(255), nullable=False),
    Column("size_bytes", Integer, nullable=False),
    Column("storage_key", String(255), nullable=False),
)
jobs = Table(
    "jobs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("document_id", ForeignKey("documents.id"), nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("started_at", DateTime(timezone=True)),
    Column("finished_at", DateTime(timezone=True)),
)
invoices = Table(
    "invoices",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", ForeignKey("documents.id"), nullable=False),
    Column("distributor", String(32), nullable=False),
    Column("client_number", String(32)),
    Column("installation_number", String(32)),
    Column("reference_month", String(7)),
    Column("due_date", Date),
    Column("total_amount", Numeric(14, 2), nullable=False),
    Column("energy_kwh", Numeric(14, 3)),
    Column("compensated_kwh", Numeric(14, 3)),
    Column("access_key", String(44)),
    Column("payment_line", String(64)),
)
items = Table(
    "line_items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("invoice_id", ForeignKey("invoices.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("description", String(255), nullable=False),
    Column("quantity", Numeric(14, 3)),
    Column("unit_price", Numeric(14, 8)),
    Column("amount", Numeric(14, 2), nullable=False),
)


def extraction_cpu_ms(datas: list[bytes]) -> tuple[float, list[Invoice]]:
    """CPU milliseconds per bill of extraction in this process (after a warm-up), and the invoices."""
    for data in datas[:8]:
        extract_document(data, None, 200)
    began = time.process_time()
    extracted = [extract_document(data, None, 200).invoice for data in datas]
    return (time.process_time() - began) * 1000 / len(datas), extracted


def http_ms(paths: list[Path]) -> float:
    """Server CPU milliseconds per single-file upload request to the bare FastAPI route."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "floor_app:app", "--app-dir", str(BENCH_DIR), "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--log-level", "warning", "--no-access-log"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        bodies = [multipart_body([path]) for path in paths]
        _wait_until_listening(port)
        uploader = Uploader("127.0.0.1", port)
        for body in bodies[:50]:
            uploader.post(body)
        process = psutil.Process(server.pid)
        before = _cpu_seconds(process)
        with ThreadPoolExecutor(UPLOAD_CLIENTS) as clients:
            list(clients.map(uploader.post, bodies))
        return (_cpu_seconds(process) - before) * 1000 / len(bodies)
    finally:
        server.terminate()
        server.wait(10)


def _wait_until_listening(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def store_ms(datas: list[bytes], folder: Path) -> float:
    """Per bill: the file written under its sha256, in a folder named by the hash's first two digits."""
    began = time.process_time()
    for data in datas:
        sha256 = hashlib.sha256(data).hexdigest()
        (folder / sha256[:2]).mkdir(parents=True, exist_ok=True)
        (folder / sha256[:2] / sha256).write_bytes(data)
    return (time.process_time() - began) * 1000 / len(datas)


def accept_ms(engine: Engine, datas: list[bytes]) -> float:
    """Per bill: its document and job inserted in one transaction."""
    with _measured(engine) as (connection, cpu):
        for n, data in enumerate(datas):
            sha256 = hashlib.sha256(data).hexdigest()
            with connection.begin():
                row = {"sha256": sha256, "original_name": f"{n}.pdf", "size_bytes": len(data), "storage_key": sha256}
                document_id = connection.execute(insert(documents).returning(documents.c.id), row).scalar_one()
                connection.execute(insert(jobs), {"id": uuid.uuid4().hex, "document_id": document_id, "status": "q"})
        return cpu() / len(datas)


def save_ms(engine: Engine, extracted: list[Invoice]) -> float:
    """Per bill, eight to a transaction: jobs marked running, invoices and items inserted, jobs marked done."""
    with engine.connect() as connection:
        queued = connection.execute(jobs.select().order_by(jobs.c.document_id)).all()[: len(extracted)]
        connection.rollback()
    with _measured(engine) as (connection, cpu):
        for start in range(0, len(extracted), SAVE_BATCH):
            batch = list(zip(queued[start : start + SAVE_BATCH], extracted[start : start + SAVE_BATCH], strict=True))
            ids = [job.id for job, _ in batch]
            with connection.begin():
                now = datetime.now(UTC)
                running = {"status": "running", "started_at": now, "attempts": jobs.c.attempts + 1}
                connection.execute(update(jobs).where(jobs.c.id.in_(ids)).values(running))
                rows = [_invoice_row(job.document_id, invoice) for job, invoice in batch]
                returning = insert(invoices).returning(invoices.c.id, sort_by_parameter_order=True)
                invoice_ids = connection.execute(returning, rows)
                item_rows = [
                    _item_row(invoice_id, position, item)
                    for invoice_id, (_, invoice) in zip(invoice_ids.scalars(), batch, strict=True)
                    for position, item in enumerate(invoice.items)
                ]
                if item_rows:
                    connection.execute(insert(items), item_rows)
                done = {"status": "succeeded", "finished_at": datetime.now(UTC)}
                connection.execute(update(jobs).where(jobs.c.id.in_(ids)).values(done))
        return cpu() / len(extracted)


def _invoice_row(document_id: int, invoice: Invoice) -> dict[str, object]:
    return {
        "document_id": document_id,
        "distributor": invoice.distributor,
        "client_number": invoice.client_number,
        "installation_number": invoice.installation_number,
        "reference_month": str(invoice.reference_month) if invoice.reference_month else None,
        "due_date": invoice.due_date,
        "total_amount": invoice.total_amount,
        "energy_kwh": invoice.energy_kwh,
        "compensated_kwh": invoice.compensated_kwh,
        "access_key": invoice.access_key,
        "payment_line": invoice.payment_line,
    }


def _item_row(invoice_id: int, position: int, item: LineItem) -> dict[str, object]:
    return {
        "invoice_id": invoice_id,
        "position": position,
        "description": item.description,
        "quantity": item.quantity,
        "unit_price": item.unit_price,
        "amount": item.amount,
    }


@contextmanager
def _measured(engine: Engine) -> Iterator[tuple[Connection, Callable[[], float]]]:
    """One connection, and the CPU milliseconds spent since by this process and the database server's
    process serving it (PostgreSQL's backend; SQLite runs in this process)."""
    with engine.connect() as connection:
        backend = None
        if engine.dialect.name == "postgresql":
            backend = psutil.Process(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())
            connection.rollback()
        began_here = time.process_time()
        began_there = _cpu_seconds(backend) if backend else 0.0

        def cpu() -> float:
            there = _cpu_seconds(backend) - began_there if backend else 0.0
            return (time.process_time() - began_here + there) * 1000

        yield connection, cpu


def handoff_ms(datas: list[bytes]) -> float:
    """Per bill: its bytes sent to an extraction process and a small result sent back (both sides' CPU)."""
    with ProcessPoolExecutor(1) as pool:
        list(pool.map(_received, datas[:20]))
        (child,) = psutil.Process().children()  # the pool's one process
        before_child = _cpu_seconds(child)
        began = time.process_time()
        for data in datas:
            pool.submit(_received, data).result()
        return (time.process_time() - began + _cpu_seconds(child) - before_child) * 1000 / len(datas)


def _received(data: bytes) -> dict[str, int]:
    return {"size": len(data)}


def queue_ms(redis_url: str, n: int) -> float:
    """Per job: a BullMQ job added, taken by a worker that does nothing, completed (this process and Redis)."""
    from bullmq import Queue, Worker
    from redis import Redis

    redis_server = psutil.Process(int(Redis.from_url(redis_url).info("server")["process_id"]))
    name = f"faturas-floor-{uuid.uuid4().hex[:8]}"

    async def run() -> float:
        queue = Queue(name, {"connection": redis_url})
        finished = asyncio.Event()
        done = 0

        async def process(_job: object, _token: str) -> None:
            nonlocal done
            done += 1
            if done == n:
                finished.set()

        options = {"attempts": 5, "backoff": {"type": "exponential", "delay": 1000}, "removeOnComplete": 1000}
        began, began_redis = time.process_time(), _cpu_seconds(redis_server)
        for _ in range(n):
            await queue.add("bill", {"job_id": uuid.uuid4().hex}, options)
        worker = Worker(name, process, {"connection": redis_url, "concurrency": 8})
        await asyncio.wait_for(finished.wait(), timeout=120)
        spent = time.process_time() - began + _cpu_seconds(redis_server) - began_redis
        await worker.close()
        await queue.obliterate(force=True)
        await queue.close()
        return spent * 1000 / n

    return asyncio.run(run())


def _cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return float(times.user + times.system)


def sqlite_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _wal(dbapi_connection: object, _record: object) -> None:
        cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine


def report(mode: str, raw: float, steps: dict[str, float]) -> None:
    floor = sum(steps.values())
    ceiling = raw / (raw + floor)
    print(f"\n== {mode} ==")
    width = max(len(step) for step in steps)
    for step, ms in steps.items():
        print(f"  {step:<{width}} {ms:5.2f} ms")
    verdict = (
        f"the {TARGET_RATIO:.0%} target lies under it, if nothing but these steps cost CPU"
        if ceiling >= TARGET_RATIO
        else f"the {TARGET_RATIO:.0%} target lies above it: no code on this stack can reach it"
    )
    print(f"  {'floor outside extraction':<{width}} {floor:5.2f} ms")
    print(f"  ceiling: raw / (raw + floor) = {ceiling:.0%} with both cores busy all the time; {verdict}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=600, help="synthetic bills (default 600)")
    parser.add_argument("--postgres", default=os.environ.get("FATURAS_TEST_DATABASE_URL"), help="PostgreSQL server URL")
    parser.add_argument("--redis-url", default=os.environ.get("FATURAS_TEST_REDIS_URL"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="faturas-floor-") as folder:
        workdir = Path(folder)
        paths = write_bills(workdir / "bills", args.n, seed=2026)
        datas = [path.read_bytes() for path in paths]
        raw, extracted = extraction_cpu_ms(datas)
        budget = raw * (1 / TARGET_RATIO - 1)
        print(f"{args.n} synthetic bills; raw extraction {raw:.2f} ms CPU per bill")
        print(f"budget at {TARGET_RATIO:.0%}: {budget:.2f} ms of CPU per bill for everything outside extraction")
        shared = {
            "upload request: bare FastAPI route on uvicorn, 1 file": http_ms(paths),
            f"store the file (in {tempfile.gettempdir()})": store_ms(datas, workdir / "files"),
            "hand the bill to an extraction process and back": handoff_ms(datas),
        }
        engine = sqlite_engine(workdir / "floor.db")
        metadata.create_all(engine)
        embedded = {
            **shared,
            "accept on SQLite: document and job rows": accept_ms(engine, datas),
            f"save on SQLite: invoice and items, {SAVE_BATCH} bills a transaction": save_ms(engine, extracted),
        }
        engine.dispose()
        report("embedded: SQLite, local files", raw, embedded)
        if not (args.postgres and args.redis_url):
            print("\nscale mode skipped: give --postgres and --redis-url (or FATURAS_TEST_*_URL)")
            return 0
        with postgres_database(args.postgres) as database_url:
            engine = create_engine(database_url)
            metadata.create_all(engine)
            scale = {
                **shared,
                "accept on PostgreSQL: document and job rows (with its backend's CPU)": accept_ms(engine, datas),
                f"save on PostgreSQL, {SAVE_BATCH} bills a transaction": save_ms(engine, extracted),
                "BullMQ: add a job, run it in a worker (with Redis's CPU)": queue_ms(args.redis_url, args.n),
            }
            engine.dispose()
        report("scale: PostgreSQL, BullMQ", raw, scale)
    return 0


if __name__ == "__main__":
    sys.exit(main())
