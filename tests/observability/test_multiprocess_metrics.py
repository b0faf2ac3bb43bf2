"""`faturas serve` and `faturas worker` on one machine, sharing PROMETHEUS_MULTIPROC_DIR: the API's
/metrics counts the bills every process handled, and the worker's --metrics-port answers the same."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fpdf import FPDF

from faturas.synthetic import write_bills
from tests.observability.support import parse_metrics, total, value, wait_until

BILLS = 6


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def not_a_bill() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.cell(text="Ata da reunião de condomínio")
    return bytes(pdf.output())


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[tuple[str, str, subprocess.Popen[bytes], subprocess.Popen[bytes]]]:
    api_port, worker_port = free_port(), free_port()
    env = {
        **os.environ,
        "FATURAS_DATA_DIR": str(tmp_path / "data"),
        "FATURAS_PORT": str(api_port),
        "FATURAS_WORKERS": "1",
        "FATURAS_POLL_INTERVAL_SECONDS": "0.1",
        "FATURAS_OCR_ENABLED": "false",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
    }
    env.pop("FATURAS_DATABASE_URL", None)
    env.pop("FATURAS_QUEUE_URL", None)
    logs = (tmp_path / "serve.log").open("wb"), (tmp_path / "worker.log").open("wb")
    command = [sys.executable, "-m", "faturas.cli"]
    serve = subprocess.Popen([*command, "serve"], env=env, stdout=logs[0], stderr=subprocess.STDOUT)
    api = f"http://127.0.0.1:{api_port}"
    worker: subprocess.Popen[bytes] | None = None
    try:
        wait_until(lambda: _answers(f"{api}/health/live"), timeout=60, interval=0.2)  # migrated, serving
        worker_command = [*command, "worker", "--concurrency", "2", "--metrics-port", str(worker_port)]
        worker = subprocess.Popen(worker_command, env=env, stdout=logs[1], stderr=subprocess.STDOUT)
        wait_until(lambda: _answers(f"http://127.0.0.1:{worker_port}/metrics"), timeout=60, interval=0.2)
        yield api, f"http://127.0.0.1:{worker_port}", worker, serve
    finally:
        for process in (worker, serve):
            if process is not None:
                process.send_signal(signal.SIGTERM)
        for process in (worker, serve):
            if process is not None:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
        for log in logs:
            log.close()


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def test_the_api_metrics_add_up_the_bills_of_every_process(
    processes: tuple[str, str, subprocess.Popen[bytes], subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    api, worker_metrics, worker, serve = processes
    bills = write_bills(tmp_path / "bills", BILLS, seed=11)
    files = [("files", (path.name, path.read_bytes(), "application/pdf")) for path in bills]
    files.append(("files", ("ata.pdf", not_a_bill(), "application/pdf")))
    answer = httpx.post(f"{api}/api/uploads", files=files, timeout=30)
    assert answer.status_code == 202, answer.text
    job_ids = [job["job_id"] for job in answer.json()["jobs"]]

    def all_finished() -> bool:
        statuses = [httpx.get(f"{api}/api/jobs/{job_id}", timeout=5).json()["status"] for job_id in job_ids]
        return all(status in {"succeeded", "failed", "duplicate"} for status in statuses)

    wait_until(all_finished, timeout=120, interval=0.3)
    samples = parse_metrics(httpx.get(f"{api}/metrics", timeout=10).text)
    assert value(samples, "faturas_uploads_accepted_total", existing="false") == BILLS + 1
    assert value(samples, "faturas_jobs_finished_total", status="succeeded", code="") == BILLS
    assert total(samples, "faturas_jobs_finished_total", status="failed") == 1
    assert total(samples, "faturas_stage_seconds_count", stage="text") == BILLS
    assert total(samples, "faturas_stage_seconds_count", stage="save") == BILLS
    assert value(samples, "faturas_jobs", status="queued") == 0
    # The bills were read and saved in other processes than the one answering (the extraction
    # processes of serve's worker process, or of the worker): their own files are among the merged ones.
    pids = {path.name.rsplit("_", 1)[-1].removesuffix(".db") for path in (tmp_path / "metrics").iterdir()}
    assert pids - {str(serve.pid), str(worker.pid)}
    from_worker = parse_metrics(httpx.get(f"{worker_metrics}/metrics", timeout=10).text)
    assert value(from_worker, "faturas_jobs_finished_total", status="succeeded", code="") == BILLS
