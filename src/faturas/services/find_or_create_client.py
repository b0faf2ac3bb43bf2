"""find_or_create_client / find_or_create_unit: two workers creating the same one end with one row."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from faturas.db.models import Client, ConsumerUnit
from faturas.db.unit_of_work import UnitOfWork


def find_or_create_client(uow: UnitOfWork, distributor: str, client_number: str, holder_name: str | None) -> Client:
    client = uow.clients.get_by_number(distributor, client_number)
    if client is not None:
        if client.holder_name is None and holder_name:
            client.holder_name = holder_name
        return client
    try:
        # A savepoint, so losing the race undoes only this insert, not the caller's transaction.
        with uow.session.begin_nested():
            client = Client(distributor=distributor, client_number=client_number, holder_name=holder_name)
            uow.clients.add(client)
        return client
    except IntegrityError:
        winner = uow.clients.get_by_number(distributor, client_number)
        if winner is None:
            raise
        return winner


def find_or_create_unit(uow: UnitOfWork, client: Client, installation_number: str) -> ConsumerUnit:
    distributor = client.distributor
    unit = uow.units.get_by_installation(distributor, installation_number)
    if unit is not None:
        return unit
    try:
        with uow.session.begin_nested():
            unit = ConsumerUnit(client_id=client.id, distributor=distributor, installation_number=installation_number)
            uow.units.add(unit)
        return unit
    except IntegrityError:
        winner = uow.units.get_by_installation(distributor, installation_number)
        if winner is None:
            raise
        return winner
