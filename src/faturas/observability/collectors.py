"""Gauges computed at scrape time from the database (and BullMQ, when used): the queue as it is now.

Counting rows at scrape time is right in every mode and process layout: no process has to keep a gauge
in step, and a worker that died leaves no stale value behind.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime

from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from faturas.db.models import Job, JobStatus, utcnow
from faturas.db.unit_of_work import database_errors
from faturas.errors import ServiceUnavailable
from faturas.services.context import ServiceContext

log = logging.getLogger(__name__)


class QueueCollector(Collector):
    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def collect(self) -> Iterator[Metric]:
        try:
            depth, oldest = self._jobs()
        except ServiceUnavailable as error:
            log.warning("metrics: queue gauges skipped: %s", error.message)
            return
        jobs = GaugeMetricFamily(
            "faturas_jobs", "Jobs waiting (queued) or being processed (running), now.", labels=["status"]
        )
        for status in (JobStatus.QUEUED, JobStatus.RUNNING):
            jobs.add_metric([status.value], depth.get(status.value, 0))
        yield jobs
        age = (utcnow() - oldest).total_seconds() if oldest is not None else 0.0
        yield GaugeMetricFamily(
            "faturas_oldest_queued_job_age_seconds",
            "Age of the oldest queued job (0 when none is queued).",
            max(age, 0.0),
        )
        yield from self._bullmq()

    def _jobs(self) -> tuple[dict[str, int], datetime | None]:
        waiting = (JobStatus.QUEUED.value, JobStatus.RUNNING.value)
        with database_errors(), self._context.uow_factory(read_only=True) as uow:
            counts = uow.session.execute(
                select(Job.status, func.count()).where(Job.status.in_(waiting)).group_by(Job.status)
            )
            depth = {str(status): int(count) for status, count in counts}
            oldest = uow.session.scalar(select(func.min(Job.created_at)).where(Job.status == JobStatus.QUEUED))
        return depth, _as_utc(oldest)

    def _bullmq(self) -> Iterator[Metric]:
        counts_of = getattr(self._context.queue, "counts", None)
        if counts_of is None:
            return  # the embedded queue is the jobs table, counted above
        try:
            counts: dict[str, int] = counts_of()
        except ServiceUnavailable as error:
            log.warning("metrics: BullMQ counts skipped: %s", error.message)
            return
        family = GaugeMetricFamily(
            "faturas_bullmq_jobs", "Jobs in the BullMQ queue by BullMQ state, now.", labels=["state"]
        )
        for state, count in sorted(counts.items()):
            family.add_metric([state], count)
        yield family


def _as_utc(value: datetime | None) -> datetime | None:
    # func.min() bypasses the column type on SQLite: the naive UTC value comes back as stored.
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
