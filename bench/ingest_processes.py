"""The processes bench/ingest.py measures: the server (and workers), started, watched for memory, stopped."""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import httpx
import psutil

FATURAS = str(Path(sys.executable).with_name("faturas"))
#: Memory checkpoints (share of the run done) at which each process's RSS is recorded.
CHECKPOINTS = (0.25, 0.5, 0.75, 1.0)
MB = 2**20


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Cluster:
    processes: dict[str, subprocess.Popen[bytes]]
    #: The database the server uses: SQLite in its data folder, or (scale mode) a fresh PostgreSQL
    #: database, dropped when the run ends.
    database_url: str
    peaks: dict[tuple[str, int], int] = field(default_factory=dict)
    at_checkpoint: dict[tuple[str, int], dict[float, int]] = field(default_factory=dict)
    #: CPU seconds (user + system) each process had used when last seen: load-independent cost.
    cpu_seconds: dict[tuple[str, int], float] = field(default_factory=dict)
    #: CPU seconds at the end of the warm-up (start-up and imports are not the bills' cost).
    cpu_at_start: dict[tuple[str, int], float] = field(default_factory=dict)
    _last_sample: float = 0.0

    @classmethod
    @contextmanager
    def start(cls, mode: str, workdir: Path, port: int, args: argparse.Namespace) -> Iterator[Cluster]:
        workdir.mkdir(parents=True)
        env = {key: value for key, value in os.environ.items() if not key.startswith("FATURAS_")}
        env.update(FATURAS_DATA_DIR=str(workdir / "data"), FATURAS_WORKERS=str(args.workers), FATURAS_LOG_FORMAT="text")
        database = None
        if mode == "scale":
            database = _create_database(args.database_url)
            env.update(
                FATURAS_DATABASE_URL=database, FATURAS_QUEUE_URL=args.redis_url, FATURAS_QUEUE_NAME=args.queue_name
            )
            subprocess.run([FATURAS, "db", "upgrade"], env=env, check=True, capture_output=True)
        processes = {"server": _spawn([FATURAS, "serve", "--port", str(port)], env, workdir / "server.log")}
        if mode == "scale":
            for index in range(1, args.workers + 1):
                command = [FATURAS, "worker", "--concurrency", str(args.worker_concurrency)]
                processes[f"worker-{index}"] = _spawn(command, env, workdir / f"worker-{index}.log")
        cluster = cls(processes, database or f"sqlite:///{(workdir / 'data' / 'faturas.db').resolve()}")
        try:
            _wait_for_http(f"http://127.0.0.1:{port}/api/jobs", processes["server"])
            yield cluster
        finally:
            for process in processes.values():
                process.terminate()
            for process in processes.values():
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
            if database is not None:
                _drop_database(args.database_url, database)
                _obliterate(args.redis_url, args.queue_name)

    def sample_memory(self, progress: float) -> None:
        now = time.monotonic()
        if now - self._last_sample < 0.2 and progress < 1.0:
            return
        self._last_sample = now
        for role, popen in self.processes.items():
            try:
                family = _family(role, psutil.Process(popen.pid))
            except psutil.NoSuchProcess:
                continue
            for label, process in family:
                try:
                    rss = process.memory_info().rss
                    times = process.cpu_times()
                except psutil.NoSuchProcess:
                    continue
                key = (label, process.pid)
                self.cpu_seconds[key] = times.user + times.system
                self.peaks[key] = max(self.peaks.get(key, 0), rss)
                marks = self.at_checkpoint.setdefault(key, {})
                for checkpoint in CHECKPOINTS:
                    if progress >= checkpoint and checkpoint not in marks:
                        marks[checkpoint] = rss

    def last_job_finished_at(self) -> datetime:
        """When the last job finished, as the jobs table records it."""
        from sqlalchemy import create_engine, func, select

        from faturas.db.models import Job

        engine = create_engine(self.database_url)
        try:
            with engine.connect() as connection:
                finished = connection.scalar(select(func.max(Job.finished_at)))
        finally:
            engine.dispose()
        if finished is None:
            raise RuntimeError("no job has finished")
        return finished

    def start_cpu_count(self) -> None:
        """From now on CPU time counts (call after the warm-up)."""
        self._last_sample = 0.0
        self.sample_memory(0.0)
        self.cpu_at_start = dict(self.cpu_seconds)

    def cpu_per_bill_ms(self, bills: int) -> dict[str, float]:
        """Milliseconds of CPU per bill by role (``server``, ``worker-1``, their pool children summed)."""
        by_role: dict[str, float] = {}
        for key, seconds in self.cpu_seconds.items():
            spent = seconds - self.cpu_at_start.get(key, 0.0)
            by_role[key[0]] = by_role.get(key[0], 0.0) + spent * 1000 / bills
        return by_role

    def memory_report(self) -> list[str]:
        lines = []
        for (label, pid), peak in sorted(self.peaks.items()):
            marks = self.at_checkpoint.get((label, pid), {})
            series = "/".join(f"{marks[c] / MB:.0f}" if c in marks else "-" for c in CHECKPOINTS)
            lines.append(f"peak RSS {label} (pid {pid}): {peak / MB:.0f} MB; at 25/50/75/100%: {series} MB")
        return lines


def _family(label: str, process: psutil.Process) -> list[tuple[str, psutil.Process]]:
    """The process and its descendants, labelled by lineage: ``server > worker`` is the worker process
    ``faturas serve`` starts (a multiprocessing spawn), ``… > child`` its extraction processes."""
    family = [(label, process)]
    for child in process.children():
        try:
            kind = "worker" if any("spawn_main" in part for part in child.cmdline()) else "child"
        except psutil.Error:
            continue
        family += _family(f"{label} > {kind}", child)
    return family


def _spawn(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)


#: How long the server may take to answer after start: on a shared, busy machine the server and the
#: workers importing their code at once took over a minute (not part of what is measured).
STARTUP_SECONDS = 240.0


def _wait_for_http(url: str, server: subprocess.Popen[bytes], seconds: float = STARTUP_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {seconds} s")


def _create_database(server_url: str) -> str:
    import uuid

    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(server_url)
    name = f"faturas_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin.set(drivername="postgresql").render_as_string(False), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return admin.set(database=name).render_as_string(hide_password=False)


def _drop_database(server_url: str, database_url: str) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(server_url).set(drivername="postgresql").render_as_string(False)
    name = make_url(database_url).database
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _obliterate(redis_url: str, queue_name: str) -> None:
    from faturas.queue.bullmq import BullMQQueue

    queue = BullMQQueue(redis_url, queue_name=queue_name)
    try:
        queue.obliterate()
    finally:
        queue.close()
