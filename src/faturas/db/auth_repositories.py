"""Repositories of the access control tables. Like the others, they add and flush; services commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from faturas.db.models_auth import ApiToken, AuditEntry, Role, User


class UserRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, user: User) -> User:
        self.session.add(user)
        self.session.flush()
        return user

    def get(self, user_id: int) -> User | None:
        return self.session.get(User, user_id)

    def get_by_email(self, email: str) -> User | None:
        return self.session.scalars(select(User).where(User.email == email)).first()

    def list(self) -> Sequence[User]:
        return self.session.scalars(select(User).order_by(User.id)).all()

    def any(self) -> bool:
        return self.session.scalars(select(User.id).limit(1)).first() is not None

    def any_active(self) -> bool:
        return self.session.scalars(select(User.id).where(User.active.is_(True)).limit(1)).first() is not None

    def any_active_admin(self) -> bool:
        query = select(User.id).where(User.active.is_(True), User.role == Role.ADMIN).limit(1)
        return self.session.scalars(query).first() is not None


class TokenRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, token: ApiToken) -> ApiToken:
        self.session.add(token)
        self.session.flush()
        return token

    def get(self, token_id: int) -> ApiToken | None:
        return self.session.get(ApiToken, token_id)

    def get_by_hash(self, token_hash: str) -> ApiToken | None:
        query = select(ApiToken).options(joinedload(ApiToken.user)).where(ApiToken.token_hash == token_hash)
        return self.session.scalars(query).first()

    def list(self, user_id: int | None = None) -> Sequence[ApiToken]:
        query = select(ApiToken).options(joinedload(ApiToken.user)).order_by(ApiToken.id)
        if user_id is not None:
            query = query.where(ApiToken.user_id == user_id)
        return self.session.scalars(query).all()


class AuditRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, entry: AuditEntry) -> AuditEntry:
        self.session.add(entry)
        self.session.flush()
        return entry

    def list(
        self,
        *,
        action: str | None = None,
        user_id: int | None = None,
        since: datetime | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> Sequence[AuditEntry]:
        query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit).offset(offset)
        if action is not None:
            query = query.where(AuditEntry.action == action)
        if user_id is not None:
            query = query.where(AuditEntry.user_id == user_id)
        if since is not None:
            query = query.where(AuditEntry.at >= since)
        return self.session.scalars(query).all()
