"""Hostile file names: stored and shown safely, never used as paths (SQLite and PostgreSQL).

The multipart bodies are written by hand, so the names reach the server byte for byte as a hostile
client would send them (an HTTP library would clean some of them first).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from faturas.api.app import create_app
from faturas.config import Settings
from faturas.services.file_names import MAX_NAME_CHARS, display_name
from tests.ingest_support import fake_extract, fake_pdf

BOUNDARY = "faturas-names"

#: (raw file name as sent, in UTF-8; what must be stored and shown)
HOSTILE_NAMES = [
    ("../../../etc/passwd.pdf", "passwd.pdf"),
    ("..\\..\\Windows\\system32\\conta.pdf", "conta.pdf"),
    ("conta\x00.exe.pdf", "conta.exe.pdf"),
    ("fatura\u202efdp.exe", "faturafdp.exe"),  # a right-to-left override would show "exe.pdf"
    ("conta de energia – março ção 電気 ⚡.pdf", "conta de energia – março ção 電気 ⚡.pdf"),
    ("..", "arquivo-1.pdf"),
    ("a" * 1000 + ".pdf", "a" * (MAX_NAME_CHARS - 5) + "….pdf"),
]

#: A CR/LF ends a multipart header line, so it never reaches a name through HTTP; other callers may send one.
NAMES_BEYOND_HTTP = [("linha\r\nX-Injetado: sim.pdf", "linhaX-Injetado: sim.pdf"), ("\t conta \t.pdf", "conta .pdf")]


@pytest.fixture
def client(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path / "data", database_url=database_url, poll_interval_seconds=0.05)
    with TestClient(create_app(settings, extractor=fake_extract)) as test_client:
        yield test_client


def upload_named(client: TestClient, raw_name: str, data: bytes) -> Any:
    escaped = raw_name.replace("\\", "\\\\").replace('"', '\\"')
    body = (
        (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="{escaped}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode("utf-8", errors="surrogateescape")
        + data
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )
    return client.post(
        "/api/uploads", content=body, headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
    )


def wait_for(client: TestClient, job_id: str) -> dict[str, Any]:
    for _ in range(400):
        job: dict[str, Any] = client.get(f"/api/jobs/{job_id}").json()
        if job["status"] in {"succeeded", "failed", "duplicate"}:
            return job
        time.sleep(0.025)
    raise TimeoutError(job_id)


def test_hostile_names_are_stored_and_shown_safely_and_never_used_as_paths(client: TestClient, tmp_path: Path) -> None:
    shown = []
    for index, (raw, expected) in enumerate(HOSTILE_NAMES):
        answer = upload_named(client, raw, fake_pdf(installation=str(4000 + index)))
        assert answer.status_code == 202, (raw, answer.text)
        accepted = answer.json()["jobs"][0]
        job = wait_for(client, accepted["job_id"])
        assert job["status"] == "succeeded", job
        assert accepted["name"] == job["document"]["original_name"] == expected
        download = client.get(f"/api/invoices/{job['invoice_ids'][0]}/pdf")
        assert download.status_code == 200
        disposition = download.headers["content-disposition"]
        assert disposition.isascii() and "\r" not in disposition and "\n" not in disposition
        shown.append(expected)
    # Files are stored under their content hash: no name a client sent became a path anywhere.
    stored = [path for path in (tmp_path / "data").rglob("*") if path.is_file()]
    assert all(path.resolve().is_relative_to((tmp_path / "data").resolve()) for path in stored)
    assert not any(name.split(".")[0] in path.name for path in stored for name in shown if len(name) > 8)
    assert not (tmp_path / "etc").exists() and not (tmp_path.parent / "etc").exists()


@pytest.mark.parametrize(("raw", "expected"), HOSTILE_NAMES + NAMES_BEYOND_HTTP)
def test_display_name_keeps_only_what_is_safe_to_show(raw: str, expected: str) -> None:
    assert display_name(raw, 1) == expected


def test_a_name_with_lone_surrogates_becomes_valid_text() -> None:
    assert display_name("conta\udcff.pdf", 1) == "conta?.pdf"
    assert display_name(None, 3) == "arquivo-3.pdf"
