"""Writers of one SQLite file take turns at a gate, so a waiting writer starts as soon as the last one ends.

SQLite has one writer at a time, and a writer that finds the lock taken sleeps in its busy handler:
1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100 ms… between looks, whenever the lock came free. With
uploads (in the server) and the worker (its own process) writing all the time, an upload's
``BEGIN IMMEDIATE`` slept up to 185 ms for transactions of a few milliseconds (issue #3: the
upload p99). The gate: the threads of a process queue on a lock that wakes the next one at once,
and the processes take turns with ``flock`` on ``<database>.write-lock``, looked at every
millisecond at most. ``BEGIN IMMEDIATE`` then finds the database free; its busy handler stays as
the fallback for writers that do not use the gate (another program, an older faturas), and for
a writer that waited at the gate longer than GATE_TIMEOUT_SECONDS.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from pathlib import Path

#: How long a writer waits at the gate; then it goes on to SQLite's own wait (its busy timeout).
GATE_TIMEOUT_SECONDS = 30.0
#: Longest pause between two looks at another process's lock.
_MAX_PAUSE_SECONDS = 0.001


class WriteGate:
    """One per database file and process (see ``gate_for``). Not reentrant: one write transaction
    per thread at a time, as SQLite allows anyway. Any thread may release it (a connection can be
    returned to the pool from another thread)."""

    def __init__(self, database: Path) -> None:
        self._path = database.with_name(database.name + ".write-lock")
        self._lock = threading.Lock()
        self._fd: int | None = None
        self._locked_file = False

    def acquire(self, timeout: float = GATE_TIMEOUT_SECONDS) -> bool:
        """Wait for this process's other writers, then for other processes'. False: gave up waiting."""
        deadline = time.monotonic() + timeout
        if not self._lock.acquire(timeout=timeout):
            return False
        self._locked_file = self._lock_file(deadline)
        return True

    def release(self) -> None:
        if self._locked_file:
            assert self._fd is not None
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            self._locked_file = False
        self._lock.release()

    def _lock_file(self, deadline: float) -> bool:
        try:
            if self._fd is None:
                self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            pause = 0.0001
            while True:
                try:
                    fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return True
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        return False  # SQLite's busy timeout decides from here
                    time.sleep(pause)
                    pause = min(pause * 2, _MAX_PAUSE_SECONDS)
        except OSError:
            return False  # a read-only folder, say: SQLite's own locking still holds


_gates: dict[Path, WriteGate] = {}
_gates_lock = threading.Lock()


def gate_for(database: str) -> WriteGate:
    """The gate of a database file, shared by every engine of this process on it."""
    path = Path(database).resolve()
    with _gates_lock:
        gate = _gates.get(path)
        if gate is None:
            gate = _gates[path] = WriteGate(path)
        return gate
