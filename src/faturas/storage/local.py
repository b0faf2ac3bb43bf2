"""Local file store: one file per key under a root folder (embedded mode: data_dir/files)."""

from __future__ import annotations

import errno
import os
import secrets
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from faturas.errors import StorageFull, StorageUnavailable, StoredFileMissing

_NOT_NAMES = frozenset({"", ".", ".."})
_TEMPORARY_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
#: Reading a file of a known folder: a link is not followed (ELOOP), but resolved as a whole.
_NO_LINK_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_CAN_REFUSE_LINKS = hasattr(os, "O_NOFOLLOW")
#: documents/ab/…: 256 folders; the bound only keeps odd keys from growing it without end.
_MAX_FOLDERS = 4096


class LocalFileStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        # Resolved once: every key is checked against it, and resolving costs a system call per folder.
        self._resolved_root = root.resolve()
        #: Folders (by key prefix) that ``put`` has resolved inside the root and created: every upload's
        #: put resolved its path component by component (a Python loop) and made its folder again.
        self._folders: dict[str, str] = {}

    def _path(self, key: str) -> Path:
        path = (self._resolved_root / key).resolve()
        if self._resolved_root not in path.parents:
            raise ValueError(f"storage key escapes the root folder: {key!r}")
        return path

    def put(self, key: str, data: bytes) -> None:
        folder_key, _, name = key.rpartition("/")
        folder = self._folders.get(folder_key)
        if folder is None or name in _NOT_NAMES:
            self._put_checked(key, data)
            return
        path = os.path.join(folder, name)  # noqa: PTH118 (str paths: a Path costs more than the write)
        if os.path.islink(path):  # noqa: PTH114 - resolved as a whole, as before: refused if it leads outside the root
            self._put_checked(key, data)
            return
        # Write aside and rename, as _put_checked (the temporary made like mkstemp's: exclusive, 0600).
        try:
            temporary = os.path.join(folder, f".tmp-{secrets.token_hex(8)}")  # noqa: PTH118
            fd = os.open(temporary, _TEMPORARY_FLAGS, 0o600)
        except FileNotFoundError:  # the folder went away (emptied by hand, say): check and make it again
            self._folders.pop(folder_key, None)
            self._put_checked(key, data)
            return
        except OSError as error:
            raise storage_error(error) from error
        try:
            with open(fd, "wb") as handle:  # noqa: PTH123
                handle.write(data)
            os.replace(temporary, path)  # noqa: PTH105
        except OSError as error:
            Path(temporary).unlink(missing_ok=True)
            raise storage_error(error) from error

    def _put_checked(self, key: str, data: bytes) -> None:
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
        self._remember_folder(key, path)

    def _remember_folder(self, key: str, path: Path) -> None:
        """Note the folder of ``key`` (``path``: resolved) when no link or dot was on the way to it."""
        if str(path) == os.path.join(self._resolved_root, key):  # noqa: PTH118
            if len(self._folders) >= _MAX_FOLDERS:
                self._folders.clear()
            self._folders[key.rpartition("/")[0]] = str(path.parent)

    def get(self, key: str) -> bytes:
        try:
            data = self._read_in_known_folder(key)
            if data is None:
                path = self._path(key)
                data = path.read_bytes()
                self._remember_folder(key, path)
            return data
        except FileNotFoundError as error:
            raise StoredFileMissing(key) from error
        except OSError as error:
            raise StorageUnavailable(f"{type(error).__name__}: {error}") from error

    def _read_in_known_folder(self, key: str) -> bytes | None:
        """The file, when its folder is known inside the root (as ``put`` writes there) and it is no
        link: one open, where resolving the path costs a system call per folder. None: not known so."""
        folder_key, _, name = key.rpartition("/")
        folder = self._folders.get(folder_key)
        if folder is None or name in _NOT_NAMES or not _CAN_REFUSE_LINKS:
            return None
        try:
            fd = os.open(os.path.join(folder, name), _NO_LINK_READ_FLAGS)  # noqa: PTH118
        except OSError as error:
            if error.errno == errno.ELOOP:  # a link: resolved as a whole, refused if it leads outside the root
                return None
            raise
        with open(fd, "rb") as handle:  # noqa: PTH123
            return handle.read()

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
