"""SQLite writers take turns at the write gate: a waiting writer goes on as soon as the last one is done."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

from sqlalchemy import text

from faturas.db.engine import make_engine
from faturas.db.write_gate import WriteGate, gate_for


def test_a_waiting_thread_goes_on_as_soon_as_the_writer_leaves(tmp_path: Path) -> None:
    gate = WriteGate(tmp_path / "db.sqlite")
    assert gate.acquire()
    entered: list[float] = []
    waiter = threading.Thread(target=lambda: entered.append(time.monotonic()) if gate.acquire() else None)
    waiter.start()
    time.sleep(0.2)
    assert not entered  # still waiting
    left = time.monotonic()
    gate.release()
    waiter.join(5)
    assert entered and entered[0] - left < 0.05
    gate.release()  # any thread may release it (the pool may return a connection from another thread)


HOLDER = textwrap.dedent(
    """
    import fcntl, os, sys, time
    fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
    """
)


def test_another_process_holding_the_database_is_waited_for_then_followed_closely(tmp_path: Path) -> None:
    gate = WriteGate(tmp_path / "db.sqlite")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path / "db.sqlite.write-lock"), "0.3"], stdout=subprocess.PIPE
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == b"held"
    began = time.monotonic()
    assert gate.acquire()
    waited = time.monotonic() - began
    holder.wait()
    gate.release()
    assert 0.15 < waited < 1.0


def test_a_writer_that_waits_too_long_goes_on_to_sqlite_s_own_wait(tmp_path: Path) -> None:
    gate = WriteGate(tmp_path / "db.sqlite")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path / "db.sqlite.write-lock"), "5"], stdout=subprocess.PIPE
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"held"
        assert gate.acquire(timeout=0.1)  # this process's turn, without the other process's lock
        gate.release()
    finally:
        holder.kill()
        holder.wait()


def test_a_write_transaction_holds_the_gate_until_its_connection_is_returned(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite"
    engine = make_engine(f"sqlite:///{database}")
    gate = gate_for(str(database))
    try:
        with engine.connect() as connection:
            connection.execute(text("CREATE TABLE t (n INTEGER)"))
            connection.commit()
        with engine.connect() as connection:
            connection.execute(text("INSERT INTO t VALUES (1)"))
            assert not gate.acquire(timeout=0.05)  # taken by the open write transaction
            connection.commit()
        assert gate.acquire(timeout=0.05)  # the connection is back in the pool: the gate is free
        gate.release()
        with engine.connect() as connection:  # a failed transaction leaves it too
            connection.execute(text("INSERT INTO t VALUES (2)"))
            connection.rollback()
        assert gate.acquire(timeout=0.05)
        gate.release()
    finally:
        engine.dispose()
