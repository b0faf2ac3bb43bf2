"""The unit of work: one session, its repositories, one commit by the service that opened it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any

from sqlalchemy import Engine, Executable
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from faturas.db.engine import READ_ONLY
from faturas.db.repositories import (
    ClientRepository,
    DocumentRepository,
    InvoiceRepository,
    JobRepository,
    UnitRepository,
)
from faturas.errors import DatabaseUnavailable


class UnitOfWork:
    def __init__(self, session: Session) -> None:
        self.session = session
        #: Inside writes_together(): each statement's pending rows, by the statement's id.
        self._later: dict[int, tuple[Executable, list[dict[str, Any]]]] | None = None
        self.clients = ClientRepository(session)
        self.units = UnitRepository(session)
        self.documents = DocumentRepository(session)
        self.jobs = JobRepository(session)
        self.invoices = InvoiceRepository(session)

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is not None:
            self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()

    def execute_later(self, statement: Executable, params: dict[str, Any] | list[dict[str, Any]]) -> None:
        """A write whose result nobody reads: run now or, inside ``writes_together()``, with the other
        rows of the same statement in one executemany at the end (a batch of jobs: one statement
        where each job had its own)."""
        if self._later is None:
            self.session.execute(statement, params)
            return
        _, rows = self._later.setdefault(id(statement), (statement, []))
        rows.extend(params if isinstance(params, list) else [params])

    @property
    def collects_writes(self) -> bool:
        """Inside ``writes_together()``: ``execute_later`` writes wait for the end of the block."""
        return self._later is not None

    @contextmanager
    def writes_together(self) -> Iterator[None]:
        """Collect the ``execute_later`` writes of the block and run them when it ends, each statement
        once for all its rows, in the order the statements first came (an event before its deliveries)."""
        self._later = {}
        try:
            yield
            self.write_pending()
        finally:
            self._later = None

    def write_pending(self) -> None:
        """Inside ``writes_together()``: run the writes collected so far now (before a statement that
        needs their rows), in the same order; the block goes on collecting."""
        if not self._later:
            return
        pending = list(self._later.values())
        self._later.clear()
        for statement, rows in pending:
            self.session.execute(statement, rows)

    def rollback(self) -> None:
        self.session.rollback()


class UnitOfWorkFactory:
    """``factory()`` opens a unit of work; ``factory(read_only=True)`` one that only reads.

    Read-only units never take SQLite's write lock, so listings and health checks do not wait for
    (or hold up) workers and uploads.
    """

    def __init__(self, engine: Engine) -> None:
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._read_sessions = sessionmaker(engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False)

    def __call__(self, *, read_only: bool = False) -> UnitOfWork:
        return UnitOfWork(self._read_sessions() if read_only else self._sessions())


def unit_of_work_factory(engine: Engine) -> UnitOfWorkFactory:
    return UnitOfWorkFactory(engine)


@contextmanager
def database_errors() -> Iterator[None]:
    """Translate a lost or refused connection into DatabaseUnavailable (transient: retry later)."""
    try:
        yield
    except (OperationalError, InterfaceError) as error:
        raise DatabaseUnavailable(type(error.orig).__name__ if error.orig else str(error)) from error
    except DBAPIError as error:
        if error.connection_invalidated:
            raise DatabaseUnavailable("conexão perdida") from error
        raise
