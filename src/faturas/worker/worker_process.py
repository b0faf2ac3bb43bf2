"""The embedded worker in a process of its own: ``faturas serve`` answers HTTP, a child process does the jobs.

In the server's own threads the workers' database work (claim, save: SQLAlchemy, all Python) took
the GIL from the request handlers, and an upload waited behind it at every I/O call (issue #3: the
upload p99). The child runs what ``faturas worker`` runs in embedded mode (claims under a lease with
a heartbeat, the extraction pool, the webhook dispatcher), so jobs stay durable in the jobs table and
``faturas serve`` stays one command. The server wakes the child through a pipe when an upload
commits a job (idle, it polls the table as before), and starts it again if it dies: the jobs it
held are taken up again when their leases expire. The child stops when the server's end of the pipe
closes, so it never outlives a server that was killed.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import threading
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from faturas.config import Settings
from faturas.queue.embedded import EmbeddedQueue
from faturas.services.context import ServiceContext
from faturas.worker.signals import stop_on_signals

log = logging.getLogger(__name__)

#: A child that died is started again after this pause (a crash loop must not spin).
RESTART_DELAY_SECONDS = 1.0
#: How long ``stop`` lets the child finish the bills in hand before killing it.
STOP_SECONDS = 30.0


class WorkerProcess:
    """Starts, wakes, watches and stops the embedded worker's process."""

    def __init__(self, settings: Settings, concurrency: int) -> None:
        self._settings = settings
        self._concurrency = concurrency
        self._context = multiprocessing.get_context("spawn")  # a clean interpreter: no server threads, sockets
        self._lock = threading.Lock()
        self._process: BaseProcess | None = None
        self._wake_fd: int | None = None
        self._stopping = threading.Event()
        self._watcher = threading.Thread(target=self._watch, name="faturas-worker-watch", daemon=True)

    def start(self) -> WorkerProcess:
        self._spawn()
        self._watcher.start()
        return self

    def wake(self) -> None:
        """A job was committed: let the child claim it now rather than at its next poll (never blocks)."""
        with self._lock:
            fd = self._wake_fd
            if fd is None:
                return
            # A full pipe: the child has wakes pending already. A broken one: the child is gone (restarted).
            with contextlib.suppress(BlockingIOError, BrokenPipeError):
                os.write(fd, b"\0")

    def stop(self, timeout: float = STOP_SECONDS) -> None:
        self._stopping.set()
        with self._lock:
            process, self._process = self._process, None
            self._close_wake()
        if process is None:
            return
        if process.is_alive():
            os.kill(process.pid, signal.SIGTERM)  # type: ignore[arg-type]
        process.join(timeout)
        if process.is_alive():
            log.warning("the worker process did not stop in %.0f s; killing it", timeout)
            process.kill()
            process.join(5)
        self._watcher.join(5)

    @property
    def pid(self) -> int | None:
        process = self._process
        return None if process is None else process.pid

    def _spawn(self) -> None:
        receiver, sender = self._context.Pipe(duplex=False)
        process = self._context.Process(
            target=run_child,
            args=(self._settings, self._concurrency, receiver),
            name="faturas-worker",
            daemon=False,  # it starts extraction processes of its own, which a daemon may not
        )
        process.start()
        receiver.close()
        os.set_blocking(sender.fileno(), False)
        with self._lock:
            stopped = self._stopping.is_set()  # stop() ran while this one started: it must not outlive it
            if not stopped:
                self._close_wake()
                self._process, self._wake_fd = process, os.dup(sender.fileno())
        sender.close()  # a child whose server end is closed stops by itself
        if stopped:
            process.join(STOP_SECONDS)
            return
        log.info("worker process started (pid %s, %d at once)", process.pid, self._concurrency)

    def _close_wake(self) -> None:
        if self._wake_fd is not None:
            os.close(self._wake_fd)
            self._wake_fd = None

    def _watch(self) -> None:
        while not self._stopping.is_set():
            process = self._process
            if process is None:
                return
            process.join(0.5)
            if process.exitcode is None or self._stopping.is_set():
                continue
            log.warning("the worker process exited with code %s; starting it again", process.exitcode)
            if self._stopping.wait(RESTART_DELAY_SECONDS):
                return
            try:
                self._spawn()
            except OSError:
                log.exception("cannot start the worker process; trying again")


def start_worker_process(context: ServiceContext, concurrency: int) -> WorkerProcess:
    """``faturas serve``'s worker: a process of its own, woken by every job the server's uploads enqueue."""
    if not isinstance(context.queue, EmbeddedQueue):
        raise TypeError("the worker process runs the embedded queue only")
    worker = WorkerProcess(context.settings, concurrency).start()
    context.queue.notify(worker.wake)
    return worker


def run_child(settings: Settings, concurrency: int, wake: Connection) -> None:
    """Body of the worker process: the embedded runtime until SIGTERM/SIGINT or the server is gone."""
    from faturas.logging_setup import configure_logging
    from faturas.observability.multiprocess import metrics_dir, prepare_metrics_dir
    from faturas.services.context import build_context
    from faturas.worker.runtime import start_embedded_runtime

    if metrics_dir() is not None:  # the server's metrics directory (inherited): report there too
        prepare_metrics_dir(settings)
    configure_logging(settings)
    stopped = stop_on_signals("the worker process stops after the current bills")
    context = build_context(settings, migrate=False)  # the server migrated it before starting us
    queue = context.queue
    if not isinstance(queue, EmbeddedQueue):
        raise TypeError("the worker process runs the embedded queue only")
    runtime = start_embedded_runtime(context, concurrency)
    threading.Thread(target=_relay_wakes, args=(wake, queue, stopped), name="faturas-wake", daemon=True).start()
    try:
        stopped.wait()
    finally:
        runtime.stop()
        context.close()


def _relay_wakes(wake: Connection, queue: EmbeddedQueue, stopped: threading.Event) -> None:
    """Each byte from the server is a committed job: wake the claiming threads. EOF: the server is gone."""
    fd = wake.fileno()
    while True:
        try:
            if not os.read(fd, 4096):
                break
        except InterruptedError:
            continue
        except OSError:
            break
        queue.enqueue("")
    if not stopped.is_set():
        log.warning("the server is gone: the worker process stops")
        stopped.set()
