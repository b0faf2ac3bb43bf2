"""The metrics directory of a run: fresh per run, left-overs of finished runs removed, an operator's kept."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PREPARE = """
import os, sys
from pathlib import Path
from faturas.config import Settings
from faturas.observability.multiprocess import prepare_metrics_dir
from faturas.observability import metrics
directory = prepare_metrics_dir(Settings(data_dir=Path(sys.argv[1])))
metrics.uploads_accepted.labels(existing="false").inc()
print(directory, os.getpid())
"""


def prepare(data_dir: Path, **env: str) -> tuple[Path, int]:
    environment = {key: value for key, value in os.environ.items() if key != "PROMETHEUS_MULTIPROC_DIR"}
    environment.pop("FATURAS_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", PREPARE, str(data_dir)], env={**environment, **env}, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    directory, pid = done.stdout.split()
    return Path(directory), int(pid)


def test_each_run_gets_a_fresh_folder_and_dead_runs_are_removed(tmp_path: Path) -> None:
    runs = tmp_path / "data" / "metrics"
    dead, alive = runs / "run-999999999", runs / f"run-{os.getpid()}"
    for folder in (dead, alive):
        folder.mkdir(parents=True)
        (folder / "counter_1.db").write_bytes(b"old")
    directory, pid = prepare(tmp_path / "data")
    assert directory == runs / f"run-{pid}"
    assert [path.name for path in directory.iterdir()] == [f"counter_{pid}.db"]  # metrics go to mmap files
    assert not dead.exists()
    assert alive.exists()  # a running process's folder is never touched


def test_an_operators_folder_is_used_as_given(tmp_path: Path) -> None:
    chosen = tmp_path / "shared-metrics"
    directory, pid = prepare(tmp_path / "data", PROMETHEUS_MULTIPROC_DIR=str(chosen))
    assert directory == chosen
    assert (chosen / f"counter_{pid}.db").exists()
    assert not (tmp_path / "data" / "metrics").exists()
