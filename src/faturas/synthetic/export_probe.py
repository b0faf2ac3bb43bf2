"""Peak memory of exports, measured in a process of its own: ``python -m faturas.synthetic.export_probe URL``.

Exports one month first (the baseline: imports, caches and buffers warmed up), records the peak
resident size, then exports everything in every format and kind and records the peak again. A
streaming export ends where the baseline was; one that loads every row grows with the row count.
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from faturas.config import Settings
from faturas.services.context import build_context
from faturas.services.export_formats import ExportFormat
from faturas.services.export_rows import ExportKind
from faturas.services.export_stream import ExportRequest, write_export_file
from faturas.services.queries import InvoiceFilters


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def main(database_url: str, month: str, formats: list[str]) -> dict[str, object]:
    context = build_context(Settings(database_url=database_url, data_dir=Path(tempfile.gettempdir())), migrate=False)
    chosen = [ExportFormat(value) for value in formats] or list(ExportFormat)
    figures: dict[str, object] = {}
    try:
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / "export"
            one_month = InvoiceFilters(month_from=month, month_to=month)
            for fmt in chosen:
                for kind in ExportKind:
                    with target.open("wb") as out:
                        write_export_file(context, ExportRequest(fmt, kind, one_month), out)
            figures["baseline_peak_mb"] = peak_rss_mb()
            for fmt in chosen:
                for kind in ExportKind:
                    started = time.perf_counter()
                    with target.open("wb") as out:
                        write_export_file(context, ExportRequest(fmt, kind), out)
                    figures[f"{fmt.value}_{kind.value}_seconds"] = time.perf_counter() - started
                    figures[f"{fmt.value}_{kind.value}_peak_mb"] = peak_rss_mb()
            figures["final_peak_mb"] = peak_rss_mb()
    finally:
        context.close()
    return figures


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2], sys.argv[3:])))
