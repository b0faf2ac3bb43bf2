"""UploadLimits: refuse an upload that is too large or carries too many files while it streams in.

The check runs on the bytes as they arrive, before the form parser spools them and long before
anything reaches the file store: a declared Content-Length over the limit is answered 413 without
reading the body; otherwise the body is counted chunk by chunk, and multipart bodies are followed
by a second, counting-only parser (python-multipart's, the one Starlette uses), so the first file
over ``max_upload_bytes`` or the file past ``max_files_per_upload`` stops the request at once.
"""

from __future__ import annotations

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from faturas.api.errors import status_for
from faturas.config import Settings
from faturas.errors import RequestTooLarge, TooManyFiles, UploadRejected, UploadTooLarge
from faturas.observability import job_metrics
from faturas.services.file_names import display_name


class _Refused(Exception):
    """Raised into the app's receive() when the body breaks a limit; the middleware answers instead."""


class _Meter:
    """Counts a request body's bytes and, for multipart bodies, its files and each file's size."""

    def __init__(self, settings: Settings, content_type: str | None) -> None:
        self._max_request = settings.max_request_bytes
        self._max_file = settings.max_upload_bytes
        self._max_files = settings.max_files_per_upload
        self.total = 0
        self.files = 0
        self.error: UploadRejected | None = None
        self._file_bytes = 0
        self._file_name: str | None = None
        self._in_file = False
        self._header_field = bytearray()
        self._header_value = bytearray()
        self._parser = self._multipart_parser(content_type)

    def feed(self, chunk: bytes) -> UploadRejected | None:
        self.total += len(chunk)
        if self.total > self._max_request:
            self.error = self.error or RequestTooLarge(self._max_request)
        elif self._parser is not None and self.error is None:
            try:
                self._parser.write(chunk)
            except MultipartParseError:
                self._parser = None  # a malformed body: the app's own parser will say so
        return self.error

    def _multipart_parser(self, content_type: str | None) -> MultipartParser | None:
        kind, options = parse_options_header(content_type)
        boundary = options.get(b"boundary")
        if kind != b"multipart/form-data" or not boundary:
            return None
        return MultipartParser(
            boundary,
            callbacks={
                "on_part_begin": self._part_begins,
                "on_header_field": lambda data, start, end: self._header_field.extend(data[start:end]),
                "on_header_value": lambda data, start, end: self._header_value.extend(data[start:end]),
                "on_header_end": self._header_ends,
                "on_headers_finished": self._headers_finished,
                "on_part_data": self._part_data,
            },
        )

    def _part_begins(self) -> None:
        self._in_file, self._file_name, self._file_bytes = False, None, 0

    def _header_ends(self) -> None:
        if bytes(self._header_field).lower() == b"content-disposition":
            _, options = parse_options_header(bytes(self._header_value))
            if b"filename" in options:
                self._in_file = True
                self._file_name = options[b"filename"].decode("utf-8", errors="replace")
        self._header_field.clear()
        self._header_value.clear()

    def _headers_finished(self) -> None:
        if not self._in_file:
            return
        self.files += 1
        if self.files > self._max_files:
            self.error = self.error or TooManyFiles(self._max_files)

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if not self._in_file:
            return
        self._file_bytes += end - start
        if self._file_bytes > self._max_file:
            self.error = self.error or UploadTooLarge(display_name(self._file_name, self.files), self._max_file)


class UploadLimits:
    """ASGI middleware; install it outermost, so no other layer reads a body it is about to refuse."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.settings.max_request_bytes:
            await _answer(scope, receive, send, RequestTooLarge(self.settings.max_request_bytes))
            return
        meter = _Meter(self.settings, headers.get("content-type"))
        started = False

        async def metered_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request" and meter.feed(message.get("body", b"")) is not None:
                raise _Refused()
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if meter.error is not None:
                # The app answers the body it could not finish reading (a 400, say): answer the limit instead.
                if message["type"] == "http.response.start" and not started:
                    started = True
                    await _answer(scope, receive, send, meter.error)
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, metered_receive, guarded_send)
        except Exception:
            # _Refused itself, or whatever a layer made of it (an exception group, a parse error).
            if meter.error is None:
                raise
            if not started:
                await _answer(scope, receive, send, meter.error)


async def _answer(scope: Scope, receive: Receive, send: Send, error: UploadRejected) -> None:
    # The body is left unread: the server closes the connection after this answer.
    job_metrics.upload_refused(error.code)  # counted like the refusals accept_upload makes
    response = JSONResponse(error.as_dict(), status_code=status_for(error), headers={"Connection": "close"})
    await response(scope, receive, send)
