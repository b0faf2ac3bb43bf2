"""find_or_create_client / find_or_create_unit: two workers creating the same one end with one row.

A new row is one ``INSERT … ON CONFLICT DO NOTHING RETURNING`` (SQLite and PostgreSQL): the loser of
a race gets no row back and reads the winner's, and no savepoint is needed, since a conflict is not
an error that would undo the caller's transaction.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy.dialects import postgresql, sqlite

from faturas.db.models import Client, ConsumerUnit
from faturas.db.unit_of_work import UnitOfWork

_Row = TypeVar("_Row", Client, ConsumerUnit)


def find_or_create_client(uow: UnitOfWork, distributor: str, client_number: str, holder_name: str | None) -> Client:
    client = uow.clients.get_by_number(distributor, client_number)
    if client is None:
        values = {"distributor": distributor, "client_number": client_number, "holder_name": holder_name}
        client = _insert_unless_exists(uow, Client, values)
    if client is None:
        client = uow.clients.get_by_number(distributor, client_number)  # lost the race: the winner's row
        if client is None:
            raise LookupError(f"client {distributor} {client_number} neither inserted nor found")
    if client.holder_name is None and holder_name:
        client.holder_name = holder_name
    return client


def find_or_create_unit(uow: UnitOfWork, client: Client, installation_number: str) -> ConsumerUnit:
    distributor = client.distributor
    unit = uow.units.get_by_installation(distributor, installation_number)
    if unit is None:
        values = {"client_id": client.id, "distributor": distributor, "installation_number": installation_number}
        unit = _insert_unless_exists(uow, ConsumerUnit, values)
    if unit is None:
        unit = uow.units.get_by_installation(distributor, installation_number)
        if unit is None:
            raise LookupError(f"unit {distributor} {installation_number} neither inserted nor found")
    return unit


def _insert_unless_exists(uow: UnitOfWork, model: type[_Row], values: dict[str, Any]) -> _Row | None:
    """The new row, or None when a concurrent transaction inserted the same unique key first."""
    dialect = uow.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(model).values(**values).on_conflict_do_nothing().returning(model)
    return uow.session.scalars(statement).one_or_none()
