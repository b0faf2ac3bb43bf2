"""The at-scale stack for end-to-end tests: PostgreSQL + BullMQ (Redis) + S3 (moto), and worker processes.

The API runs in the test process (FastAPI's TestClient); workers are real ``faturas worker`` processes
with their own environment, so killing one is killing a process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from faturas.api.app import create_app
from faturas.config import Settings
from faturas.db.engine import make_engine, upgrade_database

#: Short locks and sweeps so recovery happens within seconds in tests (production: 30 s).
FAST_RECOVERY = {
    "FATURAS_QUEUE_LOCK_SECONDS": "2",
    "FATURAS_SWEEP_INTERVAL_SECONDS": "1",
    "FATURAS_JOB_LEASE_SECONDS": "6",
    "FATURAS_RETRY_BASE_SECONDS": "0.5",
}

FATURAS = Path(sys.executable).with_name("faturas")
SLOW_WORKER = Path(__file__).with_name("slow_worker.py")


@dataclass
class Stack:
    env: dict[str, str]
    workdir: Path
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def settings(self) -> Settings:
        values = {
            key[len("FATURAS_") :].lower(): value for key, value in self.env.items() if key.startswith("FATURAS_")
        }
        return Settings(**values)

    def start_worker(self, concurrency: int = 1, *, slow_seconds: float | None = None) -> subprocess.Popen[bytes]:
        """A ``faturas worker`` process; ``slow_seconds`` starts the test worker whose extraction sleeps first."""
        if slow_seconds is None:
            command = [str(FATURAS), "worker", "--concurrency", str(concurrency)]
        else:
            command = [sys.executable, str(SLOW_WORKER), str(slow_seconds)]
        log = (self.workdir / f"worker-{len(self.workers)}.log").open("wb")
        process = subprocess.Popen(command, env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=self.workdir)
        self.workers.append(process)
        return process

    def stop_workers(self) -> None:
        for process in self.workers:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.workers:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def worker_logs(self) -> str:
        return "\n".join(path.read_text(errors="replace") for path in sorted(self.workdir.glob("worker-*.log")))

    @contextmanager
    def api(self) -> Iterator[TestClient]:
        with TestClient(create_app(self.settings, run_worker=False)) as client:
            yield client


def build_stack(
    workdir: Path, database_url: str, redis_url: str, queue_name: str, s3_endpoint: str, bucket: str
) -> Stack:
    engine = make_engine(database_url)
    try:
        upgrade_database(engine)  # as ``faturas db upgrade`` would, once, before workers start
    finally:
        engine.dispose()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("FATURAS_") or key in ("FATURAS_SHARED_DIR",)
    }
    env.update(
        FATURAS_DATA_DIR=str(workdir / "data"),
        FATURAS_DATABASE_URL=database_url,
        FATURAS_QUEUE_URL=redis_url,
        FATURAS_QUEUE_NAME=queue_name,
        FATURAS_STORAGE_URL=f"s3://{bucket}/faturas",
        FATURAS_S3_ENDPOINT_URL=s3_endpoint,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="us-east-1",
        **FAST_RECOVERY,
    )
    return Stack(env, workdir)


def upload(client: TestClient, files: list[tuple[str, bytes]]) -> list[dict[str, Any]]:
    response = client.post("/api/uploads", files=[("files", (name, data, "application/pdf")) for name, data in files])
    assert response.status_code == 202, response.text
    jobs: list[dict[str, Any]] = response.json()["jobs"]
    return jobs


def wait_until(condition: Callable[[], bool], what: str, seconds: float = 240) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting: {what}")
        time.sleep(0.2)


def unfinished(client: TestClient) -> int:
    counts = [
        client.get("/api/jobs", params={"status": status, "limit": 1}).json()["total"]
        for status in ("queued", "running")
    ]
    return sum(counts)


def wait_for_all_jobs(client: TestClient, stack: Stack, seconds: float = 240) -> None:
    try:
        wait_until(lambda: unfinished(client) == 0, "every job finished", seconds)
    except AssertionError:
        raise AssertionError("jobs still unfinished; worker logs:\n" + stack.worker_logs()[-5000:]) from None


def job_status(client: TestClient, job_id: str) -> dict[str, Any]:
    response = client.get(f"/api/jobs/{job_id}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
