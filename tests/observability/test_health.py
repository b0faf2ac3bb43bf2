"""Liveness asks nothing of the dependencies; readiness asks the database, the queue and the file store."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from faturas.api.app import create_app
from faturas.config import Settings
from faturas.services.context import build_context
from faturas.storage.local import LocalFileStore
from tests.ingest_support import ContextFactory


def test_live_and_ready_answer_ok_when_everything_is_reachable(make_context: ContextFactory) -> None:
    context = make_context()
    with TestClient(create_app(context.settings, context=context, run_worker=False)) as client:
        assert client.get("/health/live").json() == {"status": "ok"}
        ready = client.get("/health/ready")
        assert ready.status_code == 200
        assert ready.json()["status"] == "ok"
        assert set(ready.json()["checks"]) == {"database", "queue", "storage"}
        assert client.get("/health").status_code == 200  # the original endpoint answers as before


def test_an_unreachable_store_makes_the_service_unready_but_still_alive(
    make_context: ContextFactory, tmp_path: Path
) -> None:
    context = make_context()
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the store's folder should be")
    context.store = LocalFileStore(blocker / "files")
    with TestClient(create_app(context.settings, context=context, run_worker=False)) as client:
        assert client.get("/health/live").status_code == 200
        ready = client.get("/health/ready")
        assert ready.status_code == 503
        body = ready.json()
        assert body["status"] == "unavailable"
        assert body["checks"]["storage"]["ok"] is False and body["checks"]["database"]["ok"] is True
        assert client.get("/health").status_code == 503


def test_an_unreachable_database_makes_the_service_unready(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", database_url="postgresql+psycopg://nobody@127.0.0.1:1/none")
    context = build_context(settings, migrate=False)  # port 1: nothing listens there
    try:
        with TestClient(create_app(settings, context=context, run_worker=False)) as client:
            assert client.get("/health/live").status_code == 200
            ready = client.get("/health/ready")
            assert ready.status_code == 503
            assert ready.json()["checks"]["database"]["ok"] is False
    finally:
        context.close()
