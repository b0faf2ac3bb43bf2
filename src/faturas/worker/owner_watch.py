"""An extraction process ends when the worker that started it is gone, even killed with SIGKILL.

Pool processes are children of a forkserver, not of the worker, and a ProcessPoolExecutor's process
holds both ends of its own task pipe: when the worker dies without closing the pool, nothing tells
them, and each would idle on for good with a parser's memory (about 120 MB) while the restarted
worker starts new ones.
"""

from __future__ import annotations

import os
import select
import threading
import time
from collections.abc import Callable

#: Without a pidfd, how often the owner is looked for.
POLL_SECONDS = 1.0


def exit_with_owner(owner_pid: int) -> None:
    """Start watching ``owner_pid``: this process exits (at once, as SIGKILL would end it) when it ends."""
    try:
        owner = os.pidfd_open(owner_pid)
    except ProcessLookupError:
        os._exit(0)  # gone before this process started: nobody wants its answers
    except (AttributeError, OSError):  # no pidfd here (another system, an old kernel, a sandbox): look
        _watch(_exit_when_gone_polled, owner_pid)
    else:
        _watch(_exit_when_gone, owner)


def _watch(target: Callable[[int], None], argument: int) -> None:
    threading.Thread(target=target, args=(argument,), name="faturas-owner-watch", daemon=True).start()


def _exit_when_gone(owner: int) -> None:
    select.select([owner], [], [])  # a process's pidfd turns readable when the process ends
    os._exit(0)


def _exit_when_gone_polled(owner_pid: int) -> None:
    while True:
        time.sleep(POLL_SECONDS)
        try:
            os.kill(owner_pid, 0)
        except ProcessLookupError:
            os._exit(0)
        except PermissionError:  # alive, or its pid taken by another user's process: keep looking
            continue
