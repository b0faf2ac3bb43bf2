"""What ``GET /metrics`` (and ``faturas worker --metrics-port``) answers: every process's metrics plus the queue."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from faturas.observability.collectors import QueueCollector
from faturas.observability.multiprocess import metrics_dir
from faturas.services.context import ServiceContext


class _ThisProcess(Collector):
    """The default registry (this process's metrics) seen through another registry."""

    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()


def metrics_registry(context: ServiceContext | None) -> CollectorRegistry:
    """In multiprocess mode the counters of every process that shares the directory, merged; else this one's."""
    registry = CollectorRegistry(auto_describe=False)
    directory = metrics_dir()
    if directory is not None and directory.is_dir():
        MultiProcessCollector(registry, path=str(directory))  # type: ignore[no-untyped-call]
    else:
        registry.register(_ThisProcess())
    if context is not None:
        registry.register(QueueCollector(context))
    return registry


def render_metrics(context: ServiceContext | None) -> bytes:
    return generate_latest(metrics_registry(context))
