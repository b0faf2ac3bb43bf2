"""A webhook receiver on loopback for tests: a tiny threaded http.server that answers by a script.

The script gets the delivery id and which attempt of it this is (1, 2, …) and returns an HTTP status,
or ``HANG`` to keep the sender waiting past its time limit without answering.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HANG = -1

Script = Callable[[str, int], int]


@dataclass(frozen=True)
class Request:
    delivery_id: str
    event_type: str
    signature: str
    body: bytes
    attempt: int
    #: The status answered, or None when the receiver hung (the sender gave up first).
    answered: int | None

    @property
    def event(self) -> dict[str, Any]:
        document: dict[str, Any] = json.loads(self.body)
        return document


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # many senders at once must not find the door shut


class Receiver:
    def __init__(self, script: Script, hang_seconds: float = 1.0, delay_seconds: float = 0.0) -> None:
        self.script = script
        self.hang_seconds = hang_seconds
        self.delay_seconds = delay_seconds
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._attempts: Counter[str] = Counter()
        self._server = _Server(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/hooks/faturas"

    def accepted(self) -> list[Request]:
        with self._lock:
            return [request for request in self.requests if request.answered is not None and request.answered < 300]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                delivery_id = self.headers.get("X-Faturas-Delivery", "")
                with receiver._lock:
                    receiver._attempts[delivery_id] += 1
                    attempt = receiver._attempts[delivery_id]
                status = receiver.script(delivery_id, attempt)
                request = Request(
                    delivery_id,
                    self.headers.get("X-Faturas-Event", ""),
                    self.headers.get("X-Faturas-Signature", ""),
                    body,
                    attempt,
                    None if status == HANG else status,
                )
                with receiver._lock:
                    receiver.requests.append(request)
                time.sleep(receiver.hang_seconds if status == HANG else receiver.delay_seconds)
                if status == HANG:
                    return  # the sender timed out long ago: close without an answer
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


@contextmanager
def running_receiver(script: Script, **options: float) -> Iterator[Receiver]:
    receiver = Receiver(script, **options)
    thread = threading.Thread(target=receiver._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        receiver._server.shutdown()
        receiver._server.server_close()
        thread.join(5)
