"""Every request gets an id (the caller's ``X-Request-ID`` when it sends a sane one): it is in the log
context of every line the request logs, answered in ``X-Request-ID``, and on the access log line.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from faturas.observability import log_context

HEADER = "X-Request-ID"
#: A caller's id is kept only when it is short and plain, so it cannot forge log lines.
ACCEPTED_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")

access_log = logging.getLogger("faturas.access")


def request_id_from(headers: Headers) -> str:
    given = headers.get(HEADER, "")
    return given if ACCEPTED_ID.match(given) else uuid.uuid4().hex


class RequestContextMiddleware:
    """Pure ASGI (no BaseHTTPMiddleware): streamed answers pass through untouched and in the same context."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(Headers(scope=scope))
        raw_id = request_id.encode("latin-1")
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                message["headers"] = [*message.get("headers", ()), (b"x-request-id", raw_id)]
            await send(message)

        with log_context.bound(request_id=request_id):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                # The path only: query strings may carry client numbers, and they add nothing to tracing.
                elapsed_ms = (time.perf_counter() - started) * 1000
                access_log.info("%s %s %d %.1f ms", scope["method"], scope["path"], status, elapsed_ms)
