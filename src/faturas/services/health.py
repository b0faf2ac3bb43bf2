"""health(): can we reach the database, the queue and the file store?"""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel
from sqlalchemy import text

from faturas.db.unit_of_work import database_errors
from faturas.errors import FaturasError
from faturas.services.context import ServiceContext


class HealthCheck(BaseModel):
    ok: bool
    message: str


class Health(BaseModel):
    status: str
    checks: dict[str, HealthCheck]


def health(context: ServiceContext) -> Health:
    checks = {
        "database": _check(lambda: _ping_database(context)),
        "queue": _check(context.queue.check),
        "storage": _check(context.store.check),
    }
    status = "ok" if all(check.ok for check in checks.values()) else "unavailable"
    return Health(status=status, checks=checks)


def _ping_database(context: ServiceContext) -> None:
    with database_errors(), context.uow_factory(read_only=True) as uow:
        uow.session.execute(text("SELECT 1"))


def _check(probe: Callable[[], None]) -> HealthCheck:
    try:
        probe()
    except FaturasError as error:
        return HealthCheck(ok=False, message=error.message)
    return HealthCheck(ok=True, message="ok")
