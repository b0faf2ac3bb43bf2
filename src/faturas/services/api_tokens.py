"""API tokens: created with a secret shown once (only its sha256 is kept), revoked, resolved to a caller."""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict

from faturas.db.auth_repositories import AuditRepository, TokenRepository, UserRepository
from faturas.db.models import utcnow
from faturas.db.models_auth import ApiToken, AuditAction, Role
from faturas.db.unit_of_work import UnitOfWorkFactory, database_errors
from faturas.errors import InvalidAccount, NotFound
from faturas.services.audit import Actor, audit_entry
from faturas.services.auth import Principal
from faturas.services.passwords import new_token, token_hash

#: A token's last use is written at most this often: a busy script must not turn every read into a write.
LAST_USED_GRANULARITY = timedelta(minutes=1)


class TokenView(BaseModel):
    model_config = ConfigDict(from_attributes=True, frozen=True)

    id: int
    user_id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


def create_token(uow_factory: UnitOfWorkFactory, user_id: int, name: str, actor: Actor) -> tuple[TokenView, str]:
    """The token's view and its secret: the secret is shown this once and never stored."""
    name = name.strip()
    if not name or len(name) > 100:
        raise InvalidAccount("o nome do token deve ter de 1 a 100 caracteres")
    secret = new_token()
    with database_errors(), uow_factory() as uow:
        user = UserRepository(uow.session).get(user_id)
        if user is None:
            raise NotFound("Usuário", user_id)
        if not user.active:
            raise InvalidAccount(f"o usuário {user.email} está desativado")
        token = TokenRepository(uow.session).add(
            ApiToken(user_id=user.id, name=name, token_hash=token_hash(secret), prefix=secret[:12])
        )
        AuditRepository(uow.session).add(audit_entry(actor, AuditAction.TOKEN_CREATED, "token", [token.id]))
        uow.commit()
        return TokenView.model_validate(token), secret


def revoke_token(uow_factory: UnitOfWorkFactory, token_id: int, actor: Actor) -> TokenView:
    with database_errors(), uow_factory() as uow:
        token = TokenRepository(uow.session).get(token_id)
        if token is None:
            raise NotFound("Token", token_id)
        if token.revoked_at is None:
            token.revoked_at = utcnow()
            AuditRepository(uow.session).add(audit_entry(actor, AuditAction.TOKEN_REVOKED, "token", [token.id]))
            uow.commit()
        return TokenView.model_validate(token)


def list_tokens(uow_factory: UnitOfWorkFactory, user_id: int | None = None) -> list[TokenView]:
    with database_errors(), uow_factory(read_only=True) as uow:
        return [TokenView.model_validate(token) for token in TokenRepository(uow.session).list(user_id)]


def token_principal(uow_factory: UnitOfWorkFactory, secret: str) -> Principal | None:
    """The token's user, unless the token is unknown or revoked or its user disabled."""
    digest = token_hash(secret)
    with database_errors(), uow_factory(read_only=True) as uow:
        token = TokenRepository(uow.session).get_by_hash(digest)
        if token is None or token.revoked_at is not None or not token.user.active:
            return None
        principal = Principal(token.user.id, token.user.email, Role(token.user.role), token.id)
        token_id, last_used = token.id, token.last_used_at
    now = utcnow()
    if last_used is None or now - last_used > LAST_USED_GRANULARITY:
        with database_errors(), uow_factory() as uow:
            row = TokenRepository(uow.session).get(token_id)
            if row is not None:
                row.last_used_at = now
                uow.commit()
    return principal
