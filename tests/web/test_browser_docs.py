"""The OpenAPI page renders in a real browser from the server's own files: no request leaves it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.web.conftest import LiveServer

Shoot = Callable[[Any, str], Path]


@pytest.fixture(scope="module")
def live(start_server: Callable[..., LiveServer]) -> LiveServer:
    return start_server()


def test_the_api_documentation_renders_without_leaving_the_server(
    page: Any, live: LiveServer, screenshots: Shoot
) -> None:
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.goto("/docs")
    page.locator(".swagger-ui .opblock").first.wait_for()
    assert "/api/uploads" in page.locator("body").inner_text()
    assert hosts == {urlsplit(live.url).netloc}, f"the page fetched from {sorted(hosts)}"
    screenshots(page, "docs")
