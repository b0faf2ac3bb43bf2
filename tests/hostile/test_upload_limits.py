"""Oversize and overfull uploads are refused while they stream in, before anything is stored.

The 100 MB upload goes to a real server (``faturas serve`` in a subprocess) over a raw socket, so the
server's own memory can be measured: it must not hold the upload. Hundreds of files go through the
in-process client: up to ``max_files_per_upload`` are accepted, one more and the request is refused.
"""

from __future__ import annotations

import os
import select
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest
from fastapi.testclient import TestClient

from faturas.api.app import create_app
from faturas.config import Settings
from tests.ingest_support import fake_extract, fake_pdf

HUNDRED_MB = 100 * 1024 * 1024
CHUNK = 1024 * 1024
BOUNDARY = "faturas-hostile-boundary"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, psutil.Process]]:
    data_dir = tmp_path_factory.mktemp("upload-limits")
    port = free_port()
    env = {**os.environ, "FATURAS_DATA_DIR": str(data_dir), "FATURAS_WORKERS": "1", "FATURAS_AUTH": "off"}
    command = [sys.executable, "-m", "faturas.cli", "serve", "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/api/jobs", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("faturas serve did not start")
            time.sleep(0.2)
        yield base, data_dir, psutil.Process(process.pid)
    finally:
        process.terminate()
        process.wait(30)


def peak_rss(process: psutil.Process) -> int:
    """The process's high-water mark of resident memory (VmHWM), in bytes."""
    for line in Path(f"/proc/{process.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM in /proc")


def send_upload(port: int, size: int, *, declare_length: bool) -> tuple[int, bytes, int]:
    """POST one file of ``size`` bytes over a raw socket, a megabyte at a time, reading the answer as soon
    as there is one. Returns (status, body, bytes of the file sent before the answer)."""
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="enorme.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n%PDF-1.7\n"
    ).encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    headers = [
        "POST /api/uploads HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}",
    ]
    headers.append(
        f"Content-Length: {len(head) + size + len(tail)}" if declare_length else "Transfer-Encoding: chunked"
    )
    connection = socket.create_connection(("127.0.0.1", port), timeout=60)
    sent = 0
    try:
        connection.sendall(("\r\n".join(headers) + "\r\n\r\n").encode())
        pieces = [head] + [b"\0" * CHUNK] * (size // CHUNK) + [tail]
        for piece in pieces:
            readable, _, _ = select.select([connection], [], [], 0.05 if sent == 0 else 0)
            if readable:
                break  # the server answered before reading the rest
            try:
                connection.sendall(piece if declare_length else b"%x\r\n%s\r\n" % (len(piece), piece))
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(piece)
        answer = b""
        while b"\r\n\r\n" not in answer or len(answer) < _expected_length(answer):
            chunk = connection.recv(65536)
            if not chunk:
                break
            answer += chunk
    finally:
        connection.close()
    status_line, _, rest = answer.partition(b"\r\n")
    return int(status_line.split()[1]), rest.split(b"\r\n\r\n", 1)[1], sent


def _expected_length(answer: bytes) -> int:
    head, _, _ = answer.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(head) + 4 + int(line.split(b":")[1])
    return 0


def assert_nothing_stored(base: str, data_dir: Path) -> None:
    assert httpx.get(f"{base}/api/jobs").json()["total"] == 0
    files = data_dir / "files"
    assert not files.exists() or not any(path.is_file() for path in files.rglob("*"))


@pytest.mark.parametrize("declare_length", [True, False], ids=["content-length", "chunked"])
def test_a_100_mb_upload_is_refused_with_413_before_it_is_stored_or_held_in_memory(
    server: tuple[str, Path, psutil.Process], declare_length: bool
) -> None:
    base, data_dir, process = server
    port = int(base.rsplit(":", 1)[1])
    before = peak_rss(process)
    status, body, sent = send_upload(port, HUNDRED_MB, declare_length=declare_length)
    assert status == 413
    answer = httpx.Response(413, content=body).json()
    assert answer["code"] == "upload_too_large"
    assert "limite" in answer["message"]
    # Declared: refused on the headers. Streamed: refused once the file passes the 25 MB limit.
    assert sent < (CHUNK if declare_length else 40 * CHUNK)
    assert peak_rss(process) - before < 16 * 1024 * 1024  # never the upload (nor the 25 MB file limit) in memory
    assert_nothing_stored(base, data_dir)
    assert httpx.get(f"{base}/api/jobs").status_code == 200  # and the server goes on


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path / "data", max_files_per_upload=100, poll_interval_seconds=0.05)
    with TestClient(create_app(settings, extractor=fake_extract)) as test_client:
        yield test_client


def many_files(count: int) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (f"conta-{n}.pdf", fake_pdf(installation=str(n)), "application/pdf")) for n in range(count)]


def test_hundreds_of_files_in_one_request_are_refused_and_nothing_is_stored(client: TestClient, tmp_path: Path) -> None:
    answer = client.post("/api/uploads", files=many_files(300))
    assert answer.status_code == 413
    assert answer.json()["code"] == "too_many_files"
    assert "no máximo 100 arquivos" in answer.json()["message"]
    assert client.get("/api/jobs").json()["total"] == 0
    assert not (tmp_path / "data" / "files").exists() or not any((tmp_path / "data" / "files").rglob("*.pdf"))


def test_up_to_the_file_limit_every_file_is_accepted(client: TestClient) -> None:
    answer = client.post("/api/uploads", files=many_files(100))
    assert answer.status_code == 202
    assert len({job["job_id"] for job in answer.json()["jobs"]}) == 100
