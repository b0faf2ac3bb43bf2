"""The S3 file store against moto's S3 in server mode (real HTTP, real boto3)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from faturas.errors import StorageUnavailable, StoredFileMissing
from faturas.storage.s3 import S3FileStore, parse_s3_url


def test_an_s3_url_names_the_bucket_and_an_optional_prefix() -> None:
    assert parse_s3_url("s3://bills/org/a") == ("bills", "org/a/")
    assert parse_s3_url("s3://bills") == ("bills", "")
    with pytest.raises(ValueError, match="s3://bucket/prefix"):
        parse_s3_url("file:///tmp/x")


def test_stored_bytes_come_back_under_their_key_and_inside_the_prefix(
    s3_endpoint: str, make_bucket: Callable[[], str]
) -> None:
    bucket = make_bucket()
    store = S3FileStore(f"s3://{bucket}/faturas/originals", endpoint_url=s3_endpoint)
    store.put("ab/abcdef.pdf", b"%PDF-1.7 first")
    store.put("cd/cdef01.pdf", b"%PDF-1.7 second")

    assert store.get("ab/abcdef.pdf") == b"%PDF-1.7 first"
    assert store.exists("cd/cdef01.pdf")
    assert store.keys() == ["ab/abcdef.pdf", "cd/cdef01.pdf"]
    other = S3FileStore(f"s3://{bucket}/elsewhere", endpoint_url=s3_endpoint)
    assert other.keys() == []
    store.check()


def test_overwriting_a_key_keeps_one_object(s3_endpoint: str, make_bucket: Callable[[], str]) -> None:
    store = S3FileStore(f"s3://{make_bucket()}", endpoint_url=s3_endpoint)
    store.put("k.pdf", b"old")
    store.put("k.pdf", b"new")
    assert store.keys() == ["k.pdf"]
    assert store.get("k.pdf") == b"new"


def test_a_missing_key_is_a_missing_stored_file_not_an_outage(s3_endpoint: str, make_bucket: Callable[[], str]) -> None:
    store = S3FileStore(f"s3://{make_bucket()}/p", endpoint_url=s3_endpoint)
    assert not store.exists("nope.pdf")
    with pytest.raises(StoredFileMissing) as raised:
        store.get("nope.pdf")
    assert raised.value.key == "nope.pdf"
    store.put("gone.pdf", b"x")
    store.delete("gone.pdf")
    assert not store.exists("gone.pdf")


def test_a_missing_bucket_is_reported_as_storage_unavailable(s3_endpoint: str) -> None:
    store = S3FileStore("s3://no-such-bucket-here/p", endpoint_url=s3_endpoint)
    with pytest.raises(StorageUnavailable):
        store.check()
    with pytest.raises(StorageUnavailable):
        store.put("a.pdf", b"x")


def test_an_unreachable_endpoint_is_storage_unavailable() -> None:
    # Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    store = S3FileStore("s3://bucket/p", endpoint_url="http://127.0.0.1:9")
    with pytest.raises(StorageUnavailable) as raised:
        store.put("a.pdf", b"x")
    assert "armazenamento" in raised.value.message
