"""Load and soak: N uploads from 20 concurrent HTTP clients over loopback, duplicates mixed in, nothing lost.

Against PostgreSQL + BullMQ + 2 ``faturas worker`` processes (``--mode scale``, the default) or the
embedded default (``--mode embedded``). One upload in ten (``--duplicates``) repeats a bill: half as
the very same file (answered with the existing job), half as the same bill in other bytes (its job
ends ``duplicate``). Reports accepted, stored, duplicate, failed and lost uploads (lost must be 0),
throughput, upload latency p50/p99, and worker memory (RSS with the extraction processes) once warm
and at the end (must not grow beyond a tolerance).

    python bench/load.py --n 10000
    python bench/load.py --n 2000 --mode embedded
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sqlalchemy import Engine, func, select

from faturas.db.engine import make_engine
from faturas.db.models import FINISHED_STATUSES, Document, Invoice, Job
from faturas.synthetic import write_bills
from ingest_processes import Cluster, free_port

MB = 2**20
#: Worker memory is first read once this share of the jobs is finished (imports and caches are warm).
WARM_SHARE = 0.10


@dataclass(frozen=True)
class Send:
    name: str
    data: bytes
    kind: str  # "original", "same_file" or "same_bill"


@dataclass
class LoadResult:
    mode: str
    sent: int = 0
    accepted: int = 0  # 202 answers
    existing: int = 0  # answered with the job of the same file sent before
    refused: dict[int, int] = field(default_factory=dict)  # HTTP status -> count (not accepted)
    jobs: dict[str, int] = field(default_factory=dict)  # final status -> count
    documents: int = 0
    invoices: int = 0
    lost: list[str] = field(default_factory=list)  # accepted job ids without a finished job row
    upload_seconds: float = 0.0
    total_seconds: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    worker_rss_warm_mb: float = 0.0
    worker_rss_end_mb: float = 0.0

    @property
    def stored(self) -> int:
        return self.jobs.get("succeeded", 0)

    @property
    def duplicate(self) -> int:
        return self.existing + self.jobs.get("duplicate", 0)

    @property
    def failed(self) -> int:
        return self.jobs.get("failed", 0) + sum(self.refused.values())

    @property
    def memory_growth_mb(self) -> float:
        return self.worker_rss_end_mb - self.worker_rss_warm_mb


def build_sends(folder: Path, n: int, duplicate_share: float, seed: int) -> list[Send]:
    """``n`` uploads: distinct synthetic bills, plus repeats of some of them, in a shuffled order."""
    repeats = round(n * duplicate_share)
    originals = [Send(p.name, p.read_bytes(), "original") for p in write_bills(folder, n - repeats, seed=seed)]
    rng = random.Random(seed)
    sends = list(originals)
    for index, original in enumerate(rng.sample(originals, repeats) if repeats <= len(originals) else []):
        if index % 2 == 0:
            sends.append(Send(original.name, original.data, "same_file"))
        else:  # bytes after %%EOF: another sha256, the same bill
            sends.append(
                Send(f"variant-{original.name}", original.data + f"\n%variant {index}\n".encode(), "same_bill")
            )
    rng.shuffle(sends)
    return sends


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


def worker_rss(cluster: Cluster) -> int:
    """RSS of every worker process and its children (the extraction pool); the server in embedded mode."""
    roles = [role for role in cluster.processes if role.startswith("worker")] or ["server"]
    total = 0
    for role in roles:
        try:
            parent = psutil.Process(cluster.processes[role].pid)
            family = [parent, *parent.children(recursive=True)]
        except psutil.NoSuchProcess:
            continue
        for process in family:
            try:
                total += process.memory_info().rss
            except psutil.NoSuchProcess:
                continue
    return total


def run(options: argparse.Namespace, workdir: Path) -> LoadResult:
    sends = build_sends(workdir / "bills", options.n, options.duplicates, options.seed)
    result = LoadResult(options.mode, sent=len(sends))
    port = free_port()
    with Cluster.start(options.mode, workdir / options.mode, port, options) as cluster:
        database_url = cluster_database_url(cluster, options, workdir)
        latencies: list[float] = []
        accepted_ids: set[str] = set()
        lock = threading.Lock()
        limits = httpx.Limits(max_connections=options.clients, max_keepalive_connections=options.clients)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120, limits=limits) as client:

            def send(item: Send) -> None:
                began = time.perf_counter()
                response = client.post("/api/uploads", files=[("files", (item.name, item.data, "application/pdf"))])
                elapsed = time.perf_counter() - began
                with lock:
                    latencies.append(elapsed)
                    if response.status_code != 202:
                        result.refused[response.status_code] = result.refused.get(response.status_code, 0) + 1
                        return
                    for job in response.json()["jobs"]:
                        result.accepted += 1
                        result.existing += bool(job["existing"])
                        accepted_ids.add(job["job_id"])

            start = time.perf_counter()
            with ThreadPoolExecutor(options.clients) as pool:
                list(pool.map(send, sends))
            result.upload_seconds = time.perf_counter() - start
            engine = make_engine(database_url)
            try:
                warm_mark = max(1, int(len(accepted_ids) * WARM_SHARE))
                deadline = time.monotonic() + options.timeout
                while True:
                    finished = count_finished(engine)
                    if not result.worker_rss_warm_mb and finished >= warm_mark:
                        result.worker_rss_warm_mb = worker_rss(cluster) / MB
                    if finished >= len(accepted_ids) or time.monotonic() > deadline:
                        break
                    time.sleep(0.2)
                result.total_seconds = time.perf_counter() - start
                result.worker_rss_end_mb = worker_rss(cluster) / MB
                if not result.worker_rss_warm_mb:
                    result.worker_rss_warm_mb = result.worker_rss_end_mb
                tally(engine, accepted_ids, result)
            finally:
                engine.dispose()
        result.p50_ms = percentile(latencies, 0.50) * 1000
        result.p99_ms = percentile(latencies, 0.99) * 1000
    return result


def cluster_database_url(cluster: Cluster, options: argparse.Namespace, workdir: Path) -> str:
    if options.mode == "scale":
        return cluster.database_url or ""
    return f"sqlite:///{workdir / options.mode / 'data' / 'faturas.db'}"


def count_finished(engine: Engine) -> int:
    with engine.connect() as connection:
        query = select(func.count()).select_from(Job).where(Job.status.in_(FINISHED_STATUSES))
        return int(connection.execute(query).scalar_one())


def tally(engine: Engine, accepted_ids: set[str], result: LoadResult) -> None:
    with engine.connect() as connection:
        statuses = dict(connection.execute(select(Job.id, Job.status)).all())
        result.documents = int(connection.execute(select(func.count()).select_from(Document)).scalar_one())
        result.invoices = int(connection.execute(select(func.count()).select_from(Invoice)).scalar_one())
    for status in statuses.values():
        result.jobs[str(status)] = result.jobs.get(str(status), 0) + 1
    result.lost = sorted(job_id for job_id in accepted_ids if statuses.get(job_id) not in FINISHED_STATUSES)


def report(result: LoadResult, tolerance_mb: float) -> None:
    upload_rate = result.sent / result.upload_seconds if result.upload_seconds else 0.0
    rate = (result.accepted - result.existing) / result.total_seconds if result.total_seconds else 0.0
    print(f"\n== load: {result.mode} ==")
    print(f"  sent {result.sent}; accepted {result.accepted} (same file again: {result.existing})")
    print(f"  refused (HTTP status: count) {result.refused}")
    print(f"  jobs {result.jobs}; documents {result.documents}; invoices {result.invoices}")
    print(
        f"  stored {result.stored}, duplicate {result.duplicate}, failed {result.failed}, lost {len(result.lost)}"
        f" {'ok' if not result.lost else 'LOST: ' + ', '.join(result.lost[:5])}"
    )
    print(f"  uploads: {upload_rate:.1f}/s ({result.upload_seconds:.1f} s); processed: {rate:.1f} bills/s")
    print(f"  upload latency: p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms")
    verdict = "ok" if memory_is_flat(result, tolerance_mb) else "GREW"
    print(
        f"  worker RSS: {result.worker_rss_warm_mb:.0f} MB warm, {result.worker_rss_end_mb:.0f} MB at the end"
        f" ({result.memory_growth_mb:+.0f} MB; tolerance {tolerance_mb:.0f} MB) {verdict}"
    )


def memory_is_flat(result: LoadResult, tolerance_mb: float) -> bool:
    return result.memory_growth_mb <= tolerance_mb


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10_000, help="uploads to send (default 10000)")
    parser.add_argument("--clients", type=int, default=20, help="concurrent HTTP clients (default 20)")
    parser.add_argument("--duplicates", type=float, default=0.10, help="share of repeated bills (default 0.10)")
    parser.add_argument("--mode", choices=("scale", "embedded"), default="scale")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--worker-concurrency", type=int, default=1, help="bills each worker reads at once")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--timeout", type=float, default=3600, help="seconds to wait for the jobs to finish")
    parser.add_argument("--memory-tolerance-mb", type=float, default=64.0, help="allowed worker RSS growth")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("FATURAS_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
        help="scale mode: PostgreSQL server (a fresh database is created on it and dropped after)",
    )
    parser.add_argument("--redis-url", default=os.environ.get("FATURAS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0"))
    options = parser.parse_args(argv)
    options.queue_name = f"faturas-load-{uuid.uuid4().hex[:8]}"
    return options


def main(argv: list[str] | None = None) -> LoadResult:
    options = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="faturas-load-") as folder:
        result = run(options, Path(folder))
    report(result, options.memory_tolerance_mb)
    return result


if __name__ == "__main__":
    outcome = main()
    sys.exit(1 if outcome.lost else 0)
