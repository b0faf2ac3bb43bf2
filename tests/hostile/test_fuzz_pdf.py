"""The PDF path under coverage-guided fuzzing (atheris), for a bounded time and a fixed seed.

Seeds are a synthetic bill and its broken, locked and odd variants; libFuzzer mutates them into
extract_invoice, and any exception other than a typed FaturasError (or a crash of the process)
fails the run, with the input that caused it saved next to the log.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from tests.hostile import raw_pdf
from tests.hostile.cases import (
    bill_pdf,
    broken_xref_pdf,
    encrypted_pdf,
    not_a_bill_pdf,
    truncated_pdf,
    unknown_layout_pdf,
)

#: Fuzzing budget in CI: whichever comes first.
RUNS = 20_000
SECONDS = 20

pytest.importorskip("atheris", reason="atheris is a dev dependency (pip install -e '.[dev]')")


def test_fuzzed_pdfs_give_only_typed_errors(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    found = tmp_path / "found"
    found.mkdir()
    for name, data in {
        "bill": bill_pdf(),
        "truncated": truncated_pdf(),
        "broken-xref": broken_xref_pdf(),
        "encrypted": encrypted_pdf(),
        "nested": raw_pdf.nested_arrays_pdf(50),
        "not-a-bill": not_a_bill_pdf(),
        "unknown-layout": unknown_layout_pdf(),
        "uncompressed": raw_pdf.one_page_pdf(raw_pdf.text_content(["Conta de energia CEMIG 100 kWh TOTAL 12,34"])),
    }.items():
        (seeds / f"{name}.pdf").write_bytes(data)
    command = [
        sys.executable,
        "-m",
        "tests.hostile.fuzz_pdf",
        str(found),
        str(seeds),
        f"-atheris_runs={RUNS}",
        f"-max_total_time={SECONDS}",
        "-seed=20261129",
        "-rss_limit_mb=2048",
        "-timeout=20",
        f"-artifact_prefix={tmp_path}/",
    ]
    run = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=SECONDS * 4 + 60)
    findings = sorted(path.name for path in tmp_path.iterdir() if path.name.startswith(("crash-", "timeout-", "oom-")))
    assert run.returncode == 0 and not findings, f"{findings}\n{run.stderr[-4000:]}"
    assert "Done" in run.stderr  # the fuzzer ran to its budget
