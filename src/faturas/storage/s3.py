"""S3 adapter of the file store port (AWS S3, MinIO, moto…), for ``s3://bucket/prefix`` URLs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from faturas.errors import StorageUnavailable, StoredFileMissing

if TYPE_CHECKING:
    from types_boto3_s3 import S3Client

#: Codes S3 answers for an absent object (HEAD has no body, so only the status is known).
_MISSING_CODES = frozenset({"NoSuchKey", "404", "NotFound"})


def parse_s3_url(url: str) -> tuple[str, str]:
    """``s3://bucket/some/prefix`` → ("bucket", "some/prefix/"); the prefix may be empty."""
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise ValueError(f"expected s3://bucket/prefix, got {url!r}")
    prefix = parts.path.strip("/")
    return parts.netloc, f"{prefix}/" if prefix else ""


class S3FileStore:
    def __init__(self, url: str, *, endpoint_url: str | None = None, client: S3Client | None = None) -> None:
        self.bucket, self.prefix = parse_s3_url(url)
        # Short timeouts and few retries: an upload must be answered quickly even when S3 is away.
        config = Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 3, "mode": "standard"})
        self._s3: S3Client = client or boto3.client("s3", endpoint_url=endpoint_url, config=config)

    def _key(self, key: str) -> str:
        return self.prefix + key

    def put(self, key: str, data: bytes) -> None:
        try:
            self._s3.put_object(Bucket=self.bucket, Key=self._key(key), Body=data)
        except (BotoCoreError, ClientError) as error:
            raise StorageUnavailable(_describe(error)) from error

    def get(self, key: str) -> bytes:
        try:
            response = self._s3.get_object(Bucket=self.bucket, Key=self._key(key))
            return response["Body"].read()
        except ClientError as error:
            if _code(error) in _MISSING_CODES:
                raise StoredFileMissing(key) from error
            raise StorageUnavailable(_describe(error)) from error
        except BotoCoreError as error:
            raise StorageUnavailable(_describe(error)) from error

    def exists(self, key: str) -> bool:
        try:
            self._s3.head_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as error:
            if _code(error) in _MISSING_CODES:
                return False
            raise StorageUnavailable(_describe(error)) from error
        except BotoCoreError as error:
            raise StorageUnavailable(_describe(error)) from error
        return True

    def modified_at(self, key: str) -> datetime:
        try:
            response = self._s3.head_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as error:
            if _code(error) in _MISSING_CODES:
                raise StoredFileMissing(key) from error
            raise StorageUnavailable(_describe(error)) from error
        except BotoCoreError as error:
            raise StorageUnavailable(_describe(error)) from error
        return response["LastModified"].astimezone(UTC)

    def delete(self, key: str) -> None:
        try:
            self._s3.delete_object(Bucket=self.bucket, Key=self._key(key))
        except (BotoCoreError, ClientError) as error:
            raise StorageUnavailable(_describe(error)) from error

    def keys(self) -> list[str]:
        found: list[str] = []
        try:
            pages = self._s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix)
            for page in pages:
                found.extend(item["Key"][len(self.prefix) :] for item in page.get("Contents", []))
        except (BotoCoreError, ClientError) as error:
            raise StorageUnavailable(_describe(error)) from error
        return sorted(found)

    def check(self) -> None:
        try:
            self._s3.head_bucket(Bucket=self.bucket)
        except (BotoCoreError, ClientError) as error:
            raise StorageUnavailable(_describe(error)) from error


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _describe(error: BotoCoreError | ClientError) -> str:
    if isinstance(error, ClientError):
        return f"S3 {_code(error) or 'error'}: {error}"
    return f"{type(error).__name__}: {error}"
