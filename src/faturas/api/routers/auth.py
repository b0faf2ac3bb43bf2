"""The login page, login and logout. Programs use API tokens (Authorization: Bearer) instead."""

from __future__ import annotations

import hmac
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from faturas.api.access import AccessControl, actor_of, client_ip, principal_of
from faturas.api.sessions import (
    CSRF_COOKIE,
    clear_session_cookie,
    new_csrf_token,
    set_csrf_cookie,
    set_session_cookie,
)
from faturas.db.models_auth import AuditAction
from faturas.db.unit_of_work import UnitOfWorkFactory
from faturas.services.audit import record
from faturas.services.auth import authenticate_password, end_sessions, session_epoch

router = APIRouter(tags=["auth"])

TEMPLATES = Jinja2Templates(directory=Path(__file__).resolve().parents[2] / "web" / "templates")


def safe_next(target: str | None) -> str:
    """Only a path on this site: never another site (``//evil``, ``/\\evil``, ``https://…``)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    if any(ord(char) < 32 for char in target):
        return "/"
    return target


def _access(request: Request) -> AccessControl:
    access: AccessControl = request.app.state.access
    return access


def _uow_factory(request: Request) -> UnitOfWorkFactory:
    factory: UnitOfWorkFactory = request.app.state.context.uow_factory
    return factory


def _page(request: Request, next_path: str, *, error: str = "", email: str = "", status: int = 200) -> HTMLResponse:
    context = {
        "login_required": _access(request).login_required(_uow_factory(request)),
        "csrf_token": getattr(request.state, "csrf_token", None) or request.cookies.get(CSRF_COOKIE, ""),
        "next": next_path,
        "error": error,
        "email": email,
    }
    return TEMPLATES.TemplateResponse(request, "login.html", context, status_code=status)


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(request: Request, next: str | None = None) -> Response:
    target = safe_next(next)
    if principal_of(request) is not None:
        return RedirectResponse(target, status_code=303)
    return _page(request, target)


@router.post("/login", response_class=HTMLResponse, include_in_schema=False)
def login(
    request: Request,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    csrf_token: Annotated[str, Form(max_length=128)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    access, uow_factory, target = _access(request), _uow_factory(request), safe_next(next)
    if not access.login_required(uow_factory):
        return RedirectResponse(target, status_code=303)
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not cookie or not hmac.compare_digest(cookie.encode(), csrf_token.encode()):
        # Login CSRF: another site must not sign a victim into the attacker's account.
        return _page(request, target, error="A página expirou; tente entrar de novo.", email=email, status=403)
    # Only failures count, per address and per e-mail: behind a proxy many people share one address.
    failure_keys = (f"ip:{client_ip(request)}", f"email:{email.strip().lower()}")
    if any(access.logins.wait(key) for key in failure_keys):
        message = "Muitas tentativas erradas; espere um pouco e tente de novo."
        return _page(request, target, error=message, email=email, status=429)
    principal = authenticate_password(uow_factory, email, password)
    if principal is None:
        for key in failure_keys:
            access.logins.take(key)
        record(uow_factory, actor_of(request), AuditAction.LOGIN_FAILED)
        return _page(request, target, error="E-mail ou senha incorretos.", email=email, status=401)
    request.state.user = principal
    record(uow_factory, actor_of(request), AuditAction.LOGIN, "user", [principal.user_id])
    response = RedirectResponse(target, status_code=303)
    session = access.signer.sign(principal.user_id, session_epoch(uow_factory, principal.user_id))
    set_session_cookie(response, request, access.settings, session)
    # A new CSRF token with the new session: one planted before login is worth nothing after it.
    set_csrf_cookie(response, request, access.settings, new_csrf_token())
    return response


@router.post("/logout", include_in_schema=False)
def logout(request: Request) -> Response:
    """Ends every session of the user (the cookie is signed, not stored: the user's epoch moves on)."""
    principal = principal_of(request)
    uow_factory = _uow_factory(request)
    if principal is not None and principal.token_id is None:
        end_sessions(uow_factory, principal.user_id)
        record(uow_factory, actor_of(request), AuditAction.LOGOUT, "user", [principal.user_id])
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(response, request, _access(request).settings)
    return response
