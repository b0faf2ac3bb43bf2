"""The audit log: who (user, token, CLI) did what (upload, download, replace…) to which ids, and when.

Only ids are recorded, never what a bill says or the names of its files.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Table, insert
from sqlalchemy.exc import SQLAlchemyError

from faturas.db.auth_repositories import AuditRepository
from faturas.db.models_auth import AuditAction, AuditEntry
from faturas.db.unit_of_work import UnitOfWork, UnitOfWorkFactory, database_errors
from faturas.errors import FaturasError

log = logging.getLogger(__name__)

_INSERT_ENTRY = insert(cast(Table, AuditEntry.__table__))


@dataclass(frozen=True)
class Actor:
    """Who acts: ``via`` is session, token, cli or anonymous (login off, loopback only)."""

    via: str
    user_id: int | None = None
    token_id: int | None = None
    request_id: str | None = None
    client_ip: str | None = None


CLI = Actor(via="cli")


def audit_entry(
    actor: Actor, action: AuditAction, target_type: str | None = None, target_ids: Iterable[Any] = ()
) -> AuditEntry:
    return AuditEntry(
        via=actor.via,
        user_id=actor.user_id,
        token_id=actor.token_id,
        action=action,
        target_type=target_type,
        target_ids=[str(target) for target in target_ids],
        request_id=actor.request_id,
        client_ip=actor.client_ip,
    )


def record(
    uow_factory: UnitOfWorkFactory,
    actor: Actor,
    action: AuditAction,
    target_type: str | None = None,
    target_ids: Iterable[Any] = (),
) -> None:
    """Record an action already done (its own transaction). A failure is logged, never raised:
    the action happened, and answering it with an error would invite the client to do it twice."""
    target_ids = list(target_ids)
    try:
        with database_errors(), uow_factory() as uow:
            add_entry(uow, actor, action, target_type, target_ids)
            uow.commit()
    except (FaturasError, SQLAlchemyError, OSError) as error:
        log.error("audit entry not written (%s %s %s): %s", action, target_type, list(target_ids), error)


def add_entry(
    uow: UnitOfWork, actor: Actor, action: AuditAction, target_type: str | None, target_ids: Iterable[Any]
) -> None:
    """Add the entry to the caller's transaction: it commits with the action it records (an upload's)."""
    row = {
        "via": actor.via,
        "user_id": actor.user_id,
        "token_id": actor.token_id,
        "action": action,
        "target_type": target_type,
        "target_ids": [str(target) for target in target_ids],
        "request_id": actor.request_id,
        "client_ip": actor.client_ip,
    }
    # A plain INSERT, built once, on the session's connection (no ORM execute): every upload writes one.
    uow.session.connection().execute(_INSERT_ENTRY, row)


class AuditView(BaseModel):
    model_config = ConfigDict(from_attributes=True, frozen=True)

    id: int
    at: datetime
    via: str
    user_id: int | None
    token_id: int | None
    action: str
    target_type: str | None
    target_ids: list[str]
    request_id: str | None
    client_ip: str | None


def list_audit(
    uow_factory: UnitOfWorkFactory,
    *,
    action: str | None = None,
    user_id: int | None = None,
    since: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[AuditView]:
    with database_errors(), uow_factory(read_only=True) as uow:
        entries = AuditRepository(uow.session).list(
            action=action, user_id=user_id, since=since, limit=limit, offset=offset
        )
        return [AuditView.model_validate(entry) for entry in entries]
