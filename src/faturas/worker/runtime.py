"""The embedded runtime: worker threads plus the extraction process pool, started and stopped together."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from faturas.services.context import ServiceContext
from faturas.services.extract_document import Extractor, worker_extractor
from faturas.worker.embedded import EmbeddedWorker
from faturas.worker.pool import ExtractionPool
from faturas.worker.webhook_dispatcher import WebhookDispatcher


@dataclass
class EmbeddedRuntime:
    worker: EmbeddedWorker
    pool: ExtractionPool | None
    webhooks: WebhookDispatcher | None = None

    def stop(self) -> None:
        if self.webhooks is not None:
            self.webhooks.stop()
        self.worker.stop()
        if self.pool is not None:
            self.pool.close()


def start_embedded_runtime(
    context: ServiceContext, concurrency: int, extractor: Extractor | None = None
) -> EmbeddedRuntime:
    """Start ``concurrency`` worker threads feeding a pool of as many processes, and the webhook dispatcher.

    Tests may pass ``extractor`` to run extraction in-thread (no pool) with a stand-in function.
    """
    pool = None
    run_jobs = None
    if extractor is None:
        settings = context.settings
        pool = ExtractionPool(
            concurrency, settings.job_timeout_seconds, worker_extractor(settings), settings.job_memory_limit_mb
        )
        extractor = pool.extract
        # Each pool process reads and saves the bills of a claim itself (issue #3); the worker's own
        # path (each bill read by pool.extract) is the fallback when a process dies or times out.
        run_jobs = partial(pool.run_jobs, settings)
    worker = EmbeddedWorker(context, concurrency, extractor, run_jobs)
    worker.start()
    return EmbeddedRuntime(worker, pool, WebhookDispatcher(context).start())
