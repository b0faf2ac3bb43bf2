"""Local file store: one file per key under a root folder (embedded mode: data_dir/files)."""

from __future__ import annotations

import errno
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from faturas.errors import StorageFull, StorageUnavailable, StoredFileMissing


class LocalFileStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        # Resolved once: every key is checked against it, and resolving costs a system call per folder.
        self._resolved_root = root.resolve()

    def _path(self, key: str) -> Path:
        path = (self._resolved_root / key).resolve()
        if self._resolved_root not in path.parents:
            raise ValueError(f"storage key escapes the root folder: {key!r}")
        return path

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Write aside and rename: a reader never sees half a file, even if we die mid-write.
            fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        except OSError as error:
            raise storage_error(error) from error
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            Path(temporary).replace(path)
        except OSError as error:
            # A full disk must not leave half a file behind: the partial copy goes, the old one stays.
            Path(temporary).unlink(missing_ok=True)
            raise storage_error(error) from error

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError as error:
            raise StoredFileMissing(key) from error
        except OSError as error:
            raise StorageUnavailable(f"{type(error).__name__}: {error}") from error

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def modified_at(self, key: str) -> datetime:
        try:
            return datetime.fromtimestamp(self._path(key).stat().st_mtime, UTC)
        except FileNotFoundError as error:
            raise StoredFileMissing(key) from error
        except OSError as error:
            raise StorageUnavailable(f"{type(error).__name__}: {error}") from error

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def keys(self) -> list[str]:
        """Every file, temporaries included: one left by a process killed mid-write belongs to no document,
        and reconciliation removes it once it is old enough not to be a write in progress."""
        if not self.root.is_dir():
            return []
        return sorted(path.relative_to(self.root).as_posix() for path in self.root.rglob("*") if path.is_file())

    def check(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StorageUnavailable(f"{type(error).__name__}: {error}") from error
        if not os.access(self.root, os.W_OK):
            raise StorageUnavailable(f"sem permissão de escrita em {self.root}")


def storage_error(error: OSError) -> StorageUnavailable:
    """A full disk (or quota) is told apart from an unreachable store: the answer is 507, not 503."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return StorageFull(f"{type(error).__name__}: {error}")
    return StorageUnavailable(f"{type(error).__name__}: {error}")
