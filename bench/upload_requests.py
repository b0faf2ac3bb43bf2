"""Single-file uploads through the app in-process (no HTTP client, no worker), for instruction counts.

    valgrind --tool=callgrind python bench/upload_requests.py 0
    valgrind --tool=callgrind python bench/upload_requests.py 200

(the second count minus the first, over 200: instructions per upload in the server). Embedded
settings in a temporary data folder, login off; each upload is a distinct synthetic 40 KB "PDF".
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path
from typing import Any

from faturas.api.app import create_app
from faturas.config import Settings

WARM_UP = 20
BOUNDARY = "----bench-boundary"


def body(number: int) -> bytes:
    pdf = b"%PDF-1.4\n%synthetic\n" + b'{"n": %d}' % number + b"x" * 40_000
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="fatura{number}.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    )
    return head.encode() + pdf + f"\r\n--{BOUNDARY}--\r\n".encode()


async def post(app: Any, number: int) -> None:
    data = body(number)
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/uploads",
        "raw_path": b"/api/uploads",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"127.0.0.1:8000"),
            (b"content-type", f"multipart/form-data; boundary={BOUNDARY}".encode()),
            (b"content-length", str(len(data)).encode()),
            (b"accept-encoding", b"gzip, deflate"),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": data, "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    answers: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        answers.append(message)

    await app(scope, receive, send)
    if answers[0]["status"] != 202:
        raise SystemExit(f"upload answered {answers}")


async def main(count: int) -> None:
    app = create_app(Settings(data_dir=Path(tempfile.mkdtemp(prefix="bench-uploads-")), auth="off"), run_worker=False)
    inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    await inbox.put({"type": "lifespan.startup"})
    lifespan_scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
    lifespan = asyncio.create_task(app(lifespan_scope, inbox.get, outbox.put))
    started = await outbox.get()
    if started["type"] != "lifespan.startup.complete":
        raise SystemExit(f"startup failed: {started}")
    for number in range(WARM_UP + count):
        await post(app, number)
    await inbox.put({"type": "lifespan.shutdown"})
    await outbox.get()
    await lifespan


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 200))
