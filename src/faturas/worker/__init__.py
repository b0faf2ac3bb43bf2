"""Worker entry point: the embedded loop over the jobs table, or a BullMQ worker when a queue URL is set."""

from __future__ import annotations

import logging

from faturas.config import Settings
from faturas.worker.signals import stop_on_signals

log = logging.getLogger(__name__)


def run_worker(settings: Settings, concurrency: int) -> None:
    """Process jobs until SIGINT/SIGTERM. ``concurrency`` bills are read at once, each in its own process."""
    if settings.queue_url is not None:
        from faturas.worker.bullmq_worker import run_bullmq_worker  # Redis is imported only when used

        run_bullmq_worker(settings, concurrency)
        return
    run_embedded_worker(settings, concurrency)


def run_embedded_worker(settings: Settings, concurrency: int) -> None:
    from faturas.services.context import build_context
    from faturas.worker.runtime import start_embedded_runtime

    context = build_context(settings)
    runtime = start_embedded_runtime(context, concurrency)
    stopped = stop_on_signals("stopping after the current bills")
    try:
        stopped.wait()
    finally:
        runtime.stop()
        context.close()
