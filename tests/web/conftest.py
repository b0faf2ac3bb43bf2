"""Web test support: a real uvicorn server on a free loopback port, and Debian's Chromium through Playwright.

Browser tests skip (saying why) when Chromium or Playwright is missing, except under CI=true, where
they fail: CI installs Chromium, so a skip there would hide a broken page.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from faturas.api.app import create_app
from faturas.config import Settings
from faturas.services.extract_document import Extractor, extract_document
from tests.ingest_support import database_url

__all__ = ["database_url"]

CHROMIUM = Path(os.environ.get("FATURAS_TEST_CHROMIUM", "/usr/bin/chromium"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class LiveServer:
    url: str
    data_dir: Path
    client: httpx.Client

    def get(self, path: str, **params: Any) -> Any:
        answer = self.client.get(path, params=params)
        answer.raise_for_status()
        return answer.json()

    def wait_for_job(self, job_id: str, timeout: float = 60) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job: dict[str, Any] = self.get(f"/api/jobs/{job_id}")
            if job["status"] in {"succeeded", "failed", "duplicate"}:
                return job
            time.sleep(0.1)
        raise TimeoutError(f"job {job_id} did not finish in {timeout} s")


@pytest.fixture(scope="module")
def start_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., LiveServer]]:
    """Start servers (embedded queue, SQLite, extraction in a worker thread); all stop with the module."""
    started: list[tuple[uvicorn.Server, threading.Thread, httpx.Client]] = []

    def start(extractor: Extractor = extract_document) -> LiveServer:
        data_dir = tmp_path_factory.mktemp("data")
        settings = Settings(data_dir=data_dir, workers=1, poll_interval_seconds=0.05, auth="off")
        port = _free_port()
        config = uvicorn.Config(
            create_app(settings, extractor=extractor), host="127.0.0.1", port=port, log_level="warning"
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        url = f"http://127.0.0.1:{port}"
        client = httpx.Client(base_url=url, timeout=30)
        started.append((server, thread, client))
        return LiveServer(url, data_dir, client)

    yield start
    for server, thread, client in started:
        client.close()
        server.should_exit = True
        thread.join(timeout=15)


def _browser_missing() -> str | None:
    if not CHROMIUM.exists():
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[dev]')"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    missing = _browser_missing()
    if missing is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests cannot run under CI: {missing}")
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser: Any, live: LiveServer) -> Iterator[Any]:
    """A fresh browser page on the module's ``live`` server; the test fails if the page's scripts fail."""
    context = browser.new_context(base_url=live.url, accept_downloads=True, locale="pt-BR")
    page = context.new_page()
    page.set_default_timeout(30_000)
    script_errors: list[str] = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    yield page
    context.close()
    assert script_errors == [], "the page's scripts failed"


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Any, str], Path]:
    """Save a full-page screenshot into the run's temporary folder and print its path (shown with -s)."""
    folder = tmp_path_factory.mktemp("screenshots")

    def shoot(page: Any, name: str) -> Path:
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        print(f"screenshot: {path}")
        return path

    return shoot
