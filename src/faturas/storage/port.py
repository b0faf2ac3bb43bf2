"""The file store port: original bills are kept by content-addressed key."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class FileStore(Protocol):
    def put(self, key: str, data: bytes) -> None:
        """Store bytes under key (overwriting is allowed: keys are content hashes)."""
        ...

    def get(self, key: str) -> bytes:
        """Return the bytes; raise StoredFileMissing when the key is absent."""
        ...

    def exists(self, key: str) -> bool: ...

    def modified_at(self, key: str) -> datetime:
        """When the key was last written (aware UTC); raise StoredFileMissing when absent.

        Reconciliation leaves young files alone: a file is stored before its row is committed.
        """
        ...

    def delete(self, key: str) -> None: ...

    def keys(self) -> list[str]:
        """Every stored key (for reconciliation)."""
        ...

    def check(self) -> None:
        """Raise StorageUnavailable when the store cannot be reached (health checks)."""
        ...
