"""find_or_create_client / find_or_create_unit: two workers creating the same one end with one row.

A new row is one ``INSERT … ON CONFLICT DO NOTHING RETURNING`` (SQLite and PostgreSQL): the loser of
a race gets no row back and reads the winner's, and no savepoint is needed, since a conflict is not
an error that would undo the caller's transaction. Every job runs these, so the statements are
built once and return ids, not ORM objects (loading an object costs more than the query).
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Insert, Table, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite

from faturas.db.models import Client, ConsumerUnit
from faturas.db.unit_of_work import UnitOfWork

_CLIENTS = cast(Table, Client.__table__)
_UNITS = cast(Table, ConsumerUnit.__table__)

_CLIENT_BY_NUMBER = select(_CLIENTS.c.id, _CLIENTS.c.holder_name).where(
    _CLIENTS.c.distributor == bindparam("distributor"), _CLIENTS.c.client_number == bindparam("client_number")
)
_UNIT_BY_INSTALLATION = select(_UNITS.c.id).where(
    _UNITS.c.distributor == bindparam("distributor"),
    _UNITS.c.installation_number == bindparam("installation_number"),
)
_SET_HOLDER_NAME = update(_CLIENTS).where(_CLIENTS.c.id == bindparam("client_id")).values(holder_name=bindparam("name"))
_INSERTS: dict[tuple[str, str], Insert] = {
    (dialect, table.name): module.insert(table).on_conflict_do_nothing().returning(table.c.id)
    for dialect, module in (("postgresql", postgresql), ("sqlite", sqlite))
    for table in (_CLIENTS, _UNITS)
}


def find_or_create_client(uow: UnitOfWork, distributor: str, client_number: str, holder_name: str | None) -> int:
    """The client's id (a new client when none has this number at this distributor)."""
    key = {"distributor": distributor, "client_number": client_number}
    found = uow.session.execute(_CLIENT_BY_NUMBER, key).first()
    if found is None:
        client_id = _insert_unless_exists(uow, _CLIENTS, {**key, "holder_name": holder_name})
        if client_id is not None:
            return client_id
        found = uow.session.execute(_CLIENT_BY_NUMBER, key).first()  # lost the race: the winner's row
        if found is None:
            raise LookupError(f"client {distributor} {client_number} neither inserted nor found")
    client_id, known_name = found
    if known_name is None and holder_name:
        uow.session.execute(_SET_HOLDER_NAME, {"client_id": client_id, "name": holder_name})
    return int(client_id)


def find_or_create_unit(uow: UnitOfWork, distributor: str, client_id: int, installation_number: str) -> int:
    """The consumer unit's id (a new unit of ``client_id`` when the installation is not known yet)."""
    key = {"distributor": distributor, "installation_number": installation_number}
    unit_id = uow.session.scalar(_UNIT_BY_INSTALLATION, key)
    if unit_id is None:
        unit_id = _insert_unless_exists(uow, _UNITS, {**key, "client_id": client_id})
    if unit_id is None:
        unit_id = uow.session.scalar(_UNIT_BY_INSTALLATION, key)
        if unit_id is None:
            raise LookupError(f"unit {distributor} {installation_number} neither inserted nor found")
    return unit_id


def _insert_unless_exists(uow: UnitOfWork, table: Table, values: dict[str, Any]) -> int | None:
    """The new row's id, or None when a concurrent transaction inserted the same unique key first."""
    dialect = uow.session.get_bind().dialect.name
    statement = _INSERTS[("postgresql" if dialect == "postgresql" else "sqlite", table.name)]
    inserted = uow.session.scalar(statement, values)
    return None if inserted is None else int(inserted)
