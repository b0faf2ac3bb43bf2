"""Who am I; users, API tokens and the audit log (admins only, see faturas.api.route_rules)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from faturas.api.access import AccessControl, actor_of, principal_of
from faturas.api.dependencies import Context, PagingParams
from faturas.db.models_auth import AuditAction, Role
from faturas.services.api_tokens import TokenView, create_token, list_tokens, revoke_token
from faturas.services.audit import AuditView, list_audit
from faturas.services.auth import UserView, change_user, create_user, list_users

router = APIRouter(prefix="/api", tags=["access"])


class Me(BaseModel):
    #: False when login is off (loopback without users): everyone here acts anonymously.
    authenticated: bool
    user_id: int | None = None
    email: str | None = None
    role: Role | None = None
    via: str | None = None


class NewUser(BaseModel):
    email: str = Field(max_length=254)
    password: str = Field(max_length=1024)
    role: Role = Role.OPERATOR


class UserChange(BaseModel):
    role: Role | None = None
    active: bool | None = None
    password: str | None = Field(default=None, max_length=1024)


class NewToken(BaseModel):
    user_id: int
    name: str = Field(max_length=100)


class CreatedToken(BaseModel):
    token: TokenView
    #: Shown this once: only its sha256 is kept.
    secret: str


def _forget_users_exist(request: Request) -> None:
    access: AccessControl = request.app.state.access
    access.forget_users_exist()


@router.get("/me", response_model=Me)
def me(request: Request) -> Me:
    principal = principal_of(request)
    if principal is None:
        return Me(authenticated=False)
    return Me(
        authenticated=True, user_id=principal.user_id, email=principal.email, role=principal.role, via=principal.via
    )


@router.get("/users", response_model=list[UserView])
def users(context: Context) -> list[UserView]:
    return list_users(context.uow_factory)


@router.post("/users", status_code=201, response_model=UserView)
def add_user(context: Context, request: Request, body: NewUser) -> UserView:
    user = create_user(context.uow_factory, body.email, body.password, body.role, actor_of(request))
    _forget_users_exist(request)
    return user


@router.patch("/users/{user_id}", response_model=UserView)
def update_user(context: Context, request: Request, user_id: int, body: UserChange) -> UserView:
    user = change_user(
        context.uow_factory, user_id, actor_of(request), role=body.role, active=body.active, password=body.password
    )
    _forget_users_exist(request)
    return user


@router.get("/tokens", response_model=list[TokenView])
def tokens(context: Context, user_id: int | None = None) -> list[TokenView]:
    return list_tokens(context.uow_factory, user_id)


@router.post("/tokens", status_code=201, response_model=CreatedToken)
def add_token(context: Context, request: Request, body: NewToken) -> CreatedToken:
    token, secret = create_token(context.uow_factory, body.user_id, body.name, actor_of(request))
    return CreatedToken(token=token, secret=secret)


@router.delete("/tokens/{token_id}", response_model=TokenView)
def delete_token(context: Context, request: Request, token_id: int) -> TokenView:
    return revoke_token(context.uow_factory, token_id, actor_of(request))


@router.get("/audit", response_model=list[AuditView])
def audit(
    context: Context,
    paging: PagingParams,
    action: Annotated[AuditAction | None, Query()] = None,
    user_id: int | None = None,
    since: datetime | None = None,
) -> list[AuditView]:
    return list_audit(
        context.uow_factory, action=action, user_id=user_id, since=since, limit=paging.limit, offset=paging.offset
    )
