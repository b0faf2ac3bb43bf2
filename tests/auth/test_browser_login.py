"""Login on, in a real browser: the login page, the pages' CSRF contract (fetch header and form field)
under the Content-Security-Policy, and logout."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlalchemy import select

from faturas.api.app import create_app
from faturas.config import Settings
from faturas.db.models_auth import AuditEntry, Role
from faturas.db.unit_of_work import UnitOfWorkFactory
from faturas.services.audit import CLI
from faturas.services.auth import create_user
from tests.auth.conftest import OPERATOR_EMAIL, OPERATOR_PASSWORD
from tests.ingest_support import fake_extract, fake_pdf
from tests.web.conftest import _free_port, browser

__all__ = ["browser"]


Server = tuple[str, UnitOfWorkFactory]


@pytest.fixture(scope="module")
def start_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., Server]]:
    """Servers with login on and one operator; settings may be overridden per server."""
    running: list[tuple[uvicorn.Server, threading.Thread]] = []

    def start(**overrides: Any) -> Server:
        folder = tmp_path_factory.mktemp("login")
        values: dict[str, Any] = {"data_dir": folder, "auth": "on", "workers": 1, "poll_interval_seconds": 0.05}
        app = create_app(Settings(**{**values, **overrides}), extractor=fake_extract)
        port = _free_port()
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        running.append((server, thread))
        deadline = time.monotonic() + 30
        while not server.started:
            assert time.monotonic() < deadline and thread.is_alive(), "the test server did not start"
            time.sleep(0.05)
        uow_factory: UnitOfWorkFactory = app.state.context.uow_factory
        create_user(uow_factory, OPERATOR_EMAIL, OPERATOR_PASSWORD, Role.OPERATOR, CLI)
        return f"http://127.0.0.1:{port}", uow_factory

    yield start
    for server, thread in running:
        server.should_exit = True
        thread.join(timeout=15)


def _log_in(browser: Any, url: str) -> Any:
    context = browser.new_context(base_url=url, locale="pt-BR")
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto("/login")
    page.fill("#email", OPERATOR_EMAIL)
    page.fill("#password", OPERATOR_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/dashboard")  # / is the dashboard
    return page


def test_an_operator_logs_in_uploads_retries_and_logs_out_in_a_browser(
    browser: Any, start_server: Callable[..., Server], tmp_path: Path
) -> None:
    url, uow_factory = start_server()
    context = browser.new_context(base_url=url, locale="pt-BR")
    page = context.new_page()
    page.set_default_timeout(30_000)
    blocked: list[str] = []
    page.on("console", lambda message: blocked.append(message.text) if "Content Security" in message.text else None)

    page.goto("/processamento")
    assert page.url == f"{url}/login?next=%2Fprocessamento"
    page.fill("#email", OPERATOR_EMAIL)
    page.fill("#password", "senha errada de propósito")
    page.click("button[type=submit]")
    assert "E-mail ou senha incorretos." in page.inner_text("main")
    page.fill("#password", OPERATOR_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/processamento")

    bill = tmp_path / "nao-e-fatura.pdf"
    bill.write_bytes(fake_pdf(reject="não é uma fatura"))
    page.goto("/enviar")
    page.set_input_files("#files", [str(bill)])  # sent by fetch with the X-CSRF-Token header
    page.locator(f'#uploads tr[data-file="{bill.name}"][data-status="failed"]').wait_for()

    page.goto("/processamento")
    page.get_by_role("button", name="Tentar de novo").first.click()  # a form with the csrf_token field
    page.get_by_text("Job enviado de novo para a fila.").wait_for()

    page.goto("/dashboard")
    page.get_by_role("button", name="Sair").click()
    page.wait_for_url(f"{url}/login")
    page.goto("/faturas")
    assert page.url.startswith(f"{url}/login?next=")
    context.close()

    assert blocked == []
    with uow_factory(read_only=True) as uow:
        actions = [(entry.action, entry.via) for entry in uow.session.scalars(select(AuditEntry))]
    for expected in ["login_failed", "login", "upload", "retry", "logout"]:
        assert any(action == expected for action, _via in actions), (expected, actions)
    assert ("upload", "session") in actions and ("retry", "session") in actions


def test_the_upload_page_waits_out_the_rate_limit_instead_of_losing_files(
    browser: Any, start_server: Callable[..., Server], tmp_path: Path
) -> None:
    url, _ = start_server(upload_rate_per_minute=30, upload_rate_burst=1)
    page = _log_in(browser, url)
    files = []
    for month in ("2024-01", "2024-02", "2024-03"):
        path = tmp_path / f"conta-{month}.pdf"
        path.write_bytes(fake_pdf(month=month))
        files.append(path)
    limited: list[int] = []
    page.on("response", lambda answer: limited.append(answer.status) if answer.status == 429 else None)
    page.goto("/enviar")
    page.set_input_files("#files", [str(path) for path in files])
    for path in files:
        page.locator(f'#uploads tr[data-file="{path.name}"][data-status="succeeded"]').wait_for()
    assert page.locator('#uploads tr[data-status="rejected"]').count() == 0
    assert limited, "the server never said 429: the test did not exercise the limit"
    page.context.close()
