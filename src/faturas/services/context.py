"""What every service needs, built once from settings and passed in."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from faturas.config import Settings
from faturas.db.engine import engine_from_settings, upgrade_database
from faturas.db.unit_of_work import UnitOfWorkFactory, unit_of_work_factory
from faturas.queue.factory import job_queue_from_settings
from faturas.queue.port import JobQueue
from faturas.storage.factory import file_store_from_settings
from faturas.storage.port import FileStore


@dataclass
class ServiceContext:
    settings: Settings
    engine: Engine
    uow_factory: UnitOfWorkFactory
    store: FileStore
    queue: JobQueue

    def close(self) -> None:
        self.queue.close()
        self.engine.dispose()


def build_context(settings: Settings, *, migrate: bool = True) -> ServiceContext:
    """Wire the adapters the settings select. Embedded mode migrates its own database on start."""
    engine = engine_from_settings(settings)
    if migrate:
        upgrade_database(engine)
    uow_factory = unit_of_work_factory(engine)
    store = file_store_from_settings(settings)
    queue = job_queue_from_settings(settings, uow_factory)
    return ServiceContext(settings, engine, uow_factory, store, queue)
