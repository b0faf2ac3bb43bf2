"""End to end in embedded mode: every corpus file through POST /api/uploads, real workers and extraction.

The expectation is computed with the workers' own extraction function, so the test holds while
templates are still landing: a bill the engine reads is stored exactly once, a bill it refuses ends
``failed`` with the same code.
"""

from __future__ import annotations

import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from faturas.api.app import create_app
from faturas.config import Settings
from faturas.domain.invoice import Invoice
from faturas.errors import BillRejected
from faturas.services.extract_document import worker_extractor
from faturas.services.save_invoice import invoices_to_store

pytestmark = pytest.mark.corpus

BYTE_VARIANT = "cemig/invoice-sample_3001116735-01-2024_bytevariant.pdf"
ORIGINAL = "cemig/3001116735-01-2024.pdf"
SCREENSHOT = "cemig/Pai_CEMIG_17112022.pdf"


def expected_reads(settings: Settings, files: dict[str, bytes]) -> dict[str, Invoice | BillRejected]:
    extract = worker_extractor(settings)
    reads: dict[str, Invoice | BillRejected] = {}
    for name, data in files.items():
        try:
            reads[name] = extract(data, None, settings.max_pages).invoice
        except BillRejected as error:
            reads[name] = error
    return reads


def identity(invoice: Invoice) -> tuple[str, str | None, str]:
    return (invoice.distributor, invoice.installation_number, str(invoice.reference_month))


def wait_all(client: TestClient, job_ids: list[str], timeout: float = 600) -> dict[str, dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        jobs = {job_id: client.get(f"/api/jobs/{job_id}").json() for job_id in job_ids}
        if all(job["status"] in ("succeeded", "failed", "duplicate") for job in jobs.values()):
            return jobs
        time.sleep(0.2)
    raise TimeoutError("corpus jobs did not finish")


def test_every_readable_corpus_bill_is_stored_exactly_once(corpus_dir: Path, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", workers=2, poll_interval_seconds=0.1)
    files = {path.relative_to(corpus_dir).as_posix(): path.read_bytes() for path in sorted(corpus_dir.rglob("*.pdf"))}
    reads = expected_reads(settings, files)

    with TestClient(create_app(settings)) as client:
        parts = [("files", (Path(name).name, data, "application/pdf")) for name, data in files.items()]
        answer = client.post("/api/uploads", files=parts)
        assert answer.status_code == 202
        job_of = {name: item["job_id"] for name, item in zip(files, answer.json()["jobs"], strict=True)}
        jobs = wait_all(client, list(job_of.values()))
        stored = client.get("/api/invoices", params={"limit": 500}).json()["items"]

    # Refused bills fail with the engine's own code and a message for people.
    for name, read in reads.items():
        job = jobs[job_of[name]]
        if isinstance(read, BillRejected):
            assert job["status"] == "failed", name
            assert job["error"]["code"] == read.code, name
            assert job["error"]["message"], name

    # Readable bills: one current invoice per (distributor, installation, month), however many files say so.
    files_of: dict[tuple[str, str | None, str], list[str]] = defaultdict(list)
    for name, read in reads.items():
        if isinstance(read, Invoice):
            for _, invoice in invoices_to_store(read):
                files_of[identity(invoice)].append(name)
    stored_identities = [(i["distributor"], i["installation_number"], i["reference_month"]) for i in stored]
    assert sorted(stored_identities) == sorted(files_of)
    for key, names in files_of.items():
        statuses = sorted(jobs[job_of[name]]["status"] for name in names)
        assert statuses.count("succeeded") == 1, (key, statuses)
        assert set(statuses) <= {"succeeded", "duplicate"}, (key, statuses)

    # Client and unit come from the bill the stored invoice was read from.
    for invoice in stored:
        key = (invoice["distributor"], invoice["installation_number"], invoice["reference_month"])
        [name] = [name for name in files_of[key] if jobs[job_of[name]]["status"] == "succeeded"]
        read = reads[name]
        assert isinstance(read, Invoice)
        [source] = [i for _, i in invoices_to_store(read) if identity(i) == key]
        assert invoice["client_number"] == source.client_number

    # The byte-variant copy is the same bill: once one is stored, the other ends duplicate.
    if isinstance(reads[ORIGINAL], Invoice):
        pair = sorted(jobs[job_of[name]]["status"] for name in (ORIGINAL, BYTE_VARIANT))
        assert pair == ["duplicate", "succeeded"]
        duplicate = next(jobs[job_of[n]] for n in (ORIGINAL, BYTE_VARIANT) if jobs[job_of[n]]["status"] == "duplicate")
        assert duplicate["duplicate_reason"] == "same_bill"

    # The portal screenshot is not a bill: it fails, and says why.
    screenshot = jobs[job_of[SCREENSHOT]]
    assert screenshot["status"] == "failed"
    assert screenshot["error"]["code"] in {"no_text_layer", "not_a_bill", "ocr_unavailable"}
    assert len(screenshot["error"]["message"]) > 20
