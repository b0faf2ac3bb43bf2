"""Security headers, request ids, the CSRF cookie, and answers that never show a stack trace."""

from __future__ import annotations

import functools
import logging
import re
import uuid
from collections.abc import Iterator
from html import escape
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from faturas.api.sessions import CSRF_COOKIE, csrf_cookie_header, new_csrf_token, valid_csrf_shape
from faturas.config import Settings
from faturas.errors import (
    AccessError,
    AccountExists,
    AuthNotConfigured,
    CsrfRejected,
    InvalidAccount,
    NotAuthenticated,
    PermissionDenied,
    RateLimited,
)
from faturas.observability import log_context

log = logging.getLogger(__name__)

#: Everything from this origin and no inline script; the PDF may be framed by our own pages. Inline
#: styles are allowed because the chart library (plotly.js) writes them; styles cannot run code.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; object-src 'self'; frame-src 'self' blob:; frame-ancestors 'self'; "
    "base-uri 'self'; form-action 'self'"
)
#: The interactive documentation (/docs): an inline page running Swagger UI from our own files.
DOCS_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; frame-ancestors 'self'; base-uri 'self'"
)
DOCS_PATHS = ("/docs",)
HSTS = "max-age=31536000; includeSubDomains"

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")

ACCESS_STATUS: tuple[tuple[type[AccessError], int], ...] = (
    (NotAuthenticated, 401),
    (PermissionDenied, 403),
    (CsrfRejected, 403),
    (RateLimited, 429),
    (InvalidAccount, 422),
    (AccountExists, 409),
    (AuthNotConfigured, 503),
)


def security_headers(path: str, https: bool) -> Iterator[tuple[str, str]]:
    csp = DOCS_CONTENT_SECURITY_POLICY if path.startswith(DOCS_PATHS) else CONTENT_SECURITY_POLICY
    yield "Content-Security-Policy", csp
    yield "X-Content-Type-Options", "nosniff"
    yield "X-Frame-Options", "SAMEORIGIN"
    yield "Referrer-Policy", "same-origin"
    yield "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
    yield "Cross-Origin-Opener-Policy", "same-origin"
    if path.startswith(("/api/", "/login")):
        # Bills carry personal data: no shared cache or browser back-button copy keeps them.
        yield "Cache-Control", "no-store"
    if https:
        yield "Strict-Transport-Security", HSTS


@functools.cache
def _raw_security_headers(docs: bool, personal: bool, https: bool) -> tuple[tuple[bytes, bytes], ...]:
    """security_headers() as raw ASGI headers, by the three things of the path and scheme they depend on."""
    path = DOCS_PATHS[0] if docs else ("/api/" if personal else "/")
    headers = security_headers(path, https)
    return tuple((name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers)


class SecurityMiddleware:
    """Pure ASGI (streams pass through untouched): request id, security headers and the CSRF cookie."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        connection = HTTPConnection(scope)
        state = scope.setdefault("state", {})
        request_id, owned = _request_id(scope, connection)
        state.setdefault("request_id", request_id)
        csrf = connection.cookies.get(CSRF_COOKIE)
        new_csrf = None
        if not valid_csrf_shape(csrf) and "authorization" not in connection.headers:
            csrf = new_csrf = new_csrf_token()
        state["csrf_token"] = csrf
        https = scope.get("scheme") == "https"
        secure = self.settings.cookie_secure == "always" or (self.settings.cookie_secure == "auto" and https)
        path = scope.get("path", "")

        cookie_prefix = f"{CSRF_COOKIE}=".encode()
        added = _raw_security_headers(path.startswith(DOCS_PATHS), path.startswith(("/api/", "/login")), https)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                # The raw header list (names are lower-case bytes there), as MutableHeaders would leave it:
                # each header added unless the answer has it already.
                headers = list(message.get("headers", ()))
                present = {name for name, _ in headers}
                headers.extend(header for header in added if header[0] not in present)
                if owned and b"x-request-id" not in present:
                    headers.append((b"x-request-id", request_id.encode("latin-1")))
                if new_csrf is not None and not any(
                    name == b"set-cookie" and value.startswith(cookie_prefix) for name, value in headers
                ):
                    headers.append((b"set-cookie", csrf_cookie_header(new_csrf, secure).encode("latin-1")))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _request_id(scope: Scope, connection: HTTPConnection) -> tuple[str, bool]:
    """The request's id, and whether this middleware must answer it in X-Request-ID.

    The observability middleware names requests too: inside it, its id is in the log context (and it
    answers the header); outside it, the id made here is handed to it as the incoming header.
    """
    bound = log_context.current().get("request_id")
    if bound:
        return bound, False
    incoming = connection.headers.get("x-request-id", "")
    if _REQUEST_ID.match(incoming):
        return incoming, True
    request_id = uuid.uuid4().hex
    scope["headers"] = [*scope.get("headers", []), (b"x-request-id", request_id.encode())]
    return request_id, True


def request_id_of(request: Request) -> str:
    return str(getattr(request.state, "request_id", None) or uuid.uuid4().hex)


def wants_page(request: Request) -> bool:
    """A person in a browser (answer with a page or a redirect), not a program (answer with JSON)."""
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


async def access_error(request: Request, error: Exception) -> Response:
    if not isinstance(error, AccessError):  # registered for AccessError only
        raise error
    status = next((status for kind, status in ACCESS_STATUS if isinstance(error, kind)), 403)
    if isinstance(error, NotAuthenticated) and wants_page(request):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.method not in {"GET", "HEAD"}:
            target = "/"  # a form sent after the session ended: start again from the home page
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    if wants_page(request):
        body = f'<!doctype html><html lang="pt-BR"><title>faturas</title><p>{escape(error.message)}</p></html>'
        return HTMLResponse(body, status_code=status)
    headers: dict[str, str] = {}
    if isinstance(error, NotAuthenticated):
        headers["WWW-Authenticate"] = 'Bearer realm="faturas"'
    if isinstance(error, RateLimited):
        headers["Retry-After"] = str(error.retry_after_seconds)
    return JSONResponse(error.as_dict(), status_code=status, headers=headers)


async def internal_error(request: Request, error: Exception) -> Response:
    """Anything unexpected: logged with its traceback, answered with a request id and nothing else."""
    request_id = request_id_of(request)
    log.error("unexpected error (request %s)", request_id, exc_info=error)
    body = {
        "code": "internal_error",
        "message": f"Erro interno do servidor. Se persistir, informe o código {request_id} ao suporte.",
        "request_id": request_id,
    }
    response = JSONResponse(body, status_code=500)
    # This answer leaves from outside every middleware: add what SecurityMiddleware would have.
    for name, value in security_headers(request.url.path, request.url.scheme == "https"):
        response.headers[name] = value
    response.headers["X-Request-ID"] = request_id
    return response
