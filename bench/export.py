"""Export benchmark: a generated 100,000-invoice SQLite database exported in every format.

    .venv/bin/python bench/export.py [--units 10000 --months 10 --items 3]

Each format runs in a process of its own (faturas.synthetic.export_probe): it first exports one month
(10,000 invoices: the baseline) and then everything. Printed per format and kind: rows per second and
the peak resident memory after the full export as a ratio of the baseline peak; flat memory is ~1.0.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from faturas.config import Settings
from faturas.services.context import build_context
from faturas.services.export_formats import ExportFormat
from faturas.synthetic.database import fill_invoices


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--months", type=int, default=10)
    parser.add_argument("--items", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'export-bench.db'}"
        context = build_context(Settings(database_url=url, data_dir=Path(folder)))
        started = time.perf_counter()
        filled = fill_invoices(context.engine, args.units, args.months, args.items)
        context.close()
        print(
            f"generated {filled.invoices:,} invoices, {filled.items:,} items in {time.perf_counter() - started:.1f} s"
        )
        print(f"{'format':8} {'kind':9} {'rows':>9} {'rows/s':>9} {'peak MB':>8} {'baseline MB':>11} {'ratio':>6}")
        for fmt in ExportFormat:
            probe = [sys.executable, "-m", "faturas.synthetic.export_probe", url, filled.months[0], fmt.value]
            figures = json.loads(subprocess.run(probe, capture_output=True, text=True, check=True).stdout)
            baseline = figures["baseline_peak_mb"]
            for kind, rows in (("invoices", filled.invoices), ("items", filled.items)):
                seconds = figures[f"{fmt.value}_{kind}_seconds"]
                peak = figures[f"{fmt.value}_{kind}_peak_mb"]
                print(
                    f"{fmt.value:8} {kind:9} {rows:>9,} {rows / seconds:>9,.0f} {peak:>8.1f} {baseline:>11.1f}"
                    f" {peak / baseline:>6.2f}"
                )


if __name__ == "__main__":
    main()
