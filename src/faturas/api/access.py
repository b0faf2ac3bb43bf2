"""Access control at run time: one dependency that every route of the app runs first.

It finds the caller (API token or session cookie), checks the route's rule (faturas.api.route_rules),
CSRF for session requests that change something, and the upload rate.
"""

from __future__ import annotations

import hmac
import logging
import time
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.routing import BaseRoute

from faturas.api.rate_limit import TokenBucket, retry_after
from faturas.api.route_rules import ADMIN, Access, rule_for
from faturas.api.sessions import (
    CSRF_COOKIE,
    CSRF_FIELD,
    CSRF_HEADER,
    SESSION_COOKIE,
    SessionSigner,
    load_session_secret,
)
from faturas.config import Settings
from faturas.db.models_auth import AuditAction, Role
from faturas.db.unit_of_work import UnitOfWorkFactory
from faturas.errors import CsrfRejected, NotAuthenticated, PermissionDenied, RateLimited
from faturas.services.access_mode import login_required
from faturas.services.api_tokens import token_principal
from faturas.services.audit import Actor, record
from faturas.services.auth import Principal, has_users, session_principal

log = logging.getLogger(__name__)


UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

#: How long "are there users?" is remembered when FATURAS_AUTH=auto: a user created with the CLI
#: while the server runs turns login on within this time.
USERS_EXIST_TTL_SECONDS = 5.0

#: Failed logins per address and per e-mail: 10 at once, then one every 30 seconds.
LOGIN_BURST = 10
LOGIN_RATE_PER_SECOND = 1 / 30


class AccessControl:
    """Per-app state of access control (on ``app.state.access``): settings, signer, rate limits."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.uploads = TokenBucket(settings.upload_rate_per_minute / 60, settings.upload_rate_burst)
        self.logins = TokenBucket(LOGIN_RATE_PER_SECOND, LOGIN_BURST)
        self._signer: SessionSigner | None = None
        self._users_exist: tuple[bool, float] | None = None

    @property
    def signer(self) -> SessionSigner:
        # Made on first use: the secret may be a file in the data folder, written only when needed.
        if self._signer is None:
            self._signer = SessionSigner(load_session_secret(self.settings), self.settings.session_max_age_seconds)
        return self._signer

    def login_required(self, uow_factory: UnitOfWorkFactory) -> bool:
        known = self.known_login_required()
        if known is not None:
            return known
        self._users_exist = (has_users(uow_factory), time.monotonic())
        return login_required(self.settings, users_exist=self._users_exist[0])

    def known_login_required(self) -> bool | None:
        """The answer without asking the database, or None when the database must be asked."""
        if self.settings.auth != "auto":
            return login_required(self.settings, users_exist=False)
        if self._users_exist is None or time.monotonic() - self._users_exist[1] > USERS_EXIST_TTL_SECONDS:
            return None
        return login_required(self.settings, users_exist=self._users_exist[0])

    def forget_users_exist(self) -> None:
        self._users_exist = None

    def authenticate(self, request: Request, uow_factory: UnitOfWorkFactory) -> Principal | None:
        """The caller, from a Bearer token or else the session cookie. A bad token is an error, not
        an anonymous request: a script with a revoked token should hear so."""
        header = request.headers.get("authorization")
        if header is not None:
            scheme, _, secret = header.partition(" ")
            principal = token_principal(uow_factory, secret.strip()) if scheme.lower() == "bearer" else None
            if principal is None:
                raise NotAuthenticated("token inválido ou revogado")
            return principal
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie:
            verified = self.signer.verify(cookie)
            if verified is not None:
                return session_principal(uow_factory, *verified)
        return None


def _access(request: Request) -> AccessControl:
    access: AccessControl = request.app.state.access
    return access


def _uow_factory(request: Request) -> UnitOfWorkFactory:
    factory: UnitOfWorkFactory = request.app.state.context.uow_factory
    return factory


def principal_of(request: Request) -> Principal | None:
    principal: Principal | None = getattr(request.state, "user", None)
    return principal


async def authorize(request: Request) -> None:
    """Run first by every route: find the caller, check the route's role, CSRF and rate limit."""
    request.state.user = None
    access = _access(request)
    route: BaseRoute | None = request.scope.get("route")
    path = getattr(route, "path_format", request.url.path)
    rule = rule_for(request.method, path)
    if rule is None:
        log.warning("route %s %s has no access rule: admins only (see faturas.api.route_rules)", request.method, path)
        rule = ADMIN
    bearer = "authorization" in request.headers
    if request.method in UNSAFE_METHODS and not bearer:
        _refuse_cross_site(request)
    uow_factory = _uow_factory(request)
    required = access.known_login_required()
    if required is None:  # at most every few seconds: the database is not asked on every request
        required = await run_in_threadpool(access.login_required, uow_factory)
    if not required:
        return
    principal = await run_in_threadpool(access.authenticate, request, uow_factory)
    request.state.user = principal
    if principal is not None and principal.token_id is None and request.method in UNSAFE_METHODS:
        await check_csrf(request)
    if rule.access is Access.PUBLIC:
        return
    if principal is None:
        raise NotAuthenticated()
    if rule.access is Access.ADMIN and not principal.may(Role.ADMIN):
        raise PermissionDenied(Role.ADMIN)
    if rule.rate_limited:
        wait = access.uploads.take(f"user:{principal.user_id}:{principal.token_id}")
        if wait:
            raise RateLimited(retry_after(wait))


def _refuse_cross_site(request: Request) -> None:
    # Browsers say where a request comes from; another site has no business changing anything here,
    # whether or not login is on (a page elsewhere could otherwise post to http://127.0.0.1:8000).
    if request.headers.get("sec-fetch-site") in {"cross-site", "same-site"}:
        raise CsrfRejected("requisição vinda de outro site")


async def check_csrf(request: Request) -> None:
    """Double submit: the CSRF cookie must come back in the header or in the form field."""
    cookie = request.cookies.get(CSRF_COOKIE)
    supplied = request.headers.get(CSRF_HEADER)
    content_type = request.headers.get("content-type", "")
    if supplied is None and content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(CSRF_FIELD)
        supplied = value if isinstance(value, str) else None
    if not cookie or not supplied or not hmac.compare_digest(cookie.encode(), supplied.encode()):
        raise CsrfRejected("token CSRF ausente ou diferente do cookie")


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def actor_of(request: Request) -> Actor:
    principal = principal_of(request)
    request_id: str | None = getattr(request.state, "request_id", None)
    if principal is None:
        return Actor("anonymous", request_id=request_id, client_ip=client_ip(request))
    return Actor(principal.via, principal.user_id, principal.token_id, request_id, client_ip(request))


@dataclass(frozen=True)
class AuditTrail:
    """What routes use to record who did what: ``audit.record(AuditAction.UPLOAD, "document", ids)``."""

    uow_factory: UnitOfWorkFactory
    actor: Actor

    def record(self, action: AuditAction, target_type: str, target_ids: list[object]) -> None:
        record(self.uow_factory, self.actor, action, target_type, target_ids)


async def get_audit_trail(request: Request) -> AuditTrail:  # no I/O: no thread pool hop
    return AuditTrail(_uow_factory(request), actor_of(request))


Audit = Annotated[AuditTrail, Depends(get_audit_trail)]
