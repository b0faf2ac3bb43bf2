"""A worker killed with SIGKILL leaves no extraction process behind (they are not its children)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[2]


def test_the_pool_processes_end_when_their_worker_is_killed() -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    owner = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.pool_owner"], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert owner.stdout is not None
        pids = [int(pid) for pid in owner.stdout.readline().split()]
        pool_processes = [psutil.Process(pid) for pid in pids]
        assert len(pool_processes) >= 3  # the forkserver and the two processes it forked, at least
    finally:
        owner.kill()
        owner.wait(30)
    deadline = time.monotonic() + 30
    alive = pool_processes
    while alive and time.monotonic() < deadline:
        alive = [process for process in alive if process.is_running() and process.status() != psutil.STATUS_ZOMBIE]
        time.sleep(0.1)
    for process in alive:
        process.kill()
    assert not alive, f"left behind: {[process.cmdline()[-1][:60] for process in alive]}"
