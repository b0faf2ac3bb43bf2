"""Support for the observability tests: a stand-in extractor, scraping and reading /metrics."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from prometheus_client.parser import text_string_to_metric_families

from faturas.domain.invoice import ValidationWarning
from faturas.services.extract_document import Extraction, StageTimes
from tests.ingest_support import FAKE_MARKER, fake_extract

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def reviewing_extract(pdf: bytes, password: str | None, max_pages: int) -> Extraction:
    """fake_extract, plus a warning (needs_review) when the fake bill asks for one, and stage times."""
    extraction = fake_extract(pdf, password, max_pages)
    fields = json.loads(pdf.split(FAKE_MARKER, 1)[1])
    invoice = extraction.invoice
    if fields.get("review"):
        invoice = replace(invoice, warnings=(ValidationWarning("items_sum", "Os itens não somam o total."),))
    return Extraction(invoice, 1, StageTimes(text=0.002, extract=0.003))


def parse_metrics(text: str) -> Samples:
    """Every sample of a Prometheus text exposition, by (sample name, sorted labels)."""
    samples: Samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def delta(before: Samples, after: Samples, name: str, **labels: str) -> float:
    return value(after, name, **labels) - value(before, name, **labels)


def total(samples: Samples, name: str, **labels: str) -> float:
    """Sum over the samples of ``name`` whose labels include ``labels``."""
    wanted = set(labels.items())
    return sum(v for (sample, sample_labels), v in samples.items() if sample == name and wanted <= set(sample_labels))


def wait_until(condition: Callable[[], Any], timeout: float = 60, interval: float = 0.05) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise TimeoutError("condition not met in time")
