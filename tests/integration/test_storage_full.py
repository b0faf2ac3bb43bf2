"""A file store that fills up during an upload: a clean 507, nothing half-stored, nothing lost once space is back.

The store's disk is made small: files opened under the store's root take CAPACITY bytes in all, then
every write fails with ENOSPC, after part of the data reached the disk, as on a real full disk.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import IO, Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from faturas.api.app import create_app
from faturas.db.models import Document, JobStatus
from faturas.services.context import ServiceContext
from faturas.services.process_job import process_job
from tests.ingest_support import ContextFactory, fake_extract, fake_pdf
from tests.reconcile import reconcile

CAPACITY = 64 * 1024


class SmallDisk:
    """Stands in for os.fdopen: files under ``root`` share ``capacity`` bytes, then writes fail (ENOSPC)."""

    def __init__(self, root: Path, capacity: int) -> None:
        self.root = str(root.resolve())
        self.free = capacity
        self._fdopen = os.fdopen

    def fdopen(self, fd: int, *args: Any, **kwargs: Any) -> IO[Any]:
        handle = self._fdopen(fd, *args, **kwargs)
        if str(Path(f"/proc/self/fd/{fd}").readlink()).startswith(self.root):
            return _Filling(handle, self)  # type: ignore[return-value]
        return handle


class _Filling:
    def __init__(self, handle: IO[bytes], disk: SmallDisk) -> None:
        self._handle, self._disk = handle, disk

    def write(self, data: bytes) -> int:
        room = min(len(data), self._disk.free)
        self._handle.write(data[:room])
        self._handle.flush()
        self._disk.free -= room
        if room < len(data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return room

    def __enter__(self) -> _Filling:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()


@pytest.fixture
def small_disk(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> SmallDisk:
    disk = SmallDisk(tmp_path / "data" / "files", CAPACITY)
    monkeypatch.setattr(os, "fdopen", disk.fdopen)
    return disk


def big_bill(month: str) -> bytes:
    return fake_pdf(month=month, padding="x" * (3 * CAPACITY))


def post(client: TestClient, *files: tuple[str, bytes]) -> tuple[int, dict[str, str], dict[str, object]]:
    response = client.post("/api/uploads", files=[("files", (name, data, "application/pdf")) for name, data in files])
    return response.status_code, dict(response.headers), response.json()


def stored_documents(context: ServiceContext) -> int:
    with context.uow_factory(read_only=True) as uow:
        return int(uow.session.scalar(select(func.count()).select_from(Document)) or 0)


def leftovers(context: ServiceContext) -> list[str]:
    """Every file under the store's root, temporary ones included."""
    root = context.settings.data_dir / "files"
    return sorted(path.name for path in root.rglob("*") if path.is_file()) if root.is_dir() else []


def test_an_upload_into_a_full_store_is_a_507_that_stores_nothing(
    make_context: ContextFactory, small_disk: SmallDisk
) -> None:
    context = make_context()
    with TestClient(create_app(context.settings, run_worker=False, context=context)) as client:
        status, headers, body = post(client, ("grande.pdf", big_bill("2024-01")))
        assert status == 507
        assert body["code"] == "storage_full"
        assert "armazenamento de arquivos está cheio" in str(body["message"])
        assert int(headers["retry-after"]) > 0
        assert stored_documents(context) == 0
        assert leftovers(context) == []  # not even a temporary half file

        # Space is back: the client sends the same file again and it goes through once.
        small_disk.free = 10 * CAPACITY
        status, _, body = post(client, ("grande.pdf", big_bill("2024-01")))
    assert status == 202
    [job] = body["jobs"]  # type: ignore[misc]
    assert process_job(context, job["job_id"], fake_extract) == JobStatus.SUCCEEDED
    assert reconcile(context, [job["job_id"]]).invoices == 1


def test_files_stored_before_the_store_filled_up_are_kept_and_processed(
    make_context: ContextFactory, small_disk: SmallDisk
) -> None:
    context = make_context()
    small = fake_pdf(month="2024-02")
    with TestClient(create_app(context.settings, run_worker=False, context=context)) as client:
        status, _, body = post(client, ("pequena.pdf", small), ("grande.pdf", big_bill("2024-03")))
        assert status == 507, body
        assert stored_documents(context) == 1  # the small file got in before the disk was full
        assert len(leftovers(context)) == 1

        small_disk.free = 10 * CAPACITY
        status, _, body = post(client, ("pequena.pdf", small), ("grande.pdf", big_bill("2024-03")))
    assert status == 202
    jobs = body["jobs"]
    assert [job["existing"] for job in jobs] == [True, False]  # type: ignore[index]
    job_ids = [str(job["job_id"]) for job in jobs]  # type: ignore[index]
    for job_id in job_ids:
        assert process_job(context, job_id, fake_extract) == JobStatus.SUCCEEDED
    assert reconcile(context, job_ids).invoices == 2
