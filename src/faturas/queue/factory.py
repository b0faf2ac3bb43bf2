"""Pick the job queue from settings: the embedded table queue by default, BullMQ for redis:// URLs."""

from __future__ import annotations

from faturas.config import Settings
from faturas.db.unit_of_work import UnitOfWorkFactory
from faturas.queue.embedded import EmbeddedQueue
from faturas.queue.port import JobQueue


def job_queue_from_settings(settings: Settings, uow_factory: UnitOfWorkFactory) -> JobQueue:
    if settings.embedded_queue:
        return EmbeddedQueue(uow_factory)
    from faturas.queue.bullmq import BullMQQueue  # Redis is only imported when BullMQ is used

    return BullMQQueue.from_settings(settings)
