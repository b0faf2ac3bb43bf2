"""Prometheus multiprocess mode: every process of one machine writes its metrics into one directory.

``faturas serve`` and ``faturas worker`` call ``prepare_metrics_dir`` first thing. When the operator
set ``PROMETHEUS_MULTIPROC_DIR`` it is used as given (the operator empties it between runs, as the
prometheus_client documentation asks). Otherwise each run gets a fresh directory of its own, and
directories left behind by runs whose process is gone are removed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from prometheus_client import values

from faturas.config import Settings

#: The variable prometheus_client reads; the extraction processes inherit it.
ENV_VAR = "PROMETHEUS_MULTIPROC_DIR"
RUN_PREFIX = "run-"


def metrics_dir() -> Path | None:
    """The multiprocess directory of this process, or None when metrics live in this process only."""
    value = os.environ.get(ENV_VAR)
    return Path(value) if value else None


def prepare_metrics_dir(settings: Settings) -> Path:
    """Choose (and create) the metrics directory of this run, and switch prometheus_client to it."""
    given = metrics_dir()
    if given is not None:
        given.mkdir(parents=True, exist_ok=True)
        directory = given
    else:
        parent = _runs_parent(settings)
        _remove_dead_runs(parent)
        directory = parent / f"{RUN_PREFIX}{os.getpid()}"
        shutil.rmtree(directory, ignore_errors=True)  # a pid reused from an old run: start clean
        directory.mkdir(parents=True)
        os.environ[ENV_VAR] = str(directory)
    # Values are created when a labelled metric is first used: from now on, in mmap files.
    if values.ValueClass is values.MutexValue:
        values.ValueClass = values.get_value_class()  # type: ignore[no-untyped-call]
    return directory


def _runs_parent(settings: Settings) -> Path:
    if settings.database_url is None:  # embedded: the data folder is this installation's own
        return settings.data_dir.resolve() / "metrics"
    return Path(tempfile.gettempdir()) / f"faturas-metrics-{os.getuid()}"


def _remove_dead_runs(parent: Path) -> None:
    if not parent.is_dir():
        return
    for run in parent.glob(f"{RUN_PREFIX}*"):
        pid = run.name.removeprefix(RUN_PREFIX)
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(run, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
