"""A lean HTTP load generator for bench/ingest.py: upload bodies built before the clock starts, sent over
one keep-alive connection per thread with the standard library's http.client.

The generator shares the machine's two cores with the pipeline it measures: httpx spent about 1 ms of
CPU per single-file request building and sending the multipart body, CPU taken from the server and
its workers, while the bills of real users arrive from other machines. Sent this way a request costs
the generator about a tenth of that.
"""

from __future__ import annotations

import http.client
import threading
import time
import uuid
from pathlib import Path

BOUNDARY = f"faturas-bench-{uuid.uuid4().hex}"
CONTENT_TYPE = f"multipart/form-data; boundary={BOUNDARY}"


def multipart_body(paths: list[Path]) -> bytes:
    """The form ``curl -F files=@a.pdf -F files=@b.pdf`` sends: one ``files`` part per file."""
    parts = []
    for path in paths:
        head = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="{path.name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        )
        parts.append(head.encode() + path.read_bytes() + b"\r\n")
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


class Uploader:
    """POSTs prepared bodies to ``/api/uploads``; each calling thread keeps its own connection."""

    def __init__(self, host: str, port: int) -> None:
        self._host, self._port = host, port
        self._local = threading.local()

    def post(self, body: bytes) -> float:
        """Send one upload; its latency in seconds. Raises when the answer is not 202."""
        connection = self._connection()
        began = time.perf_counter()
        connection.request(
            "POST", "/api/uploads", body, {"Content-Type": CONTENT_TYPE, "Content-Length": str(len(body))}
        )
        response = connection.getresponse()
        answer = response.read()
        latency = time.perf_counter() - began
        if response.status != 202:
            raise RuntimeError(f"upload answered {response.status}: {answer[:300]!r}")
        return latency

    def _connection(self) -> http.client.HTTPConnection:
        connection: http.client.HTTPConnection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._local.connection = http.client.HTTPConnection(self._host, self._port, timeout=60)
        return connection
