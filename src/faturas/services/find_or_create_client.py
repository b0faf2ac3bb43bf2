"""find_or_create_client / find_or_create_unit: two workers creating the same one end with one row.

A new row is one ``INSERT … ON CONFLICT DO NOTHING RETURNING`` (SQLite and PostgreSQL): the loser of
a race gets no row back and reads the winner's, and no savepoint is needed, since a conflict is not
an error that would undo the caller's transaction. Every job runs these, so the statements are
built once and return ids, not ORM objects (loading an object costs more than the query).
"""

from __future__ import annotations

from collections.abc import Mapping
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
#: A batch's clients in one query (both IN lists use the unique index; pairs sorted out after).
_CLIENTS_BY_NUMBERS = select(
    _CLIENTS.c.id, _CLIENTS.c.distributor, _CLIENTS.c.client_number, _CLIENTS.c.holder_name
).where(
    _CLIENTS.c.distributor.in_(bindparam("distributors", expanding=True)),
    _CLIENTS.c.client_number.in_(bindparam("numbers", expanding=True)),
)
#: A batch's new clients and units in one multi-row INSERT each: the rows inserted come back with their keys.
_INSERT_MANY: dict[tuple[str, str], Insert] = {
    (dialect, table.name): module.insert(table)
    .on_conflict_do_nothing()
    .returning(table.c.id, table.c.distributor, table.c[key])
    for dialect, module in (("postgresql", postgresql), ("sqlite", sqlite))
    for table, key in ((_CLIENTS, "client_number"), (_UNITS, "installation_number"))
}
#: A look-up's answer not known yet (None is "known not to exist").
_UNKNOWN: Any = object()
_SET_HOLDER_NAME = update(_CLIENTS).where(_CLIENTS.c.id == bindparam("client_id")).values(holder_name=bindparam("name"))
_INSERTS: dict[tuple[str, str], Insert] = {
    (dialect, table.name): module.insert(table).on_conflict_do_nothing().returning(table.c.id)
    for dialect, module in (("postgresql", postgresql), ("sqlite", sqlite))
    for table in (_CLIENTS, _UNITS)
}


def find_or_create_client(
    uow: UnitOfWork,
    distributor: str,
    client_number: str,
    holder_name: str | None,
    known: dict[tuple[str, str], tuple[int, str | None] | None] | None = None,
) -> int:
    """The client's id (a new client when none has this number at this distributor).

    ``known``: clients read already by (distributor, number), None for a client known not to exist
    (a batch reads its clients at once, see read_known_clients); kept up to date here.
    """
    key = {"distributor": distributor, "client_number": client_number}
    found = known.get((distributor, client_number), _UNKNOWN) if known is not None else _UNKNOWN
    if found is _UNKNOWN:
        found = uow.session.execute(_CLIENT_BY_NUMBER, key).first()
    if found is None:
        client_id = _insert_unless_exists(uow, _CLIENTS, {**key, "holder_name": holder_name})
        if client_id is not None:
            if known is not None:
                known[(distributor, client_number)] = (client_id, holder_name)
            return client_id
        found = uow.session.execute(_CLIENT_BY_NUMBER, key).first()  # lost the race: the winner's row
        if found is None:
            raise LookupError(f"client {distributor} {client_number} neither inserted nor found")
    client_id, known_name = cast(tuple[int, str | None], tuple(found))
    if known_name is None and holder_name:
        uow.session.execute(_SET_HOLDER_NAME, {"client_id": client_id, "name": holder_name})
        known_name = holder_name
    if known is not None:
        known[(distributor, client_number)] = (int(client_id), known_name)
    return int(client_id)


