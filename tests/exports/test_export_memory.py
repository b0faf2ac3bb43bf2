"""Exporting 20,000 invoices (60,000 items) in every format keeps memory where one month's export left it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from faturas.config import Settings
from faturas.services.context import build_context
from faturas.synthetic.database import fill_invoices

#: Growth allowed over the one-month baseline. Loading the 20,000 rows (or 60,000 items) at once
#: costs well over this; streaming costs a batch.
GROWTH_BOUND_MB = 25


def test_export_memory_stays_flat_for_twenty_thousand_invoices(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'big.db'}"
    context = build_context(Settings(database_url=url, data_dir=tmp_path))
    try:
        filled = fill_invoices(context.engine, units=2000, months=10, items_per_invoice=3)
    finally:
        context.close()
    assert filled.invoices == 20_000
    probe = [sys.executable, "-m", "faturas.synthetic.export_probe", url, filled.months[0]]
    done = subprocess.run(probe, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    growth = figures["final_peak_mb"] - figures["baseline_peak_mb"]
    assert growth < GROWTH_BOUND_MB, figures
