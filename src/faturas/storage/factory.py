"""Pick the file store from settings: local by default, S3 for s3:// URLs."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from faturas.config import Settings
from faturas.storage.local import LocalFileStore
from faturas.storage.port import FileStore


def file_store_from_settings(settings: Settings) -> FileStore:
    url = settings.storage_url
    if url is None:
        return LocalFileStore(settings.data_dir / "files")
    if url.startswith("file://"):
        return LocalFileStore(Path(unquote(urlparse(url).path)))
    from faturas.storage.s3 import S3FileStore  # boto3 is only imported when S3 is used

    return S3FileStore(url, endpoint_url=settings.s3_endpoint_url)
