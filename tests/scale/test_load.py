"""A bounded run of bench/load.py: 200 uploads from 20 clients against PostgreSQL + BullMQ + 2 workers.

The full soak (10,000 uploads) is ``python bench/load.py``; this checks the same accounting on a small run.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parents[2] / "bench"


def load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("faturas_bench_load", BENCH / "load.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def test_two_hundred_uploads_with_duplicates_lose_nothing_and_worker_memory_stays_flat(
    database_url: str, redis_url: str
) -> None:
    load = load_bench()
    n, repeats = 200, 20
    result = load.main(["--n", str(n), "--database-url", database_url, "--redis-url", redis_url])

    assert result.lost == []
    assert result.refused == {}
    assert result.accepted == n
    distinct_files = n - repeats // 2  # half the repeats are the very same file: no new document or job
    assert result.existing == repeats // 2
    assert result.documents == distinct_files
    assert sum(result.jobs.values()) == distinct_files
    # Every distinct bill is stored once; its other-bytes copy ends duplicate.
    assert result.jobs == {"succeeded": n - repeats, "duplicate": repeats // 2}
    assert result.invoices == n - repeats
    assert load.memory_is_flat(result, tolerance_mb=64), (result.worker_rss_warm_mb, result.worker_rss_end_mb)