def find_or_create_unit(
    uow: UnitOfWork,
    distributor: str,
    client_id: int,
    installation_number: str,
    known: dict[tuple[str, str], int | None] | None = None,
    created: set[int] | None = None,
) -> int:
    """The consumer unit's id (a new unit of ``client_id`` when the installation is not known yet).

    ``known``: as for find_or_create_client; ``created``: gets the id of a unit inserted here.
    """
    key = {"distributor": distributor, "installation_number": installation_number}
    unit_id = known.get((distributor, installation_number), _UNKNOWN) if known is not None else _UNKNOWN
    if unit_id is _UNKNOWN:
        unit_id = uow.session.scalar(_UNIT_BY_INSTALLATION, key)
    if unit_id is None:
        unit_id = _insert_unless_exists(uow, _UNITS, {**key, "client_id": client_id})
        if unit_id is not None and created is not None:
            created.add(unit_id)
    if unit_id is None:
        unit_id = uow.session.scalar(_UNIT_BY_INSTALLATION, key)
        if unit_id is None:
            raise LookupError(f"unit {distributor} {installation_number} neither inserted nor found")
    if known is not None:
        known[(distributor, installation_number)] = int(unit_id)
    return int(unit_id)


def read_known_clients(
    uow: UnitOfWork, keys: set[tuple[str, str]]
) -> dict[tuple[str, str], tuple[int, str | None] | None]:
    """The clients of (distributor, number) ``keys`` in one query: (id, holder name), None when absent."""
    known: dict[tuple[str, str], tuple[int, str | None] | None] = dict.fromkeys(keys)
    if keys:
        values = {"distributors": sorted({d for d, _ in keys}), "numbers": sorted({n for _, n in keys})}
        for client_id, distributor, number, name in uow.session.execute(_CLIENTS_BY_NUMBERS, values):
            if (distributor, number) in known:
                known[(distributor, number)] = (client_id, name)
    return known


def create_clients(
    uow: UnitOfWork,
    wanted: dict[tuple[str, str], str | None],
    known: dict[tuple[str, str], tuple[int, str | None] | None],
) -> None:
    """Insert the clients of ``wanted`` ((distributor, number) -> holder name) that ``known`` says do
    not exist, in one statement, and note them in ``known``. One that a concurrent transaction
    inserted first stays unknown: find_or_create_client meets it as usual."""
    rows = {key: {"distributor": key[0], "client_number": key[1], "holder_name": name} for key, name in wanted.items()}
    for client_id, key in _insert_missing(uow, _CLIENTS, rows, known):
        known[key] = (client_id, wanted[key])


def create_units(
    uow: UnitOfWork,
    wanted: dict[tuple[str, str], int],
    known: dict[tuple[str, str], int | None],
    created: set[int],
) -> None:
    """Insert the units of ``wanted`` ((distributor, installation) -> client id) that ``known`` says
    do not exist, in one statement; note them in ``known`` and their ids in ``created``."""
    rows = {
        key: {"distributor": key[0], "installation_number": key[1], "client_id": client_id}
        for key, client_id in wanted.items()
    }
    for unit_id, key in _insert_missing(uow, _UNITS, rows, known):
        known[key] = unit_id
        created.add(unit_id)


def _insert_missing(
    uow: UnitOfWork,
    table: Table,
    rows: Mapping[tuple[str, str], Mapping[str, object]],
    known: Mapping[tuple[str, str], object],
) -> list[tuple[int, tuple[str, str]]]:
    """Insert the ``rows`` whose key ``known`` says does not exist, in one statement: (new id, key) of
    each row inserted (not of one a concurrent transaction inserted first)."""
    missing = [row for key, row in rows.items() if known.get(key, _UNKNOWN) is None]
    if not missing:
        return []
    return [
        (row_id, (distributor, number))
        for row_id, distributor, number in uow.session.execute(_insert_many(uow, table), missing)
    ]


def _insert_many(uow: UnitOfWork, table: Table) -> Insert:
    dialect = uow.session.get_bind().dialect.name
    return _INSERT_MANY[("postgresql" if dialect == "postgresql" else "sqlite", table.name)]


def _insert_unless_exists(uow: UnitOfWork, table: Table, values: dict[str, Any]) -> int | None:
    """The new row's id, or None when a concurrent transaction inserted the same unique key first."""
    dialect = uow.session.get_bind().dialect.name
    statement = _INSERTS[("postgresql" if dialect == "postgresql" else "sqlite", table.name)]
    inserted = uow.session.scalar(statement, values)
    return None if inserted is None else int(inserted)
