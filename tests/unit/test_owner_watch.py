"""exit_with_owner: a process ends when its owner does, with a pidfd or, where there is none, by looking."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

WATCHER = """
import os, sys, time
from faturas.worker import owner_watch
if sys.argv[2] == "no-pidfd":
    def refused(pid):
        raise OSError(38, "Function not implemented")
    os.pidfd_open = refused
    owner_watch.POLL_SECONDS = 0.05
owner_watch.exit_with_owner(int(sys.argv[1]))
print("watching", flush=True)
time.sleep(60)
sys.exit(3)
"""


@pytest.mark.parametrize("how", ["pidfd", "no-pidfd"])
def test_the_watcher_exits_when_its_owner_ends(how: str) -> None:
    owner = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    watcher = subprocess.Popen([sys.executable, "-c", WATCHER, str(owner.pid), how], stdout=subprocess.PIPE, text=True)
    try:
        assert watcher.stdout is not None and watcher.stdout.readline().strip() == "watching"
        time.sleep(0.2)
        assert watcher.poll() is None  # the owner lives: so does the watcher
        owner.kill()
        owner.wait(10)
        assert watcher.wait(10) == 0
    finally:
        for process in (owner, watcher):
            if process.poll() is None:
                process.kill()


def test_a_process_whose_owner_is_gone_already_exits_at_once() -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait(10)
    watcher = subprocess.run([sys.executable, "-c", WATCHER, str(gone.pid), "pidfd"], timeout=30, capture_output=True)
    assert watcher.returncode == 0 and b"watching" not in watcher.stdout
