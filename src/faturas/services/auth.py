"""Users: create, change, authenticate (password or session). Every change is audited with it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy.exc import IntegrityError

from faturas.db.auth_repositories import AuditRepository, UserRepository
from faturas.db.models import utcnow
from faturas.db.models_auth import AuditAction, Role, User
from faturas.db.unit_of_work import UnitOfWorkFactory, database_errors
from faturas.errors import AccountExists, InvalidAccount, NotFound
from faturas.services.audit import Actor, audit_entry
from faturas.services.passwords import (
    hash_password,
    normalize_email,
    verify_password,
    waste_a_verification,
)


@dataclass(frozen=True)
class Principal:
    """An authenticated caller: a user through a browser session, or one of the user's API tokens."""

    user_id: int
    email: str
    role: Role
    token_id: int | None = None

    @property
    def via(self) -> str:
        return "session" if self.token_id is None else "token"

    def may(self, role: Role) -> bool:
        return self.role == Role.ADMIN or self.role == role


class UserView(BaseModel):
    model_config = ConfigDict(from_attributes=True, frozen=True)

    id: int
    email: str
    role: Role
    active: bool
    created_at: datetime
    last_login_at: datetime | None


def parse_role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise InvalidAccount(f"papel desconhecido {role!r} (use admin ou operator)") from None


def create_user(uow_factory: UnitOfWorkFactory, email: str, password: str, role: Role, actor: Actor) -> UserView:
    email = normalize_email(email)
    user = User(email=email, password_hash=hash_password(password), role=role, active=True, session_epoch=0)
    with database_errors(), uow_factory() as uow:
        try:
            UserRepository(uow.session).add(user)
        except IntegrityError:
            raise AccountExists(email) from None
        AuditRepository(uow.session).add(audit_entry(actor, AuditAction.USER_CREATED, "user", [user.id]))
        uow.commit()
        return UserView.model_validate(user)


def change_user(
    uow_factory: UnitOfWorkFactory,
    user_id: int,
    actor: Actor,
    *,
    role: Role | None = None,
    active: bool | None = None,
    password: str | None = None,
) -> UserView:
    """A new role, password or deactivation ends the user's sessions; their tokens follow the user."""
    new_hash = hash_password(password) if password is not None else None
    with database_errors(), uow_factory() as uow:
        user = UserRepository(uow.session).get(user_id)
        if user is None:
            raise NotFound("Usuário", user_id)
        if role is not None:
            user.role = role
        if active is not None:
            user.active = active
        if new_hash is not None:
            user.password_hash = new_hash
        user.session_epoch += 1
        uow.session.flush()
        if not UserRepository(uow.session).any_active_admin():
            raise InvalidAccount("o último administrador ativo não pode ser desativado nem deixar de ser admin")
        AuditRepository(uow.session).add(audit_entry(actor, AuditAction.USER_CHANGED, "user", [user.id]))
        uow.commit()
        return UserView.model_validate(user)


def find_user_id(uow_factory: UnitOfWorkFactory, email: str) -> int:
    with database_errors(), uow_factory(read_only=True) as uow:
        user = UserRepository(uow.session).get_by_email(normalize_email(email))
        if user is None:
            raise NotFound("Usuário", email)
        return user.id


def list_users(uow_factory: UnitOfWorkFactory) -> list[UserView]:
    with database_errors(), uow_factory(read_only=True) as uow:
        return [UserView.model_validate(user) for user in UserRepository(uow.session).list()]


def has_users(uow_factory: UnitOfWorkFactory) -> bool:
    """Any user at all, even disabled: once people have accounts, disabling them never opens the door."""
    with database_errors(), uow_factory(read_only=True) as uow:
        return UserRepository(uow.session).any()


def has_active_users(uow_factory: UnitOfWorkFactory, *, admin: bool = False) -> bool:
    with database_errors(), uow_factory(read_only=True) as uow:
        users = UserRepository(uow.session)
        return users.any_active_admin() if admin else users.any_active()


def authenticate_password(uow_factory: UnitOfWorkFactory, email: str, password: str) -> Principal | None:
    """The user, when the e-mail belongs to an active user and the password matches; else None."""
    try:
        email = normalize_email(email)
    except InvalidAccount:
        waste_a_verification(password)
        return None
    with database_errors(), uow_factory() as uow:
        user = UserRepository(uow.session).get_by_email(email)
        if user is None or not user.active:
            waste_a_verification(password)
            return None
        matches, needs_rehash = verify_password(user.password_hash, password)
        if not matches:
            return None
        if needs_rehash:
            user.password_hash = hash_password(password)
        user.last_login_at = utcnow()
        uow.commit()
        return Principal(user.id, user.email, Role(user.role))


def session_principal(uow_factory: UnitOfWorkFactory, user_id: int, epoch: int) -> Principal | None:
    """The user of a (verified) session cookie, unless the user was disabled or the session ended."""
    with database_errors(), uow_factory(read_only=True) as uow:
        user = UserRepository(uow.session).get(user_id)
        if user is None or not user.active or user.session_epoch != epoch:
            return None
        return Principal(user.id, user.email, Role(user.role))


def session_epoch(uow_factory: UnitOfWorkFactory, user_id: int) -> int:
    with database_errors(), uow_factory(read_only=True) as uow:
        user = UserRepository(uow.session).get(user_id)
        if user is None:
            raise NotFound("Usuário", user_id)
        return user.session_epoch


def end_sessions(uow_factory: UnitOfWorkFactory, user_id: int) -> None:
    """Logout: every session cookie of the user stops working (the cookie is signed, not stored)."""
    with database_errors(), uow_factory() as uow:
        user = UserRepository(uow.session).get(user_id)
        if user is not None:
            user.session_epoch += 1
            uow.commit()
