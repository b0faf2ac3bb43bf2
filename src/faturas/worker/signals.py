"""An event set by SIGINT or SIGTERM: how a worker loop is told to stop after its current bills."""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType

log = logging.getLogger(__name__)


def stop_on_signals(what_happens: str) -> threading.Event:
    """Install SIGINT/SIGTERM handlers (main thread only) that log ``what_happens`` and set the event."""
    stopped = threading.Event()

    def _stop(signum: int, _frame: FrameType | None) -> None:
        log.info("signal %s: %s", signum, what_happens)
        stopped.set()

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    return stopped
