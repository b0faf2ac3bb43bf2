"""Browser sessions and CSRF cookies.

The session cookie is signed, not stored: it carries the user id and the user's session epoch, and a
logout (or a new password, or disabling the user) bumps the epoch, so every copy of it stops working.
CSRF is double-submit: ``faturas_csrf`` is readable by the pages' scripts, and every unsafe request
that a session cookie authenticates must echo it in ``X-CSRF-Token`` or the form field ``csrf_token``.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from pathlib import Path

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from faturas.config import Settings

SESSION_COOKIE = "faturas_session"
CSRF_COOKIE = "faturas_csrf"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SECRET_FILE = "session_secret"

_CSRF_SHAPE = re.compile(r"^[A-Za-z0-9_-]{32,128}$")


def load_session_secret(settings: Settings) -> str:
    """FATURAS_SESSION_SECRET, or a secret generated once into the data folder (mode 0600).

    Several API processes on different machines must share FATURAS_SESSION_SECRET.
    """
    if settings.session_secret is not None:
        return settings.session_secret.get_secret_value()
    path = settings.data_dir / SECRET_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_secret(path)
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(48))
    return _read_secret(path)


def _read_secret(path: Path) -> str:
    # Another process may have created the file a moment ago and still be writing it.
    for _ in range(50):
        secret = path.read_text().strip()
        if secret:
            return secret
        time.sleep(0.02)
    raise RuntimeError(f"session secret file {path} is empty")


class SessionSigner:
    def __init__(self, secret: str, max_age_seconds: int) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="faturas-session")
        self.max_age_seconds = max_age_seconds

    def sign(self, user_id: int, epoch: int) -> str:
        return self._serializer.dumps({"u": user_id, "e": epoch})

    def verify(self, value: str) -> tuple[int, int] | None:
        """(user id, epoch) of a cookie we signed within its lifetime; None for anything else."""
        try:
            payload = self._serializer.loads(value, max_age=self.max_age_seconds)
        except BadSignature:
            return None
        if not isinstance(payload, dict):
            return None
        user_id, epoch = payload.get("u"), payload.get("e")
        if not isinstance(user_id, int) or not isinstance(epoch, int):
            return None
        return user_id, epoch


def cookies_secure(request: Request, settings: Settings) -> bool:
    if settings.cookie_secure == "always":
        return True
    if settings.cookie_secure == "never":
        return False
    return request.url.scheme == "https"


def set_session_cookie(response: Response, request: Request, settings: Settings, value: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        value,
        max_age=settings.session_max_age_seconds,
        path="/",
        httponly=True,
        samesite="lax",
        secure=cookies_secure(request, settings),
    )


def clear_session_cookie(response: Response, request: Request, settings: Settings) -> None:
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=cookies_secure(request, settings)
    )


def csrf_cookie_header(token: str, secure: bool) -> str:
    """The Set-Cookie value of the CSRF cookie: readable by scripts (not HttpOnly), same site only."""
    return f"{CSRF_COOKIE}={token}; Path=/; SameSite=Strict" + ("; Secure" if secure else "")


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def valid_csrf_shape(token: str | None) -> bool:
    return token is not None and _CSRF_SHAPE.match(token) is not None


def set_csrf_cookie(response: Response, request: Request, settings: Settings, token: str) -> None:
    response.set_cookie(
        CSRF_COOKIE, token, path="/", httponly=False, samesite="strict", secure=cookies_secure(request, settings)
    )
