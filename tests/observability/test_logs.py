"""Structured logs: a request id on every line of a request, job id and document on every line of a job
(in the extraction processes too), JSON or text, and no personal data read from a bill."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from faturas.api.app import create_app
from faturas.config import Settings
from faturas.logging_setup import log_handler
from faturas.observability import log_context
from faturas.services.extract_document import extract_document
from faturas.synthetic import random_bill, render_cemig_danf3e
from tests.ingest_support import fake_extract, fake_pdf
from tests.observability.support import wait_until


@pytest.fixture
def json_lines() -> Iterator[Callable[[], list[dict[str, Any]]]]:
    """What was logged (DEBUG and up) so far in the test, as the JSON format writes it, parsed."""
    stream = io.StringIO()
    handler = log_handler("json")
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(stream)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(old_level)


def make_client(tmp_path: Path, extractor: Any) -> TestClient:
    settings = Settings(
        data_dir=tmp_path / "data", database_url=f"sqlite:///{tmp_path / 'f.db'}", poll_interval_seconds=0.05
    )
    return TestClient(create_app(settings, extractor=extractor))


def finished(client: TestClient, job_id: str) -> dict[str, Any] | None:
    job: dict[str, Any] = client.get(f"/api/jobs/{job_id}").json()
    return job if job["status"] in {"succeeded", "failed", "duplicate"} else None


def test_one_bill_is_followed_from_its_upload_to_its_invoice(
    tmp_path: Path, json_lines: Callable[[], list[dict[str, Any]]]
) -> None:
    bill = fake_pdf(installation="77", month="2024-05")
    with make_client(tmp_path, fake_extract) as client:
        answer = client.post(
            "/api/uploads", files=[("files", ("b.pdf", bill, "application/pdf"))], headers={"X-Request-ID": "req-42"}
        )
        assert answer.headers["X-Request-ID"] == "req-42"
        job_id = answer.json()["jobs"][0]["job_id"]
        job = wait_until(lambda: finished(client, job_id))
        generated = client.get("/health/live").headers["X-Request-ID"]
    lines = json_lines()
    document = hashlib.sha256(bill).hexdigest()[:12]

    request_lines = [line for line in lines if line.get("request_id") == "req-42"]
    assert request_lines, "the upload request logged nothing"
    upload_line = next(line for line in request_lines if line["message"].startswith("upload accepted"))
    assert upload_line["job_id"] == job_id and upload_line["document"] == document
    access = next(line for line in request_lines if line["logger"] == "faturas.access")
    assert access["message"].startswith("POST /api/uploads 202")

    job_lines = [line for line in lines if line.get("job_id") == job_id and "request_id" not in line]
    assert any(f"invoice(s) {job['invoice_ids'][0]} created" in line["message"] for line in job_lines)
    assert all(line["document"] == document for line in job_lines if line["logger"] == "faturas.services.process_job")
    assert len(generated) == 32 and generated != "req-42"


def test_a_forged_request_id_is_replaced() -> None:
    from starlette.datastructures import Headers

    from faturas.api.request_context import request_id_from

    assert request_id_from(Headers({"X-Request-ID": "ok-1"})) == "ok-1"
    assert request_id_from(Headers({"X-Request-ID": 'x" level=ERROR\nfake'})) != 'x" level=ERROR\nfake'


def test_text_format_shows_the_context_in_brackets(capsys: pytest.CaptureFixture[str]) -> None:
    handler = log_handler("text")
    record = logging.LogRecord("faturas.x", logging.INFO, __file__, 1, "saved %s", ("ok",), None)
    with log_context.bound(job_id="abc", document="0123456789ab"):
        assert handler.filter(record)
    assert handler.format(record).endswith("INFO faturas.x [job_id=abc document=0123456789ab]: saved ok")


#: Run in a fresh interpreter: the pool's forkserver outlives a test and keeps the standard error of
#: the process that started it, so in a long test session its children write elsewhere.
_POOL_LOGGING_SCRIPT = """
from faturas.logging_setup import configure_log_format
from faturas.observability import log_context
from faturas.worker.pool import ExtractionPool
from tests.ingest_support import fake_pdf
from tests.observability.pool_functions import extract_and_log

configure_log_format("json")  # what `faturas serve` does; the pool's processes set up the same
pool = ExtractionPool(1, 30, extract_and_log)
try:
    with log_context.bound(job_id="job-in-pool", document="feedfacecafe"):
        pool.extract(fake_pdf(), None, 10)
finally:
    pool.close()
"""


def test_the_job_context_reaches_the_extraction_processes() -> None:
    repo_root = Path(__file__).resolve().parents[2]
    finished = subprocess.run(
        [sys.executable, "-c", _POOL_LOGGING_SCRIPT],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    lines = [json.loads(line) for line in finished.stderr.splitlines() if line.startswith("{")]
    from_pool = [line for line in lines if line["message"] == "reading in a pool process"]
    assert from_pool and from_pool[0]["job_id"] == "job-in-pool" and from_pool[0]["document"] == "feedfacecafe"


def test_no_personal_data_from_a_bill_reaches_the_logs(
    tmp_path: Path, json_lines: Callable[[], list[dict[str, Any]]]
) -> None:
    import random

    bill = random_bill(random.Random(7))
    pdf = render_cemig_danf3e(bill)
    with make_client(tmp_path, extract_document) as client:
        answer = client.post("/api/uploads", files=[("files", (f"{bill.holder.name}.pdf", pdf, "application/pdf"))])
        job = wait_until(lambda: finished(client, answer.json()["jobs"][0]["job_id"]), timeout=60)
        assert job["status"] == "succeeded"
        stored = client.get(f"/api/invoices/{job['invoice_ids'][0]}").json()
        assert stored["holder_name"]  # the bill's holder was read: the logs had the chance to leak it
        client.get("/api/invoices", params={"client_number": bill.client_number})
    lines = json_lines()
    assert any(line.get("job_id") == job["id"] for line in lines)
    logged = json.dumps(lines, ensure_ascii=False)
    digits = "".join(ch for ch in bill.holder.document if ch.isdigit())
    secrets = [bill.holder.name, stored["holder_name"], bill.holder.street, bill.holder.document, digits]
    for secret in secrets:
        assert secret and secret not in logged, secret
