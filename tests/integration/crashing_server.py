"""``faturas serve`` (API only) that dies the hard way at one point of an upload, for the crash tests.

Run as ``python -m tests.integration.crashing_server PORT POINT`` with the FATURAS_* environment:

- ``after_store``: the file is in the store, the document and job rows are not committed yet;
- ``after_commit``: the rows are committed, the job was not handed to the queue, nobody was answered.

The hook lives here, around the real adapters, so production code carries no test switch.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import uvicorn

from faturas.api.app import create_app
from faturas.config import get_settings
from faturas.services.context import build_context

#: The exit status of a process killed by SIGKILL, as a shell reports it.
KILLED = 137


class _DieAfterPut:
    """The real store; once a file is written, the process ends without any cleanup."""

    def __init__(self, store: Any) -> None:
        self._store = store

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def put(self, key: str, data: bytes) -> None:
        self._store.put(key, data)
        os._exit(KILLED)


class _DieBeforeEnqueue:
    """The real queue; asked to enqueue a committed job, the process ends instead."""

    def __init__(self, queue: Any) -> None:
        self._queue = queue

    def __getattr__(self, name: str) -> Any:
        return getattr(self._queue, name)

    def enqueue(self, job_id: str) -> None:
        os._exit(KILLED)

    def enqueue_new(self, job_ids: list[str]) -> None:
        os._exit(KILLED)

    def enqueue_new_soon(self, job_ids: list[str]) -> None:
        os._exit(KILLED)


def main() -> None:
    port, point = int(sys.argv[1]), sys.argv[2]
    settings = get_settings()
    context = build_context(settings)
    if point == "after_store":
        context.store = _DieAfterPut(context.store)
    elif point == "after_commit":
        context.queue = _DieBeforeEnqueue(context.queue)
    else:
        raise SystemExit(f"unknown crash point {point!r}")
    app = create_app(settings, run_worker=False, context=context)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main()
