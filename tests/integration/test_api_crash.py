"""The API process killed in the middle of an upload: after a restart nothing is lost or stored twice.

The client was never answered, so it sends the file again (or gives up: then ``faturas doctor --repair``
removes the stored file nobody owns).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from faturas.api.app import create_app
from faturas.cli import app as cli
from faturas.config import Settings
from faturas.services.context import ServiceContext
from faturas.services.doctor import Check, examine
from tests.ingest_support import ContextFactory, fake_extract, fake_pdf
from tests.integration.crashing_server import KILLED
from tests.reconcile import reconcile

REPO_ROOT = Path(__file__).resolve().parents[2]
FINISHED = {"succeeded", "duplicate", "failed"}


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """SQLite only: the fault is the API process dying; PostgreSQL restarts are tests/scale/test_faults_postgres.py."""
    return f"sqlite:///{tmp_path / 'faturas.db'}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def environment(settings: Settings) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("FATURAS_")}
    env.update(
        FATURAS_DATA_DIR=str(settings.data_dir),
        FATURAS_DATABASE_URL=settings.resolved_database_url,
        PYTHONPATH=str(REPO_ROOT),
    )
    return env


def upload_to_crashing_server(env: dict[str, str], point: str, name: str, data: bytes) -> None:
    """Start the API that dies at ``point`` (FATURAS_* settings in ``env``), send one file, see no answer."""
    port = free_port()
    command = [sys.executable, "-m", "tests.integration.crashing_server", str(port), point]
    server = subprocess.Popen(command, cwd=REPO_ROOT, env={**env, "PYTHONPATH": str(REPO_ROOT)})
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{url}/api/jobs", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None and time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        with pytest.raises(httpx.TransportError):
            httpx.post(f"{url}/api/uploads", files=[("files", (name, data, "application/pdf"))], timeout=30)
        assert server.wait(timeout=30) == KILLED
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def send_again_and_process(context: ServiceContext, name: str, data: bytes) -> dict[str, Any]:
    """The restarted API (with its embedded worker): the client's second try, processed to the end."""
    with TestClient(create_app(context.settings, extractor=fake_extract, context=context)) as client:
        response = client.post("/api/uploads", files=[("files", (name, data, "application/pdf"))])
        assert response.status_code == 202, response.text
        [job] = response.json()["jobs"]
        for _ in range(600):
            state: dict[str, Any] = client.get(f"/api/jobs/{job['job_id']}").json()
            if state["status"] in FINISHED:
                return {**job, "final": state["status"]}
            time.sleep(0.05)
    raise AssertionError("the job did not finish")


def test_killed_after_storing_the_file_then_the_client_sends_it_again(make_context: ContextFactory) -> None:
    context = make_context(poll_interval_seconds=0.05)
    bill = fake_pdf(month="2024-06")
    upload_to_crashing_server(environment(context.settings), "after_store", "conta.pdf", bill)

    [orphan] = examine(context, orphan_grace=timedelta(0)).findings
    assert orphan.check is Check.ORPHAN_FILE  # stored, never committed: nobody owns it yet

    job = send_again_and_process(context, "conta.pdf", bill)
    assert job["existing"] is False and job["final"] == "succeeded"
    outcome = reconcile(context, [job["job_id"]])  # the stored file now belongs to the document
    assert (outcome.documents, outcome.jobs, outcome.invoices) == (1, 1, 1)


def test_killed_after_storing_the_file_and_the_client_gives_up_then_doctor_repairs(
    make_context: ContextFactory,
) -> None:
    context = make_context()
    upload_to_crashing_server(environment(context.settings), "after_store", "conta.pdf", fake_pdf(month="2024-07"))

    env = environment(context.settings)
    result = CliRunner().invoke(cli, ["doctor"], env=env)
    assert result.exit_code == 0, result.output  # young: maybe an upload in flight, not a problem yet
    result = CliRunner().invoke(cli, ["doctor", "--repair", "--grace-minutes", "0"], env=env)
    assert result.exit_code == 0, result.output
    assert "arquivo apagado" in result.output
    assert context.store.keys() == []
    reconcile(context, [])


def test_killed_after_the_commit_before_the_answer_the_job_still_runs_once(make_context: ContextFactory) -> None:
    context = make_context(poll_interval_seconds=0.05)
    bill = fake_pdf(month="2024-08")
    upload_to_crashing_server(environment(context.settings), "after_commit", "conta.pdf", bill)

    job = send_again_and_process(context, "conta.pdf", bill)
    assert job["existing"] is True  # the row was committed: the answer is the job that exists
    assert job["final"] == "succeeded"
    outcome = reconcile(context, [job["job_id"]])
    assert (outcome.documents, outcome.jobs, outcome.invoices) == (1, 1, 1)
