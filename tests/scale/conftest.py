"""Fixtures for the at-scale adapters: real Redis and PostgreSQL (from FATURAS_TEST_* URLs), moto's S3."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.scale.private_services import PrivatePostgres, PrivateRedis
from tests.scale.stack import Stack, build_stack


@pytest.fixture(scope="session")
def redis_url() -> str:
    url = os.environ.get("FATURAS_TEST_REDIS_URL")
    if not url:
        pytest.skip("FATURAS_TEST_REDIS_URL is not set (e.g. redis://127.0.0.1:6379/0)")
    return url


@pytest.fixture(scope="session")
def database_url() -> str:
    url = os.environ.get("FATURAS_TEST_DATABASE_URL")
    if not url:
        pytest.skip("FATURAS_TEST_DATABASE_URL is not set (e.g. postgresql+psycopg://postgres@127.0.0.1/test)")
    return url


@pytest.fixture
def queue_name() -> str:
    """A queue of its own for each test, so runs sharing one Redis never see each other's jobs."""
    return f"faturas-test-{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """moto's S3 in server mode on a random loopback port, with dummy credentials."""
    from moto.server import ThreadedMotoServer

    saved = {
        name: os.environ.get(name) for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION")
    }
    os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION="us-east-1")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture
def make_bucket(s3_endpoint: str) -> Callable[[], str]:
    """Returns a factory: each call creates a fresh bucket and returns its name."""
    import boto3

    client = boto3.client("s3", endpoint_url=s3_endpoint)

    def make() -> str:
        name = f"faturas-{uuid.uuid4().hex[:12]}"
        client.create_bucket(Bucket=name)
        return name

    return make


@pytest.fixture
def fresh_database(database_url: str) -> Iterator[str]:
    """A new empty PostgreSQL database for one test (dropped afterwards); yields its SQLAlchemy URL."""
    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(database_url)
    name = f"faturas_test_{uuid.uuid4().hex[:12]}"
    conninfo = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    """A running redis-server of this test's own (stop and start it at will)."""
    server = PrivateRedis(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def private_postgres() -> Iterator[PrivatePostgres]:
    """A running PostgreSQL cluster of this module's own (restart it at will); tests create databases in it."""
    server = PrivatePostgres()
    try:
        server.start()
        yield server
    finally:
        server.destroy()


@pytest.fixture
def stack(
    tmp_path: Path,
    fresh_database: str,
    redis_url: str,
    queue_name: str,
    s3_endpoint: str,
    make_bucket: Callable[[], str],
) -> Iterator[Stack]:
    """PostgreSQL, BullMQ on Redis and an S3 store (moto), with ``faturas worker`` processes on demand."""
    from faturas.queue.bullmq import BullMQQueue

    built = build_stack(tmp_path, fresh_database, redis_url, queue_name, s3_endpoint, make_bucket())
    try:
        yield built
    finally:
        built.stop_workers()
        queue = BullMQQueue(redis_url, queue_name=queue_name)
        queue.obliterate()
        queue.close()
