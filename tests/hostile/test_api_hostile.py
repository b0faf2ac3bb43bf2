"""Hostile files through the API and the real worker (process pool, memory and time limits).

Each one is refused at the door with a code and a Portuguese reason, or accepted as a job that ends
``failed`` with its code; right after it, a good bill is uploaded and must succeed: the worker goes on.
"""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from faturas.api.app import create_app
from faturas.config import Settings
from faturas.synthetic import random_bill, render_cemig_danf3e
from tests.hostile.cases import BILL_PASSWORD, CASES, HostileCase, broken_xref_pdf, encrypted_pdf

FINISHED = {"succeeded", "failed", "duplicate"}

_seeds = itertools.count(1000)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile-api")


@pytest.fixture(scope="module")
def client(data_dir: Path) -> Iterator[TestClient]:
    settings = Settings(data_dir=data_dir, workers=2, job_timeout_seconds=60, poll_interval_seconds=0.05)
    with TestClient(create_app(settings)) as test_client:  # the real extractor, in the process pool
        yield test_client


def upload(client: TestClient, name: str, data: bytes, password: str | None = None) -> Any:
    return client.post(
        "/api/uploads",
        files=[("files", (name, data, "application/pdf"))],
        data={"passwords": [password] if password else []},
    )


def wait_for(client: TestClient, job_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(f"/api/jobs/{job_id}").json()
        if job["status"] in FINISHED:
            return job
        time.sleep(0.05)
    raise TimeoutError(f"job {job_id} did not finish")


def process(client: TestClient, name: str, data: bytes, password: str | None = None) -> dict[str, Any]:
    answer = upload(client, name, data, password)
    assert answer.status_code == 202, answer.text
    return wait_for(client, answer.json()["jobs"][0]["job_id"])


def assert_the_worker_goes_on(client: TestClient) -> None:
    bill = random_bill(random.Random(next(_seeds)))
    job = process(client, "boa.pdf", render_cemig_danf3e(bill))
    assert job["status"] == "succeeded", job


def job_count(client: TestClient) -> int:
    total: int = client.get("/api/jobs").json()["total"]
    return total


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_hostile_file_gets_a_clear_answer_and_the_worker_goes_on(
    client: TestClient, data_dir: Path, case: HostileCase
) -> None:
    if case.refused_with is not None:
        jobs_before = job_count(client)
        answer = upload(client, case.filename, case.make())
        assert answer.status_code == case.refused_with
        assert answer.json()["code"] == case.code
        assert answer.json()["message"]
        assert job_count(client) == jobs_before  # refused at the door: no document, no job
    else:
        job = process(client, case.filename, case.make())
        assert job["status"] == "failed", job
        assert job["error"]["code"] == case.code, job["error"]
        assert job["error"]["message"]
        assert job["attempts"] == 1  # an unreadable bill is never retried
    assert_the_worker_goes_on(client)


def test_a_repaired_cross_reference_table_is_stored_like_any_bill(client: TestClient) -> None:
    job = process(client, "xref.pdf", broken_xref_pdf())
    assert job["status"] == "succeeded", job


def test_an_encrypted_bill_fails_with_a_wrong_password_and_is_read_with_the_right_one(client: TestClient) -> None:
    wrong = process(client, "senha-errada.pdf", encrypted_pdf("98765432100"), password="00000000000")
    assert wrong["status"] == "failed"
    assert wrong["error"]["code"] == "encrypted_pdf"
    assert "não confere" in wrong["error"]["message"]
    bill = random_bill(random.Random(next(_seeds)))
    right = process(client, "com-senha.pdf", encrypted_pdf(pdf=render_cemig_danf3e(bill)), password=BILL_PASSWORD)
    assert right["status"] == "succeeded", right
    invoice = client.get(f"/api/invoices/{right['invoice_ids'][0]}").json()
    assert invoice["total_amount"] == str(bill.total)


def test_a_locked_bill_sent_again_with_its_password_is_read_again(client: TestClient) -> None:
    bill = random_bill(random.Random(next(_seeds)))
    locked = encrypted_pdf(pdf=render_cemig_danf3e(bill))
    first = process(client, "trancada.pdf", locked)
    assert first["error"]["code"] == "encrypted_pdf"
    again = upload(client, "trancada.pdf", locked, password=BILL_PASSWORD).json()["jobs"][0]
    assert again["job_id"] == first["id"]  # the same file: the same job, read again with the password
    assert wait_for(client, again["job_id"])["status"] == "succeeded"
