"""``faturas serve``'s worker process: it does the jobs, is started again when it dies, and stops with the server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import psutil

from faturas.config import Settings
from faturas.db.models import JobStatus
from faturas.services.accept_upload import Upload, accept_upload
from faturas.services.context import ServiceContext, build_context
from faturas.synthetic import write_bills
from faturas.worker.worker_process import start_worker_process


def wait_until(predicate: Callable[[], bool], what: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise TimeoutError(what)


def status_of(context: ServiceContext, job_id: str) -> JobStatus:
    with context.uow_factory(read_only=True) as uow:
        job = uow.jobs.get(job_id)
        assert job is not None
        return JobStatus(job.status)


def test_the_worker_process_reads_bills_and_is_started_again_when_it_dies(tmp_path: Path) -> None:
    first, second = write_bills(tmp_path / "bills", 2, seed=11)
    context = build_context(Settings(data_dir=tmp_path / "data", workers=1, poll_interval_seconds=30))
    worker = start_worker_process(context, 1)
    try:
        # The poll interval is long: the job is taken at once only because the upload wakes the process.
        [accepted] = accept_upload(context, [Upload("a.pdf", first.read_bytes())])
        wait_until(lambda: status_of(context, accepted.job_id) == JobStatus.SUCCEEDED, "the first bill is read")

        killed = worker.pid
        assert killed is not None
        os.kill(killed, signal.SIGKILL)
        wait_until(lambda: worker.pid not in (None, killed), "a new worker process")
        [again] = accept_upload(context, [Upload("b.pdf", second.read_bytes())])
        wait_until(lambda: status_of(context, again.job_id) == JobStatus.SUCCEEDED, "the second bill is read")
    finally:
        pid = worker.pid
        worker.stop()
        context.close()
    assert pid is not None and not psutil.pid_exists(pid)


SERVER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from faturas.config import Settings
    from faturas.services.context import build_context
    from faturas.worker.worker_process import start_worker_process

    worker = start_worker_process(build_context(Settings(data_dir=Path(sys.argv[1]), workers=1)), 1)
    print(worker.pid, flush=True)
    time.sleep(600)
    """
)


def test_the_worker_process_stops_when_the_server_is_killed(tmp_path: Path) -> None:
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(tmp_path / "data")], stdout=subprocess.PIPE)
    try:
        assert server.stdout is not None
        child = psutil.Process(int(server.stdout.readline()))
        assert child.is_running()
    finally:
        server.kill()
        server.wait()
    # No orphan left reading bills: the closed wake pipe tells the child its server is gone.
    child.wait(timeout=60)
